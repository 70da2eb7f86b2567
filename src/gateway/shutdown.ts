/**
 * Graceful shutdown. On SIGTERM the caller stops the gateway: /ready turns 503 "draining"
 * at once (so a load balancer stops sending) while the listener still answers, the
 * requests in flight finish (bounded by `limits.shutdownGraceMillis`), then the listener
 * stops (Apollo's drain plugin closes the idle sockets), and only then
 * are the pools closed (runtime.close, after gateway.stop, in src/cli/main.ts and run-demo).
 */
import type { RequestHandler } from 'express';
import { getRestStats } from '../../connectors/rest/index.js';
import type { SqlBreakers } from './sql-breaker.js';
import type { Bulkheads } from './bulkhead.js';
import type { Runtime } from './runtime.js';

export class Drain {
  private drainingSince: number | undefined;
  private inFlight = 0;
  private idle: Array<() => void> = [];

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  begin(): void {
    this.drainingSince ??= Date.now();
  }

  /** Counts a request until its response is done or its client gone. */
  readonly track: RequestHandler = (_req, res, next) => {
    this.inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };

  /**
   * While the listener still accepts (so /ready answers "draining" to whoever asks, on a
   * kept-alive socket too), waits for the requests in flight to finish, at most `maxMillis`.
   */
  async settle(maxMillis: number): Promise<void> {
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      timer = setTimeout(resolve, maxMillis);
    });
    clearTimeout(timer);
  }
}

/**
 * /ready: 200 when every source is up, else 503 with each source's state (up, degraded,
 * down), its breaker (REST and SQL sources) and its bulkhead use; 503 "draining" during shutdown.
 * With `?degraded=ok`, 200 while at least one source is up (for a readiness probe).
 */
export function readyHandler(
  runtime: Runtime,
  bulkheads: Bulkheads,
  drain: Drain,
  notes: ReadonlyMap<string, () => unknown> = new Map(),
  sqlBreakers?: SqlBreakers,
  gates: ReadonlyMap<string, () => boolean> = new Map(),
): RequestHandler {
  return async (req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'draining', sources: {} });
      return;
    }
    const health = await runtime.health();
    // Warming (the link map's first build with analytics.linkMap.keepWarm): not in rotation yet.
    const warming = [...gates].flatMap(([name, isWarming]) => (isWarming() ? [name] : []));
    const sources = Object.fromEntries(
      Object.entries(health).map(([name, state]) => {
        const connector = runtime.connectors.get(name);
        const rest = connector === undefined ? undefined : getRestStats(connector);
        const breaker = rest?.breakerState ?? sqlBreakers?.bySource.get(name)?.state;
        const bulkhead = bulkheads.bySource.get(name);
        return [
          name,
          {
            ...state,
            ...(breaker === undefined ? {} : { breaker }),
            ...(bulkhead === undefined ? {} : { calls: { active: bulkhead.active, queued: bulkhead.queued, max: bulkhead.maxConcurrent } }),
          },
        ];
      }),
    );
    const states = Object.values(health).map((h) => h.state);
    const status = states.every((state) => state === 'up') ? 'ready' : states.some((state) => state === 'up') ? 'degraded' : 'down';
    // Notes inform (a failing trigger destination) without taking the gateway out of rotation.
    const extra = notes.size === 0 ? {} : { notes: Object.fromEntries([...notes].map(([name, note]) => [name, note()])) };
    // Redis down is a note, not a failure: the replica serves on its per-process state.
    const redis = runtime.redis?.readiness();
    // `?degraded=ok` (a Kubernetes readiness probe): a replica that serves partial answers
    // stays in the Service; every replica sees the same sources, so taking them out would
    // turn one source's outage into a total one.
    const serving = warming.length === 0 && (status === 'ready' || (status === 'degraded' && req.query.degraded === 'ok'));
    res.status(serving ? 200 : 503).json({
      status: warming.length > 0 ? 'warming' : status,
      ...(warming.length > 0 ? { warming } : {}),
      sources,
      ...extra,
      ...(redis === undefined ? {} : { redis }),
    });
  };
}
