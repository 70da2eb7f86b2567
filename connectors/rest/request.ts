/**
 * Endpoint templates -> the HTTP request of one page of one chunk of keys, and the
 * statement reported to onCall: the same request with key values replaced by their
 * count (`requester_emails=<50 keys>`), so that logs and traces hold no personal data,
 * and no header, so they hold no secret.
 */
import type { JsonValue } from '../contract.js';
import type { RestEndpoint, RestSourceConfig } from './config.js';
import type { HttpRequest } from './http.js';

export interface PageState {
  /** Page number (page style). */
  readonly page?: number;
  /** Opaque cursor from the previous reply (cursor style). */
  readonly cursor?: string;
  /** The previous reply's next-page URL, on the source's own origin (cursor style). */
  readonly nextUrl?: string;
  readonly pageIndex: number;
}

export interface PlannedCall {
  readonly request: HttpRequest;
  readonly statement: string;
}

type Values = { readonly [name: string]: string | undefined };

const PLACEHOLDER = /\{(\w+)\}/g;

export function planCall(config: RestSourceConfig, endpoint: RestEndpoint, keys: ReadonlyArray<string>, state: PageState): PlannedCall {
  const separator = endpoint.batch?.separator ?? ',';
  const perPage = endpoint.pagination.style === 'none' ? undefined : String(endpoint.pagination.perPage);
  // A follow endpoint's one "key" is its {since} time.
  const real: Values = { key: keys[0], keys: keys.join(separator), since: keys[0], page: state.page?.toString(), perPage, cursor: state.cursor };
  const shown: Values = { ...real, key: '<key>', keys: `<${keys.length} keys>`, since: '<since>', cursor: state.cursor === undefined ? undefined : '<cursor>' };

  const body = endpoint.body === undefined ? undefined : fillBody(endpoint.body, real, keys);
  const shownBody = endpoint.body === undefined ? '' : ` ${JSON.stringify(fillBody(endpoint.body, shown, [shown.keys ?? '']))}`;
  const request = { method: endpoint.method, headers: config.headers, body: body === undefined ? undefined : JSON.stringify(body) };

  if (state.nextUrl !== undefined) {
    // The server built this URL (with the keys in it): report the template, not the URL.
    return {
      request: { ...request, url: state.nextUrl },
      statement: `${endpoint.method} ${fillPath(endpoint.path, shown, false)} (page ${state.pageIndex + 1})${shownBody}`,
    };
  }
  const path = fillPath(endpoint.path, real, true);
  const query = new URLSearchParams();
  const shownQuery: string[] = [];
  for (const [name, template] of Object.entries(endpoint.query)) {
    const value = fillString(template, real);
    if (value === undefined) continue;
    query.append(name, value);
    shownQuery.push(`${name}=${fillString(template, shown) ?? ''}`);
  }
  const search = query.size === 0 ? '' : `?${query.toString()}`;
  const shownSearch = shownQuery.length === 0 ? '' : `?${shownQuery.join('&')}`;
  return {
    request: { ...request, url: `${config.baseUrl}${path}${search}` },
    statement: `${endpoint.method} ${fillPath(endpoint.path, shown, false)}${shownSearch}${shownBody}`,
  };
}

function fillPath(template: string, values: Values, encode: boolean): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name] ?? '';
    return encode ? encodeURIComponent(value) : value;
  });
}

/** The template with its placeholders filled; undefined when one of them has no value (no cursor yet). */
function fillString(template: string, values: Values): string | undefined {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
}

/** A body string that is exactly one placeholder takes the value's JSON type: "{keys}" an array, "{page}" a number. */
function fillBody(template: JsonValue, values: Values, keys: ReadonlyArray<string>): JsonValue {
  if (typeof template === 'string') {
    const whole = /^\{(\w+)\}$/.exec(template)?.[1];
    if (whole === 'keys') return [...keys];
    if (whole === 'page' || whole === 'perPage') return values[whole] === undefined ? null : Number(values[whole]);
    if (whole !== undefined) return values[whole] ?? null;
    return fillString(template, values) ?? template.replace(PLACEHOLDER, '');
  }
  if (Array.isArray(template)) return (template as ReadonlyArray<JsonValue>).map((item) => fillBody(item, values, keys));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([name, item]) => [name, fillBody(item, values, keys)]));
  }
  return template;
}

/** The next page's URL from a cursor that is a URL, if it stays on the source's origin. */
export function sameOriginUrl(config: RestSourceConfig, cursor: string): string | 'otherOrigin' | undefined {
  if (cursor.startsWith('/')) return `${new URL(config.baseUrl).origin}${cursor}`;
  if (!/^https?:\/\//i.test(cursor)) return undefined;
  // Our headers carry the credentials: never send them to a host the reply names.
  return new URL(cursor).origin === new URL(config.baseUrl).origin ? cursor : 'otherOrigin';
}
