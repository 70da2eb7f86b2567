/**
 * `c360 serve --workers N`: one primary process and N workers (node:cluster) sharing the
 * listening port, so one machine's cores all serve. The primary serves nothing itself; it
 *  - forks the workers, and forks a replacement when one dies unasked (after a pause);
 *  - on SIGHUP, restarts them one at a time: the new worker listens before the old one is
 *    sent SIGTERM and drains (/ready 503, in-flight requests finish), so no request fails;
 *  - on SIGTERM or SIGINT, drains every worker, then exits;
 *  - answers the workers' /metrics with the sum over all workers (prom-client's
 *    AggregatorRegistry), so a scrape of any worker sees the whole instance.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '../gateway/logger.js';

const METRICS_REQUEST = 'c360:metrics-request';
const METRICS_REPLY = 'c360:metrics-reply';
/** A worker that dies unasked is replaced after this pause (no tight crash loop). */
const RESPAWN_PAUSE_MILLIS = 1_000;
/** How long /metrics waits for the primary's sum. */
const METRICS_TIMEOUT_MILLIS = 5_000;

export const isWorker = (): boolean => cluster.isWorker;

interface MetricsRequest {
  readonly type: typeof METRICS_REQUEST;
  readonly id: number;
}

interface MetricsReply {
  readonly type: typeof METRICS_REPLY;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

export async function runPrimary(workers: number, logger: Logger): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const retiring = new Set<Worker>();
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isMetricsRequest(message)) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_REPLY, id: message.id, text } satisfies MetricsReply),
        (error: unknown) => worker.send({ type: METRICS_REPLY, id: message.id, error: (error as Error).message } satisfies MetricsReply),
      );
    });
    worker.once('listening', () => logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening'));
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping || retiring.delete(worker)) {
      logger.info({ worker: worker.id, pid: worker.process.pid, code, signal }, 'worker stopped');
      return;
    }
    logger.warn({ worker: worker.id, pid: worker.process.pid, code, signal }, 'worker died: starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, RESPAWN_PAUSE_MILLIS).unref();
  });

  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers, pid: process.pid }, 'c360 primary started');

  const rollingRestart = async (): Promise<void> => {
    logger.info('restarting workers one at a time');
    for (const old of Object.values(cluster.workers ?? {})) {
      if (old === undefined || stopping) continue;
      const replacement = fork();
      await new Promise<void>((resolve) => replacement.once('listening', () => resolve()));
      retiring.add(old);
      await stopWorker(old);
    }
    logger.info('workers restarted');
  };
  let restarting: Promise<void> = Promise.resolve();
  process.on('SIGHUP', () => {
    restarting = restarting.then(rollingRestart);
  });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  stopping = true;
  logger.info('shutting down: draining every worker');
  await Promise.all(
    Object.values(cluster.workers ?? {})
      .filter((worker): worker is Worker => worker !== undefined)
      .map(stopWorker),
  );
  return 0;
}

/** SIGTERM (the worker drains: src/gateway/shutdown.ts), then waits for its exit. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) {
      resolve();
      return;
    }
    worker.once('exit', () => resolve());
    worker.process.kill('SIGTERM');
  });
}

/** In a worker: the registry the primary sums, and the /metrics text of the whole instance. */
export function workerMetrics(registry: Registry): () => Promise<string> {
  // Constructing one installs prom-client's worker-side listener that answers the primary.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let nextId = 0;
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: unknown) => {
    if (!isMetricsReply(message)) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.text !== undefined) waiting?.resolve(message.text);
    else waiting?.reject(new Error(message.error ?? 'no metrics'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer for metrics'));
      }, METRICS_TIMEOUT_MILLIS);
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}

function isMetricsRequest(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_REQUEST;
}

function isMetricsReply(message: unknown): message is MetricsReply {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_REPLY;
}
