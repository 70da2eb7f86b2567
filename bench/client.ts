/**
 * The load client of bench/load.ts, run as its own process (child_process.fork) so that its
 * CPU is not charged to the target: `connections` keep-alive connections, each sending its
 * next request as soon as the last one answered (closed loop, as autocannon does), taking
 * the bodies in order from one shared list, so every target gets the same inputs in the
 * same order. A reply that is not 200 or carries "errors" counts as an error.
 */
import { Agent, request } from 'node:http';

export interface ClientJob {
  readonly url: string;
  readonly bodies: ReadonlyArray<string>;
  readonly connections: number;
  readonly durationMillis: number;
}

export interface ClientResult {
  readonly requests: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly seconds: number;
  /** Latencies of successful requests, ascending, in ms. */
  readonly latencies: ReadonlyArray<number>;
}

function send(agent: Agent, url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200 || text.includes('"errors":[')) reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`));
          else resolve(text);
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runClient(job: ClientJob): Promise<ClientResult> {
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.durationMillis;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = job.bodies[next++ % job.bodies.length]!;
      const sent = performance.now();
      try {
        await send(agent, url, body);
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, ...(firstError === undefined ? {} : { firstError }), seconds, latencies };
}

if (process.argv[1]?.endsWith('client.js') && process.send !== undefined) {
  process.on('message', (job: ClientJob) => {
    runClient(job).then(
      (result) => process.send!(result),
      (error: unknown) => process.send!({ requests: 0, errors: 1, firstError: String(error), seconds: 0, latencies: [] }),
    );
  });
}
