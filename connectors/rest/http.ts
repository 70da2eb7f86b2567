/**
 * One HTTP attempt with axios, and what its failure means for the policies around it:
 * whether it may be retried, whether it counts against the circuit breaker, how long
 * the server asked us to wait. The only file of the REST connector that imports axios.
 */
import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import type { JsonValue } from '../contract.js';

export type AttemptFailure = 'network' | 'timeout' | 'status' | 'cancelled' | 'notJson';

/** Why one attempt failed; turned into a SourceError at the connector's boundary. */
export class HttpAttemptError extends Error {
  override readonly name = 'HttpAttemptError';
  constructor(
    readonly failure: AttemptFailure,
    message: string,
    readonly details: { readonly status?: number; readonly retryAfterMillis?: number; readonly cause?: unknown; readonly cutShort?: boolean } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** Transient by nature: worth another try if the method is idempotent. */
  get retryable(): boolean {
    if (this.failure === 'network' || this.failure === 'timeout') return true;
    const status = this.details.status ?? 0;
    return this.failure === 'status' && (status >= 500 || status === 429 || status === 408);
  }

  /**
   * A sign the source is unwell. A 429 is not (it is working, and asking us to slow down),
   * nor a timeout of an attempt that c360 cut short because the call had spent its budget
   * waiting for a slot: a 2 s helpdesk under a 3 s timeout is slow, not failing.
   */
  get countsForBreaker(): boolean {
    return this.retryable && this.details.status !== 429 && !(this.failure === 'timeout' && this.details.cutShort === true);
  }
}

export interface HttpClient {
  readonly axios: AxiosInstance;
  close(): void;
}

export function createHttpClient(maxConcurrency: number): HttpClient {
  // Own agents, so close() frees this source's sockets and nothing else's.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: maxConcurrency });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: maxConcurrency });
  const instance = axios.create({
    httpAgent,
    httpsAgent,
    // Statuses and JSON are judged here, not by axios, so that each maps to its SourceError.
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
  });
  return {
    axios: instance,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type HttpReply = { readonly kind: 'json'; readonly body: JsonValue } | { readonly kind: 'notFound' };

/** One attempt: the parsed JSON reply, or `notFound` on a 404; throws HttpAttemptError. */
export async function attempt(client: HttpClient, request: HttpRequest, timeoutMillis: number, signal: AbortSignal): Promise<HttpReply> {
  let status: number;
  let text: unknown;
  let retryAfter: unknown;
  try {
    const response = await client.axios.request<string>({
      method: request.method,
      url: request.url,
      data: request.body,
      headers: { Accept: 'application/json', ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...request.headers },
      timeout: Math.max(1, Math.floor(timeoutMillis)),
      signal,
    });
    status = response.status;
    text = response.data;
    retryAfter = response.headers['retry-after'];
  } catch (error) {
    throw classifyTransportError(error, signal);
  }
  if (status === 404) return { kind: 'notFound' };
  if (status < 200 || status >= 300) {
    const retryAfterMillis = parseRetryAfter(retryAfter);
    const waitText = retryAfterMillis === undefined ? '' : ` (Retry-After ${Math.ceil(retryAfterMillis / 1000)} s)`;
    throw new HttpAttemptError('status', `HTTP ${status}${waitText}`, { status, retryAfterMillis });
  }
  try {
    return { kind: 'json', body: JSON.parse(typeof text === 'string' ? text : '') as JsonValue };
  } catch (error) {
    throw new HttpAttemptError('notJson', 'a body that is not JSON', { status, cause: error });
  }
}

function classifyTransportError(error: unknown, signal: AbortSignal): HttpAttemptError {
  if (signal.aborted || axios.isCancel(error)) return new HttpAttemptError('cancelled', 'call cancelled', { cause: error });
  const code = axios.isAxiosError(error) ? error.code : undefined;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return new HttpAttemptError('timeout', 'no reply in time', { cause: error });
  const detail = code ?? (error instanceof Error ? error.message : 'unknown error');
  return new HttpAttemptError('network', `unreachable (${detail})`, { cause: error });
}

/** Retry-After in delta-seconds or as an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
