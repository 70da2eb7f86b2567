/**
 * What the demo HTTP services (helpdesk, company registry) share: a node:http server on
 * 127.0.0.1, call counters, and knobs that make them slow, failing, rate-limiting or
 * malformed at run time, so tests and benchmarks can show how c360 copes.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type MalformedKind = 'invalidJson' | 'wrongShape' | 'wrongType';

export interface ServiceKnobs {
  /** Added before every reply. */
  latencyMillis: number;
  /** Share of requests (0..1) answered with errorStatus. */
  errorRate: number;
  errorStatus: number;
  /** The next N requests fail with failStatus, then service resumes: deterministic retry tests. */
  failNext: number;
  failStatus: number;
  /** Sent with failures when set (seconds). */
  retryAfterSeconds: number | null;
  /** Share of successful replies (0..1) that are broken in the way malformedKind says. */
  malformedRate: number;
  malformedKind: MalformedKind;
  /** Connections are dropped without a reply, as a crashed service would. */
  down: boolean;
}

export interface ServiceCounters {
  total: number;
  /** By "METHOD /path" (no query: it may hold personal data). */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  last: { readonly method: string; readonly path: string; readonly query: string; readonly at: string } | null;
}

export interface DemoService {
  readonly url: string;
  readonly knobs: ServiceKnobs;
  readonly counters: ServiceCounters;
  /** Counters to zero and knobs to their defaults. */
  reset(): void;
  stop(): Promise<void>;
}

export interface ServiceRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** This reply should be broken (malformedRate), in the way knobs.malformedKind says. */
  readonly malformed: MalformedKind | null;
}

export interface ServiceReply {
  readonly status: number;
  /** Serialized as JSON unless it is already a string (a deliberately broken body). */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function defaultKnobs(): ServiceKnobs {
  return {
    latencyMillis: 0,
    errorRate: 0,
    errorStatus: 503,
    failNext: 0,
    failStatus: 503,
    retryAfterSeconds: null,
    malformedRate: 0,
    malformedKind: 'invalidJson',
    down: false,
  };
}

function emptyCounters(): ServiceCounters {
  return { total: 0, byRoute: {}, byStatus: {}, last: null };
}

export async function startService(
  options: { readonly port?: number; readonly host?: string },
  handle: (request: ServiceRequest, service: DemoService) => ServiceReply | Promise<ServiceReply>,
): Promise<DemoService> {
  const knobs = defaultKnobs();
  const counters = emptyCounters();
  const sockets = new Set<Socket>();
  const server = http.createServer();
  const host = options.host ?? '127.0.0.1';
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    counters.total += 1;
    counters.byRoute[route] = (counters.byRoute[route] ?? 0) + 1;
    counters.last = { method, path: url.pathname, query: url.search, at: new Date().toISOString() };
    if (knobs.down) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    if (knobs.latencyMillis > 0) await new Promise((resolve) => setTimeout(resolve, knobs.latencyMillis));
    if (res.destroyed) return;
    const retryAfter: Record<string, string> = knobs.retryAfterSeconds === null ? {} : { 'Retry-After': String(knobs.retryAfterSeconds) };
    if (knobs.failNext > 0) {
      knobs.failNext -= 1;
      send(res, { status: knobs.failStatus, body: { error: 'Service unavailable (failNext)' }, headers: retryAfter }, counters);
      return;
    }
    if (knobs.errorRate > 0 && Math.random() < knobs.errorRate) {
      send(res, { status: knobs.errorStatus, body: { error: 'Service unavailable (errorRate)' }, headers: retryAfter }, counters);
      return;
    }
    const malformed = knobs.malformedRate > 0 && Math.random() < knobs.malformedRate ? knobs.malformedKind : null;
    send(res, await handle({ method, url, headers: req.headers, body, malformed }, service), counters);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  // Requests are served only after listen resolves, so `serve` never sees it undeclared.
  const service: DemoService = {
    url: `http://${host}:${address.port}`,
    knobs,
    counters,
    reset() {
      Object.assign(knobs, defaultKnobs());
      Object.assign(counters, emptyCounters());
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return service;
}

function send(res: ServerResponse, reply: ServiceReply, counters?: ServiceCounters): void {
  if (counters !== undefined) counters.byStatus[String(reply.status)] = (counters.byStatus[String(reply.status)] ?? 0) + 1;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...reply.headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
