/**
 * OpenTelemetry tracing, off unless `limits.observability.tracing.enabled`: one span per
 * GraphQL request and, under it, one per source call. The parent is passed explicitly
 * (no async context manager is installed), so source spans nest under their request
 * whatever the connector awaits in between.
 */
import { context as otelContext, SpanStatusCode, trace, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SourceError, type CallOptions, type Connector } from '../../connectors/contract.js';
import type { LimitsConfig } from '../config/limits-config.js';

export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/** A tracer for the gateway, or undefined when tracing is off; `exporter` overrides the configured one (tests). */
export function createTracing(config: LimitsConfig['observability']['tracing'], exporter?: SpanExporter): Tracing | undefined {
  if (!config.enabled && exporter === undefined) return undefined;
  const provider: TracerProvider & { shutdown(): Promise<void> } = new BasicTracerProvider({ spanProcessors: spanProcessors(config, exporter) });
  return { tracer: provider.getTracer('c360'), shutdown: () => provider.shutdown() };
}

function spanProcessors(config: LimitsConfig['observability']['tracing'], exporter: SpanExporter | undefined): SpanProcessor[] {
  if (exporter !== undefined) return [new SimpleSpanProcessor(exporter)];
  switch (config.exporter) {
    case 'console':
      return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
    case 'otlp':
      // Batched off the request path; spans still queued at shutdown are flushed by provider.shutdown().
      return [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpUrl }), { scheduledDelayMillis: 1_000 })];
    case 'none':
      return [];
  }
}

export function startRequestSpan(tracer: Tracer, requestId: string): Span {
  return tracer.startSpan('graphql request', { attributes: { 'c360.request_id': requestId } });
}

type CallName = 'load' | 'scan' | 'aggregate' | 'analytics';

/** The connector for one request, each call in a span under `parent`. */
export function traceConnector(connector: Connector, tracer: Tracer, parent: Span, requestId: string): Connector {
  const parentContext = trace.setSpan(otelContext.active(), parent);
  const traced =
    <R, T>(name: CallName, call: (request: R, options: CallOptions) => Promise<T>) =>
    async (request: R, options: CallOptions): Promise<T> => {
      const span = tracer.startSpan(
        `${connector.name} ${name}`,
        { attributes: { 'c360.source': connector.name, 'c360.entity': entityOf(request), 'c360.request_id': requestId } },
        parentContext,
      );
      try {
        return await call(request, options);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof SourceError ? error.code : 'error' });
        throw error;
      } finally {
        span.end();
      }
    };
  const wrapper: Connector = Object.create(connector) as Connector;
  return Object.assign(wrapper, {
    load: traced('load', connector.load.bind(connector)),
    ...(connector.loadUnion === undefined ? {} : { loadUnion: traced('load', connector.loadUnion.bind(connector)) }),
    ...(connector.scan === undefined ? {} : { scan: traced('scan', connector.scan.bind(connector)) }),
    ...(connector.aggregate === undefined ? {} : { aggregate: traced('aggregate', connector.aggregate.bind(connector)) }),
    ...(connector.analytics === undefined ? {} : { analytics: traced('analytics', connector.analytics.bind(connector)) }),
  });
}

function entityOf(request: unknown): string {
  const entity = typeof request === 'object' && request !== null ? (request as { entity?: unknown }).entity : undefined;
  return typeof entity === 'string' ? entity : '';
}
