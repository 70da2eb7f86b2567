/**
 * Prometheus metrics at /metrics. One registry per gateway (not prom-client's global), so
 * that two gateways in one process (tests) do not share counters. Labels are bounded:
 * operation names past MAX_OPERATION_NAMES are counted as "other", since clients choose them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Connector, SourceCall } from '../../connectors/contract.js';
import { getRestStats } from '../../connectors/rest/index.js';
import type { RequestContext } from './context.js';
import type { Bulkheads } from './bulkhead.js';
import type { SqlBreakers } from './sql-breaker.js';

const MAX_OPERATION_NAMES = 200;
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_STATES = ['closed', 'open', 'halfOpen', 'isolated'] as const;

export type Outcome = 'ok' | 'partial' | 'error' | 'refused' | 'aborted';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  readonly requests = new Counter({
    name: 'c360_graphql_operations_total',
    help: 'GraphQL operations by operation name and outcome (ok, partial: data with errors, error, refused: before execution, aborted: the client hung up).',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'c360_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency.',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'c360_graphql_errors_total',
    help: 'GraphQL errors by extensions.code.',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly sourceSeconds = new Histogram({
    name: 'c360_source_call_duration_seconds',
    help: 'Source statement or HTTP call latency by source and canonical entity.',
    labelNames: ['source', 'entity'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly sourceFailures = new Counter({
    name: 'c360_source_failures_total',
    help: 'Failed source calls by source and code (SOURCE_*, CIRCUIT_OPEN, BULKHEAD_FULL).',
    labelNames: ['source', 'code'],
    registers: [this.registry],
  });

  constructor(connectors: ReadonlyMap<string, Connector>, bulkheads: Bulkheads, sqlBreakers?: SqlBreakers) {
    collectDefaultMetrics({ register: this.registry, prefix: 'c360_' });
    const registers = [this.registry];
    new Gauge({
      name: 'c360_source_calls_active',
      help: 'Source calls running now (bulkhead slots in use: the gateway side of pool usage).',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, bulkhead] of bulkheads.bySource) this.set({ source }, bulkhead.active);
      },
    });
    new Gauge({
      name: 'c360_source_calls_queued',
      help: 'Source calls waiting for a bulkhead slot.',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, bulkhead] of bulkheads.bySource) this.set({ source }, bulkhead.queued);
      },
    });
    new Gauge({
      name: 'c360_source_calls_max',
      help: 'Bulkhead size per source.',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, bulkhead] of bulkheads.bySource) this.set({ source }, bulkhead.maxConcurrent);
      },
    });
    new Gauge({
      name: 'c360_source_breaker_state',
      help: 'Circuit breaker of a REST or SQL source: 1 for its current state.',
      labelNames: ['source', 'state'],
      registers,
      collect() {
        for (const connector of connectors.values()) {
          const current = getRestStats(connector)?.breakerState ?? sqlBreakers?.bySource.get(connector.name)?.state;
          if (current === undefined) continue;
          for (const state of BREAKER_STATES) this.set({ source: connector.name, state }, current === state ? 1 : 0);
        }
      },
    });
    // Each CIRCUIT_OPEN refusal of a SQL source's breaker, as it happens.
    for (const [source, breaker] of sqlBreakers?.bySource ?? []) breaker.onRefusal = () => this.sourceFailures.inc({ source, code: 'CIRCUIT_OPEN' });
    new Counter({
      name: 'c360_source_breaker_openings_total',
      help: 'Times the breaker of a SQL source opened since start.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const [source, breaker] of sqlBreakers?.bySource ?? []) this.inc({ source }, breaker.openings);
      },
    });
    new Gauge({
      name: 'c360_source_cache_hits',
      help: 'Response cache hits of a REST source since start.',
      labelNames: ['source'],
      registers,
      collect() {
        for (const c of connectors.values()) {
          const s = getRestStats(c);
          if (s !== undefined) this.set({ source: c.name }, s.cacheHits);
        }
      },
    });
    new Gauge({
      name: 'c360_source_cache_misses',
      help: 'Response cache misses of a REST source since start.',
      labelNames: ['source'],
      registers,
      collect() {
        for (const c of connectors.values()) {
          const s = getRestStats(c);
          if (s !== undefined) this.set({ source: c.name }, s.cacheMisses);
        }
      },
    });
  }

  recordSourceCall(call: SourceCall): void {
    this.sourceSeconds.observe({ source: call.source, entity: call.entity }, call.millis / 1000);
  }

  operationLabel(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const startedMillis = performance.now();
      let executed = false;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse({ contextValue, response, operationName }) {
          const operation = metrics.operationLabel(operationName ?? request.operationName);
          // A client hanging up aborts every pending source call: one aborted operation, not one SOURCE_TIMEOUT per field.
          if (contextValue.clientGone?.aborted === true) {
            metrics.requests.inc({ operation, outcome: 'aborted' });
            return;
          }
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors ?? [];
          for (const error of errors) metrics.errors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
          const outcome: Outcome = !executed
            ? errors.length > 0
              ? 'refused'
              : 'ok'
            : errors.length === 0
              ? 'ok'
              : result?.data === undefined || result.data === null
                ? 'error'
                : 'partial';
          metrics.requests.inc({ operation, outcome });
          metrics.requestSeconds.observe({ operation }, (performance.now() - startedMillis) / 1000);
        },
      };
    },
  };
}
