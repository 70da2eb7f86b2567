/**
 * The REST connector: an operator's HTTP API, described in c360.yaml, behind the
 * connector contract. Keys go out in chunks of batch.maxKeys when the API takes several
 * keys per call (otherwise one call per key, bounded by maxConcurrency); every page is
 * followed; items are mapped to canonical rows and grouped back by key.
 *
 * Capabilities: projection (only the projected fields are mapped and returned);
 * limitPerKey, order and the eq/in filters are applied after the fetch, on each key's
 * rows; no aggregate. Scan only on an entity with a `follow` endpoint, and only the
 * follow's shape: items from a time on, oldest first (./follow.ts).
 */
import { UnsupportedRequestError } from '../contract.js';
import type { CallOptions, Connector, JsonValue, LoadRequest, MappingProblem, Row, SourceHealth } from '../contract.js';
import type { RestEndpoint, RestEntityMapping, RestSourceConfig } from './config.js';
import { getAtPath } from './json-path.js';
import type { JsonPath } from './json-path.js';
import { planCall } from './request.js';
import { CLIENT_SIDE_OPERATORS, applyResidual, filterFields } from './residual.js';
import { callSource, createRuntime, statsOf, toSourceError } from './runtime.js';
import type { CallContext, RestSourceStats, SourceRuntime } from './runtime.js';
import { fetchChunk, listOf } from './pages.js';
import { withDeadline } from './deadline.js';
import { HttpAttemptError } from './http.js';
import { planFollow, takeFollowed } from './follow.js';
import type { SharedStore } from '../../src/state/shared-store.js';

const statsByConnector = new WeakMap<Connector, () => RestSourceStats>();

/** Counters of a REST connector (calls, retries, cache hits, breaker state); undefined for other connectors. */
export function getRestStats(connector: Connector): RestSourceStats | undefined {
  return statsByConnector.get(connector)?.();
}

/** `sharedStore`: where replicas share cached replies (Redis), when the source has a cache. */
export function createRestConnector(config: RestSourceConfig, sharedStore?: SharedStore): Connector {
  const runtime = createRuntime(config, sharedStore);
  const entities = new Map(config.entities.map((entity) => [entity.entity, entity]));
  const maxBatchSize = Math.max(1, ...config.entities.flatMap((entity) => entity.endpoints.map((endpoint) => endpoint.batch?.maxKeys ?? 1)));

  const connector: Connector = {
    name: config.name,
    capabilities: {
      projection: true,
      limitPerKey: true,
      scan: config.entities.some((entity) => entity.follow !== undefined),
      aggregate: false,
      keyMatch: ['exact', 'caseInsensitive'],
      filter: { operators: CLIENT_SIDE_OPERATORS },
      maxBatchSize,
    },

    async load(request, options) {
      const { entity, endpoint, fieldNames } = planLoad(config, entities, request);
      const normalize = request.keyMatch === 'caseInsensitive' ? (key: string) => key.trim().toLowerCase() : (key: string) => key;
      const wanted = new Map<string, string>();
      for (const key of request.keys) if (key !== null) wanted.set(normalize(String(key)), String(key));
      const keys = [...wanted.values()];
      const chunkSize = endpoint.batch?.maxKeys ?? 1;
      const chunks: string[][] = [];
      for (let start = 0; start < keys.length; start += chunkSize) chunks.push(keys.slice(start, start + chunkSize));

      const rowsByKey = new Map<string, Row[]>();
      await withDeadline(config, options.signal, async (signal, deadlineAt) => {
        const context = callContext(request.entity, signal, deadlineAt, options, endpoint);
        await Promise.all(
          chunks.map(async (chunk) => {
            for (const row of await fetchChunk(runtime, entity, endpoint, chunk, fieldNames, context)) {
              const value = row[request.keyField];
              if (value === null || value === undefined || typeof value === 'object') continue;
              const key = normalize(String(value));
              if (!wanted.has(key)) continue;
              const rows = rowsByKey.get(key);
              if (rows === undefined) rowsByKey.set(key, [row]);
              else rows.push(row);
            }
          }),
        );
      });
      return request.keys.map((key) => (key === null ? [] : applyResidual(rowsByKey.get(normalize(String(key))) ?? [], request)));
    },

    async scan(request, options) {
      const plan = planFollow(config.name, entities.get(request.entity), request);
      const rows = await withDeadline(config, options.signal, async (signal, deadlineAt) =>
        fetchChunk(
          runtime,
          plan.entity,
          plan.endpoint,
          [plan.since],
          plan.fieldNames,
          callContext(request.entity, signal, deadlineAt, options, plan.endpoint),
          plan.enough,
        ),
      );
      return takeFollowed(config.name, rows, plan, request);
    },

    async checkMapping(options) {
      const problems: MappingProblem[] = [];
      for (const entity of config.entities) {
        for (const endpoint of entity.endpoints) {
          // Without probeKey the endpoint is still called (reachability, credentials), with a key that matches nobody.
          problems.push(...(await probe(runtime, entity, endpoint, endpoint.probeKey ?? NO_ONE, endpoint.probeKey !== undefined, options)));
        }
        // The follow endpoint (what triggers scan) is called like a lookup: its first page from the epoch, its paths checked on the items.
        if (entity.follow !== undefined) problems.push(...(await probe(runtime, entity, entity.follow, FOLLOW_FROM, true, options, true)));
      }
      return problems;
    },

    async health(signal) {
      return ping(runtime, signal);
    },

    async close() {
      runtime.client.close();
      runtime.cache?.clear();
    },
  };
  statsByConnector.set(connector, () => statsOf(runtime));
  return connector;
}

function planLoad(
  config: RestSourceConfig,
  entities: ReadonlyMap<string, RestEntityMapping>,
  request: LoadRequest,
): { entity: RestEntityMapping; endpoint: RestEndpoint; fieldNames: ReadonlyArray<string> } {
  const entity = entities.get(request.entity);
  if (entity === undefined) throw new UnsupportedRequestError(config.name, `load "${request.entity}", which is not mapped on it`);
  const endpoint = entity.endpoints.find((candidate) => candidate.keyField === request.keyField);
  if (endpoint === undefined)
    throw new UnsupportedRequestError(config.name, `look up "${request.entity}" by "${request.keyField}" (no endpoint has that keyField)`);
  if (request.keyMatch === 'digits') throw new UnsupportedRequestError(config.name, 'match keys on digits');
  if (request.keyMatch === 'caseInsensitive' && endpoint.keyMatch === 'exact') {
    throw new UnsupportedRequestError(config.name, `match "${request.keyField}" case-insensitively (the endpoint's keyMatch is exact)`);
  }
  const needed = new Set([
    ...request.projection,
    request.keyField,
    ...filterFields(config.name, request.filter),
    ...(request.orderBy ?? []).map((order) => order.field),
  ]);
  for (const field of needed) {
    if (entity.fields[field] === undefined) throw new UnsupportedRequestError(config.name, `return "${request.entity}.${field}", which is not mapped`);
  }
  return { entity, endpoint, fieldNames: [...needed] };
}

function callContext(entity: string, signal: AbortSignal, deadlineAt: number, options: CallOptions, endpoint: RestEndpoint): CallContext {
  return {
    entity,
    signal,
    deadlineAt,
    onCall: options.onCall,
    countRows: (body: JsonValue) => {
      const list = getAtPath(body, endpoint.list.segments);
      return Array.isArray(list) ? list.length : 0;
    },
  };
}

/** One call with a known key; reports mapped paths absent from the first item (best effort). */
/** The key a check without probeKey asks for: a real call, answered (as a rule) with no item. */
const NO_ONE = 'c360-check-no-such-key';

/** The {since} a check of a follow endpoint sends: the first page of everything, the items most likely to be there. */
const FOLLOW_FROM = '1970-01-01T00:00:00.000Z';

async function probe(
  runtime: SourceRuntime,
  entity: RestEntityMapping,
  endpoint: RestEndpoint,
  key: string,
  chosen: boolean,
  options: CallOptions,
  follow = false,
): Promise<MappingProblem[]> {
  const planned = planCall(runtime.config, endpoint, [key], {
    page: endpoint.pagination.style === 'page' ? endpoint.pagination.firstPage : undefined,
    pageIndex: 0,
  });
  const call = `${planned.statement} (${follow ? `follow, since ${key}` : chosen ? `probeKey "${key}"` : 'no probeKey'})`;
  // Where the problem is in c360.yaml: entities.<entity>.endpoint or entities.<entity>.follow (src/gateway/mapping-check.ts pathOf).
  const at = follow ? 'follow' : 'endpoint';
  let body: JsonValue | null;
  try {
    body = await withDeadline(runtime.config, options.signal, async (signal, deadlineAt) => {
      const reply = await callSource(runtime, endpoint, planned, callContext(entity.entity, signal, deadlineAt, options, endpoint));
      return reply.kind === 'json' ? reply.body : null;
    });
  } catch (error) {
    const failure = toSourceError(error, runtime.config);
    const status = httpStatusOf(error);
    const refused = status === 401 || status === 403;
    // A 4xx other than auth is the API refusing this key or this request: a mapping problem; 5xx, timeouts and networks are an outage.
    const mappingFault = refused || (status !== undefined && status >= 400 && status < 500 && status !== 429);
    if (!chosen && mappingFault && !refused && status !== 404) {
      return [
        {
          entity: entity.entity,
          field: at,
          severity: 'warning',
          message: `${call} answered HTTP ${status} for a key that matches nobody; set probeKey to a key that exists to verify the mapped paths`,
        },
      ];
    }
    return [{ entity: entity.entity, field: at, message: `${call}: ${failure.message}`, ...(mappingFault ? {} : { unreachable: true as const }) }];
  }
  if (body === null) {
    if (chosen) return [{ entity: entity.entity, field: at, message: `${call} answered 404${follow ? '' : ' for the probe key'}` }];
    return [
      { entity: entity.entity, field: at, severity: 'warning', message: `${call} answered 404; set probeKey to a key that exists to verify the mapped paths` },
    ];
  }
  let items: ReadonlyArray<JsonValue>;
  try {
    items = listOf(runtime.config.name, body, endpoint.list);
  } catch (error) {
    return [{ entity: entity.entity, field: at, message: `${call}: ${toSourceError(error, runtime.config).message}` }];
  }
  if (items.length === 0) {
    return [
      {
        entity: entity.entity,
        field: at,
        severity: 'warning',
        message: chosen
          ? `${call} answered with no item: the mapped paths were not verified`
          : `${call} answered with no item: reachable, but the mapped paths were not verified (set probeKey to a key that exists)`,
      },
    ];
  }
  const problems: MappingProblem[] = [];
  for (const [field, mapping] of Object.entries(entity.fields)) {
    const paths = mapping.source.kind === 'path' ? [mapping.source.path] : mapping.source.paths;
    for (const path of paths) {
      // Absent from every item of a real reply: every row would read it as null (a key field: no row would ever match).
      if (!items.every((item) => isAbsent(item, path))) continue;
      const keyField = entity.endpoints.some((candidate) => candidate.keyField === field);
      problems.push({
        entity: entity.entity,
        field,
        message: `path "${path.text}" is absent from all ${items.length} item${items.length === 1 ? '' : 's'} of ${call}${keyField ? `; ${field} is the key rows are matched by, so every ${entity.entity} would be lost` : ''}`,
      });
    }
  }
  return problems;
}

/** The HTTP status behind a failed call, through SourceError causes. */
function httpStatusOf(error: unknown): number | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof HttpAttemptError) return current.details.status;
  }
  return undefined;
}

/** A missing property; a null on the way (satisfaction_rating: null) says nothing about the path. */
function isAbsent(item: JsonValue, path: JsonPath): boolean {
  for (let depth = 1; depth <= path.segments.length; depth++) {
    const value = getAtPath(item, path.segments.slice(0, depth));
    if (value === null) return false;
    if (value === undefined) return true;
  }
  return false;
}

/** Any HTTP answer from baseUrl means the host is up; 5xx or an open breaker means degraded. */
async function ping(runtime: SourceRuntime, signal: AbortSignal): Promise<SourceHealth> {
  const startedAt = performance.now();
  const { config } = runtime;
  try {
    await runtime.limiter?.acquire(signal);
    const response = await runtime.client.axios.request({
      method: 'GET',
      url: config.baseUrl,
      headers: config.headers,
      timeout: config.attemptTimeoutMillis,
      signal,
    });
    const latencyMillis = Math.round(performance.now() - startedAt);
    const breaker = statsOf(runtime).breakerState;
    if (response.status >= 500) return { state: 'degraded', latencyMillis, detail: `HTTP ${response.status}` };
    if (breaker !== 'closed') return { state: 'degraded', latencyMillis, detail: `circuit ${breaker}` };
    return { state: 'up', latencyMillis };
  } catch (error) {
    return { state: 'down', detail: toSourceError(error, config).message };
  }
}
