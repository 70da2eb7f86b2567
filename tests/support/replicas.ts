/**
 * Several c360 processes on this machine, as an operator runs them: each `c360 serve` from
 * the sources (./ts-register.mjs), behind Debian's HAProxy, sharing a redis-server of their
 * own on a free port (so a test may stop it without touching the machine's Redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/gateway/project.js';
import { freePort, waitUntil } from './redis.js';

export const HAPROXY = process.env.C360_HAPROXY ?? '/usr/sbin/haproxy';
export const REDIS_SERVER = process.env.C360_REDIS_SERVER ?? 'redis-server';

export interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  readonly output: string[];
  /** SIGTERM (graceful), then waits for the exit. */
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function child(command: string, args: ReadonlyArray<string>, port: number, env: NodeJS.ProcessEnv = process.env): Child {
  const proc = spawn(command, args, { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { process: proc, port, output, kill, stop: () => kill('SIGTERM') };
}

/** A scratch directory for config files, removed by the returned function. */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'c360-replicas-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startRedisServer(): Promise<Child & { url: string }> {
  const port = await freePort();
  const redis = child(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
  await waitUntil(() => redis.output.join('').includes('Ready to accept connections'), 10_000);
  return { ...redis, url: `redis://127.0.0.1:${port}` };
}

/** `c360 serve --config FILE --port N [more]` from the sources; resolves once /health answers. */
export async function startReplica(configFile: string, more: ReadonlyArray<string> = [], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const port = await freePort();
  const replica = child(
    process.execPath,
    ['--import', './tests/support/ts-register.mjs', 'tests/support/c360-cli.ts', 'serve', '--config', configFile, '--port', String(port), ...more],
    port,
    { ...process.env, C360_LOG_LEVEL: 'warn', ...env },
  );
  try {
    await waitUntil(async () => {
      if (replica.process.exitCode !== null) throw new Error(`replica exited: ${replica.output.join('')}`);
      return (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200;
    }, 150_000);
  } catch (error) {
    await replica.kill('SIGKILL');
    throw error;
  }
  return replica;
}

/**
 * HAProxy round-robin over `ports`, a health check every 250 ms (/health: a killed replica
 * is out after two failures), and a request retried elsewhere when its replica refused
 * the connection or closed it without a reply.
 */
export async function startHaproxy(dir: string, ports: ReadonlyArray<number>): Promise<Child & { url: string }> {
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(
    file,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 30s',
      '  timeout server 30s',
      '  retries 3',
      '  option redispatch',
      // A request the killed replica held is lost (no reply): HAProxy may resend it elsewhere
      // (c360's GraphQL operations are reads). Connections refused before the check notices: the same.
      '  retry-on conn-failure empty-response response-timeout',
      '  timeout check 2s',
      'listen c360',
      `  bind 127.0.0.1:${port}`,
      '  balance roundrobin',
      '  option httpchk GET /health',
      '  default-server inter 250ms fall 2 rise 2',
      ...ports.map((p, i) => `  server r${i + 1} 127.0.0.1:${p} check`),
      '',
    ].join('\n'),
  );
  const haproxy = child(HAPROXY, ['-f', file, '-db'], port);
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, 10_000);
  return { ...haproxy, url: `http://127.0.0.1:${port}` };
}

export interface Outcome {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: number;
  readonly errorCodes: ReadonlyArray<string>;
}

/** `concurrency` loops POSTing `body()` to `url` for `durationMillis`, or until `maxRequests` were sent or `stop` aborts (bounded: it stops by itself). */
export interface LoadUntilOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: () => string;
  /** Answers to wait for before `event`, and after it (counted by start time), whatever the machine's speed. */
  readonly before: number;
  readonly after: number;
}

/** Load at concurrency 8 around `event` (a kill): `before` answers, the event, then `after` requests started after it. */
export async function loadAround(options: LoadUntilOptions, event: () => Promise<void>): Promise<{ outcomes: Outcome[]; eventAt: number }> {
  const stop = new AbortController();
  let eventAt = Number.POSITIVE_INFINITY;
  let answered = 0;
  let startedAfter = 0;
  const load = loadFor(options.url, {
    concurrency: 8,
    durationMillis: 120_000,
    stop: stop.signal,
    headers: options.headers,
    body: options.body,
    onOutcome: (outcome) => {
      answered += 1;
      if (outcome.startedAt > eventAt && ++startedAfter >= options.after) stop.abort();
    },
  });
  await waitUntil(() => answered >= options.before, 60_000);
  eventAt = performance.now();
  await event();
  return { outcomes: await load, eventAt };
}

export async function loadFor(
  url: string,
  options: {
    concurrency: number;
    durationMillis: number;
    maxRequests?: number;
    stop?: AbortSignal;
    pauseMillis?: number;
    onOutcome?: (outcome: Outcome) => void;
    headers: Record<string, string>;
    body: () => string;
  },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const until = performance.now() + options.durationMillis;
  let sent = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until && sent < (options.maxRequests ?? Number.POSITIVE_INFINITY) && options.stop?.aborted !== true) {
        sent += 1;
        const startedAt = performance.now();
        let status = 0;
        let errorCodes: string[] = [];
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...options.headers },
            body: options.body(),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          const text = await response.text();
          try {
            errorCodes = ((JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors ?? []).map(
              (e) => e.extensions?.code ?? 'UNKNOWN',
            );
          } catch {
            errorCodes = ['NOT_JSON'];
          }
        } catch (error) {
          status = 0;
          errorCodes = [String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message)];
        }
        const outcome = { startedAt, endedAt: performance.now(), status, errorCodes };
        outcomes.push(outcome);
        options.onOutcome?.(outcome);
        if (options.pauseMillis !== undefined) await new Promise((resolve) => setTimeout(resolve, options.pauseMillis));
      }
    }),
  );
  return outcomes;
}

export const failed = (outcome: Outcome): boolean => outcome.status !== 200 || outcome.errorCodes.length > 0;
