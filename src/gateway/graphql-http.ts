/**
 * POST /graphql on node:http, in front of express: the common request (a JSON body with
 * its length, no content encoding, a Host this gateway answers for) goes straight to
 * Apollo Server's executeHTTPGraphQLRequest, the way @as-integrations/express5 does, minus
 * express's router, body-parser and the ETag that res.send hashes out of every answer
 * (issue 12: 0.2–0.5 ms of a CRM page's gateway CPU, bench/README.md). Every other request,
 * GET /graphql and any body this path does not take, goes to express unchanged; what this
 * path answers itself (401/403, 413, malformed JSON, a batch too long) is answered with
 * the same status and body as the express chain.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Request } from 'express';
import { admit, acceptsMainEndpoint } from '../privacy/http.js';
import type { PrivacyRuntime } from '../privacy/runtime.js';
import type { RequestContext } from './context.js';
import type { Hardening } from './hardening.js';
import { allowedHostNames, hostNameOf } from './host-check.js';
import type { Runtime } from './runtime.js';

export interface GraphqlHttpOptions {
  readonly apollo: ApolloServer<RequestContext>;
  readonly runtime: Runtime;
  readonly privacy: PrivacyRuntime;
  readonly hardening: Hardening;
  readonly bindHost: string;
  readonly maxBodyBytes: number;
  /** The request context, from a request that carries express's `header()` and `res`. */
  readonly context: (req: Request) => RequestContext;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** A handler that answers the request and says true, or says false when express must answer it. */
export function graphqlHttpHandler(options: GraphqlHttpOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = allowedHostNames(options.bindHost, options.runtime.config.server.hostNames);
  const { apollo, hardening, privacy, runtime } = options;
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') return false;
    const length = Number(req.headers['content-length']);
    const encoding = req.headers['content-encoding'];
    if (!Number.isInteger(length) || length <= 0 || (encoding !== undefined && encoding.toLowerCase() !== 'identity')) return false;
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) return false;
    if (allowed !== undefined && !allowed.has(hostNameOf(req.headers.host ?? ''))) return false;
    hardening.drain.track(req as Request, res as never, () => undefined);
    void answer(req, res, length).catch((error: unknown) => {
      if (error instanceof ClientGone || req.destroyed) return;
      runtime.logger.error({ err: error, path: '/graphql' }, 'unhandled HTTP error');
      if (!res.headersSent) reply(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, length: number): Promise<void> {
    const admission = await admit(privacy, acceptsMainEndpoint, req);
    if (!admission.admitted) {
      if (admission.status === 401) res.setHeader('www-authenticate', 'Bearer');
      reply(res, admission.status, { errors: [{ message: admission.message, extensions: { code: admission.code } }] });
      return;
    }
    if (length > options.maxBodyBytes) {
      req.resume();
      reply(res, 413, { errors: [{ message: 'Request body too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      return;
    }
    const text = await readBody(req, length);
    let body: unknown;
    try {
      body = parseStrict(text);
    } catch {
      reply(res, 400, { errors: [{ message: 'Malformed request.', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    const batching = hardening.limits.batching;
    if (Array.isArray(body) && batching.enabled && body.length > batching.maxOperations) {
      reply(res, 400, { errors: [{ message: `A batch may hold at most ${batching.maxOperations} operations.`, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const request = expressShaped(req, res);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: async () => options.context(request),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** What the context and the privacy glue read of an express request: `header()`, `res`, `socket`. */
function expressShaped(req: IncomingMessage, res: ServerResponse): Request {
  const shaped = req as IncomingMessage & { header(name: string): string | undefined; res: ServerResponse };
  shaped.header = (name) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  shaped.res = res;
  return shaped as unknown as Request;
}

class ClientGone extends Error {}

function readBody(req: IncomingMessage, length: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.once('end', () =>
      received === length ? resolve(Buffer.concat(chunks, received).toString('utf8')) : reject(new Error('request body shorter than its content-length')),
    );
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/** body-parser's `strict` JSON: an object or an array, a leading byte-order mark ignored. */
function parseStrict(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw new SyntaxError('not an object or an array');
  return JSON.parse(body);
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const json = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(json));
  res.end(json);
}
