/**
 * Everything issue #7 adds to the request path, assembled once per gateway so that
 * server.ts only plugs it in: limits and rate limit (Apollo plugins), per-source
 * bulkheads, the per-request deadline, metrics, tracing, request logs and the drain.
 */
import { setMaxListeners } from 'node:events';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Express, NextFunction, Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Connector, SourceCall } from '../../connectors/contract.js';
import { DEFAULT_LIMITS, type LimitsConfig } from '../config/limits-config.js';
import { Bulkheads, guardConnector } from './bulkhead.js';
import { DeadlineReserve, reserveMillisOf } from './deadline-reserve.js';
import { SqlBreakers } from './sql-breaker.js';
import type { RequestContext } from './context.js';
import { limitsPlugin, withPageLimits } from './limits.js';
import { GatewayMetrics, metricsPlugin } from './metrics.js';
import { rateChargeFor, rateLimitPlugin, type RateCharge } from './rate-limit.js';
import type { Runtime } from './runtime.js';
import { Drain, readyHandler } from './shutdown.js';
import { persistedQueryCache } from '../state/persisted-queries.js';
import { isWorker, workerMetrics } from '../cli/workers.js';
import { createTracing, startRequestSpan, traceConnector, type Tracing } from './tracing.js';

export interface RequestScope {
  /** Aborts at the request deadline or when the client goes away; every source call listens on it. */
  readonly signal: AbortSignal;
  /** Aborts only when the client goes away. */
  readonly clientGone: AbortSignal;
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly onCall: (call: SourceCall) => void;
}

export interface HardeningOptions {
  /** Spans go here whatever the config says (tests). */
  readonly spanExporter?: SpanExporter;
}

export class Hardening {
  readonly limits: LimitsConfig;
  readonly bulkheads: Bulkheads;
  /** One breaker per SQL source (./sql-breaker.ts); REST sources keep theirs in their connector. */
  readonly sqlBreakers: SqlBreakers;
  readonly metrics: GatewayMetrics | undefined;
  readonly drain = new Drain();
  /** Extra /ready entries (e.g. triggers: a failing destination), each computed per call. */
  readonly readyNotes = new Map<string, () => unknown>();
  /** Parts still warming up (true): /ready answers 503 "warming" until none is. */
  readonly readyGates = new Map<string, () => boolean>();
  private readonly tracing: Tracing | undefined;
  private readonly connectors: ReadonlyMap<string, Connector>;
  /** The one charge of a request whose operations all count as one (the CSV export's pages). */
  private readonly onceCharges = new WeakMap<Request, RateCharge>();

  constructor(
    private readonly runtime: Runtime,
    options: HardeningOptions = {},
  ) {
    this.limits = runtime.config.limits ?? DEFAULT_LIMITS;
    this.bulkheads = new Bulkheads(runtime.connectors.keys(), this.limits.bulkheads);
    this.sqlBreakers = new SqlBreakers(runtime.config.sources as ConstructorParameters<typeof SqlBreakers>[0]);
    this.connectors = new Map(
      [...runtime.connectors].map(([name, connector]) => [
        name,
        guardConnector(connector, this.bulkheads.bySource.get(name)!, callDeadlineOf(runtime, name), this.sqlBreakers.bySource.get(name)),
      ]),
    );
    this.metrics = this.limits.observability.metrics.enabled ? new GatewayMetrics(runtime.connectors, this.bulkheads, this.sqlBreakers) : undefined;
    this.tracing = createTracing(this.limits.observability.tracing, options.spanExporter);
  }

  /** The schema with the per-role page limit on every paged field. */
  schema(schema: GraphQLSchema): GraphQLSchema {
    return withPageLimits(schema, this.limits);
  }

  /** Apollo options: batching only when configured, a parse-time token guard, and our own signal handling. */
  apolloOptions(): Pick<
    ApolloServerOptions<RequestContext>,
    'allowBatchedHttpRequests' | 'parseOptions' | 'stopOnTerminationSignals' | 'csrfPrevention' | 'persistedQueries'
  > {
    const largestTokens = Math.max(...Object.values(this.limits.roles).map((role) => role.maxTokens));
    return {
      allowBatchedHttpRequests: this.limits.batching.enabled,
      // Stops the parser itself on documents far past every role's limit; the per-role check (./limits.ts) runs after parsing.
      parseOptions: { maxTokens: largestTokens + 1 },
      // src/cli/main.ts stops the gateway, then closes the pools; Apollo's own handler would race it.
      stopOnTerminationSignals: false,
      csrfPrevention: true,
      // Automatic persisted queries: a document registered on one replica runs on every one (Redis).
      persistedQueries: { cache: persistedQueryCache(this.runtime.sharedStore) },
    };
  }

  plugins(): ApolloServerPlugin<RequestContext>[] {
    const plugins = [limitsPlugin(this.limits), rateLimitPlugin(this.limits, this.runtime.rateStore), requestLogPlugin(this.runtime), jsonStatusPlugin];
    if (this.metrics !== undefined) plugins.push(metricsPlugin(this.metrics));
    // A subgraph would otherwise turn on Apollo's per-field inline traces (ftv1); c360's spans go out by OTLP.
    if (this.runtime.config.server.federation === true) plugins.push(ApolloServerPluginInlineTraceDisabled());
    return plugins;
  }

  /** /ready and /metrics; and, before /graphql's body parser, the batch size check. */
  mountRoutes(app: Express): void {
    app.get('/ready', readyHandler(this.runtime, this.bulkheads, this.drain, this.readyNotes, this.sqlBreakers, this.readyGates));
    // Every route after this one is a request the drain waits for.
    app.use(this.drain.track);
    const metrics = this.metrics;
    if (metrics !== undefined) {
      // Under `serve --workers N`, the sum over every worker of the instance (src/cli/workers.ts).
      const text = isWorker() ? workerMetrics(metrics.registry) : () => metrics.registry.metrics();
      app.get('/metrics', async (_req, res) => {
        try {
          res.type(metrics.registry.contentType).send(await text());
        } catch (error) {
          this.runtime.logger.warn({ err: error }, 'metrics unavailable');
          res.status(503).type('text/plain').send('metrics unavailable\n');
        }
      });
    }
  }

  /** After express.json: a batch longer than `batching.maxOperations` is refused whole. */
  readonly batchGuard = (req: Request, res: Response, next: NextFunction): void => {
    if (Array.isArray(req.body) && this.limits.batching.enabled && req.body.length > this.limits.batching.maxOperations) {
      res
        .status(400)
        .json({ errors: [{ message: `A batch may hold at most ${this.limits.batching.maxOperations} operations.`, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    next();
  };

  requestScope(req: Request, requestId: string, trace: SourceCall[] | undefined): RequestScope {
    const clientGone = new AbortController();
    // The request's one signal: aborted at the deadline (a TimeoutError, as AbortSignal.timeout
    // gives) or when the client goes away. One controller and one timer, cleared when the answer
    // is sent, instead of AbortSignal.any over AbortSignal.timeout: that pair cost 2% of a CRM
    // page's gateway CPU and kept every request's timer pending until its deadline (issue 12).
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      this.limits.requestDeadlineMillis,
    );
    timer.unref();
    const res = req.res;
    res?.setHeader('x-request-id', requestId);
    // Draining: the client's next request goes to a new connection (another replica or worker).
    if (this.drain.draining) res?.setHeader('connection', 'close');
    res?.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) {
        const gone = new Error('client closed the connection');
        clientGone.abort(gone);
        deadline.abort(gone);
      }
    });
    const signal = deadline.signal;
    // Every statement of the request listens on this one signal; dozens is normal, not a leak.
    setMaxListeners(0, signal);
    // The deadline's last part is kept for the sources that answered (./deadline-reserve.ts). Its
    // timer starts with the first source call and stops with the answer: a request that calls
    // no source (or one answered from cache) sets none, and none outlives its request.
    const reserveMillis = reserveMillisOf(this.limits);
    const reserveAfter = this.limits.requestDeadlineMillis - reserveMillis;
    const requestStarted = performance.now();
    const reserve = new DeadlineReserve(() => {
      const cut = new AbortController();
      setMaxListeners(0, cut.signal);
      const reserveTimer = setTimeout(
        () => cut.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
        Math.max(0, reserveAfter - (performance.now() - requestStarted)),
      );
      reserveTimer.unref();
      res?.once('close', () => clearTimeout(reserveTimer));
      return cut.signal;
    }, reserveMillis);
    let wrap = (connector: Connector): Connector => reserve.wrap(connector);
    if (this.tracing !== undefined) {
      const span: Span = startRequestSpan(this.tracing.tracer, requestId);
      res?.once('close', () => span.end());
      const tracer = this.tracing.tracer;
      wrap = (connector) => reserve.wrap(traceConnector(connector, tracer, span, requestId));
    }
    // Each source's connector is wrapped for this request when the request first reaches it.
    const connectors = new LazilyWrapped(this.connectors, wrap);
    const logger = this.runtime.logger;
    const metrics = this.metrics;
    return {
      signal,
      clientGone: clientGone.signal,
      connectors,
      onCall: (call) => {
        trace?.push(call);
        metrics?.recordSourceCall(call);
        logger.debug({ requestId, source: call.source, entity: call.entity, rows: call.rows, millis: call.millis }, 'source call');
      },
    };
  }

  /**
   * The context with what its HTTP request is charged (./rate-limit.ts): each operation
   * (`each`), or one for the whole request (`once`, the CSV export: every page of it shares one charge).
   */
  bind(context: RequestContext, req: Request, mode: RateCharge['mode'] = 'each'): RequestContext {
    let charge = mode === 'once' ? this.onceCharges.get(req) : undefined;
    if (charge === undefined) {
      charge = rateChargeFor(context, req.socket.remoteAddress, mode);
      if (mode === 'once') this.onceCharges.set(req, charge);
    }
    return { ...context, rateCharge: charge };
  }

  /** Not ready from now on; keeps serving for `limits.drainDelayMillis` so that load balancers move away first. */
  async beginDrain(): Promise<void> {
    if (this.drain.draining) return;
    this.drain.begin();
    if (this.limits.drainDelayMillis > 0) await new Promise((resolve) => setTimeout(resolve, this.limits.drainDelayMillis));
  }

  async close(): Promise<void> {
    await this.tracing?.shutdown();
  }
}

/**
 * A SQL source's own deadline per call: its statement limit plus its connect limit (a
 * black-holed connection answers neither). REST sources enforce their own timeoutMillis.
 */
function callDeadlineOf(runtime: Runtime, source: string): number | undefined {
  const config = (runtime.config.sources as Readonly<Record<string, { kind: string; timeoutMillis?: number; connectTimeoutMillis?: number } | undefined>>)[
    source
  ];
  if (config === undefined || (config.kind !== 'postgres' && config.kind !== 'mysql')) return undefined;
  return (config.timeoutMillis ?? 5_000) + (config.connectTimeoutMillis ?? 3_000);
}

/** Request errors that the GraphQL-over-HTTP spec answers with 200 under application/json. */
const REQUEST_ERROR_CODES: ReadonlySet<unknown> = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * GraphQL over HTTP: a client that accepts only the legacy application/json gets 200 for
 * a parse, validation or variable error (the error is in the body); a client accepting
 * application/graphql-response+json keeps the 400. Throttling (429) is not such an error.
 */
const jsonStatusPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart({ request }) {
    return {
      async willSendResponse({ response }) {
        if (request.http === undefined || response.http.status !== 400 || response.body.kind !== 'single') return;
        if ((request.http.headers.get('accept') ?? '').includes('application/graphql-response+json')) return;
        const errors = response.body.singleResult.errors ?? [];
        if (errors.length > 0 && errors.every((error) => REQUEST_ERROR_CODES.has(error.extensions?.code))) response.http.status = 200;
      },
    };
  },
};

/** One info line per operation, with the request id that every source call line of it also carries. */
function requestLogPlugin(runtime: Runtime): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const startedMillis = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          if (contextValue.clientGone?.aborted === true) {
            runtime.logger.info(
              { requestId: contextValue.requestId, operation: operationName ?? null, millis: Math.round(performance.now() - startedMillis), aborted: true },
              'graphql operation aborted by the client',
            );
            return;
          }
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          runtime.logger.info(
            {
              requestId: contextValue.requestId,
              operation: operationName ?? null,
              millis: Math.round(performance.now() - startedMillis),
              errors: errors.map((e) => e.extensions?.code ?? 'UNKNOWN'),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}

/**
 * Last in the chain: body-parser's refusals (413 past maxBodyBytes, 400 on malformed
 * JSON) as GraphQL-shaped JSON, never express's HTML page with its stack trace.
 */
export function httpErrorHandler(runtime: Runtime) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      runtime.logger.error({ err: error, path: req.path }, 'error after the response started');
      next(error);
      return;
    }
    const status =
      typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500
        ? error.status
        : 500;
    if (status === 500) runtime.logger.error({ err: error, path: req.path }, 'unhandled HTTP error');
    const message = status === 413 ? 'Request body too large.' : status === 500 ? 'Unexpected error.' : 'Malformed request.';
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/** A request's connectors: each wrapped (reserve, spans) the first time the request asks for it. */
class LazilyWrapped implements ReadonlyMap<string, Connector> {
  private readonly wrapped = new Map<string, Connector>();

  constructor(
    private readonly inner: ReadonlyMap<string, Connector>,
    private readonly wrap: (connector: Connector) => Connector,
  ) {}

  get size(): number {
    return this.inner.size;
  }

  has(name: string): boolean {
    return this.inner.has(name);
  }

  get(name: string): Connector | undefined {
    let connector = this.wrapped.get(name);
    if (connector === undefined) {
      const inner = this.inner.get(name);
      if (inner === undefined) return undefined;
      connector = this.wrap(inner);
      this.wrapped.set(name, connector);
    }
    return connector;
  }

  forEach(callback: (value: Connector, key: string, map: ReadonlyMap<string, Connector>) => void, thisArg?: unknown): void {
    for (const [name, connector] of this.entries()) callback.call(thisArg, connector, name, this);
  }

  *entries(): MapIterator<[string, Connector]> {
    for (const name of this.inner.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.inner.keys();
  }

  *values(): MapIterator<Connector> {
    for (const [, connector] of this.entries()) yield connector;
  }

  [Symbol.iterator](): MapIterator<[string, Connector]> {
    return this.entries();
  }
}
