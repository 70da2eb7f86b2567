/**
 * The Connector every SQL source shares: PostgreSQL and MySQL differ only in their driver
 * (how a statement runs, what its errors mean) and their dialect (how it is written).
 */
import { UnsupportedRequestError } from '../contract.js';
import type { Capabilities, CallOptions, Connector, LoadRequest, Row } from '../contract.js';
import type { EntityMapping, SqlSourceConfig } from '../mapping.js';
import { compileAggregate } from './aggregate.js';
import { compileAnalytics } from './analytics.js';
import { compileCube } from './cube.js';
import { compileColumnsQuery, findMappingProblems, mappedTables, qualify } from './check.js';
import { enumColumns, enumProblems } from './enum-check.js';
import { compileLoad, compileUnionLoad, compileScan } from './compile.js';
import { compileIncludedLoad } from './include.js';
import type { SqlDialect } from './dialect.js';
import type { StatementContext } from './errors.js';
import type { Fragment } from './fragment.js';
import { runStatement, withSignal } from './run.js';
import type { DriverRecord, SqlDriver } from './run.js';
import { createEntityScope } from './scope.js';
import { describeBlockingLookups } from './blocking-indexes.js';
import { describePlan, lookupKey, readLookupPlans, relatedLookups, type LookupPlans } from './lookup-indexes.js';
import type { EntityScope } from './scope.js';

/** Lookup plans are read again this often, so a new index or newly padded values are seen. */
const LOOKUP_PLANS_MAX_AGE_MILLIS = 10 * 60_000;
const LOOKUP_PLANS_RETRY_MILLIS = 5_000;
const LOOKUP_PLANS_WAIT_MILLIS = 5_000;

// PostgreSQL and MySQL both cap a statement at 65535 placeholders; 5000 keys leaves
// room for the filter's values and keeps each statement's packet small.
const MAX_BATCH_SIZE = 5000;

export const SQL_CAPABILITIES: Capabilities = {
  projection: true,
  limitPerKey: true,
  scan: true,
  aggregate: true,
  keyMatch: ['exact', 'caseInsensitive', 'digits', 'email'],
  filter: { operators: ['eq', 'in', 'range', 'prefix', 'isNull', 'and', 'or', 'not'] },
  maxBatchSize: MAX_BATCH_SIZE,
  analytics: ['rfm', 'rfmBoundaries', 'rfmMeasures', 'rfmTotals', 'intent', 'intentLevels', 'intentWithoutPurchase', 'members'],
  include: true,
  compoundKeys: true,
};

export interface SqlServer extends SqlDriver {
  /** The dialect, once the server is known (MySQL and MariaDB take timeouts differently). */
  dialect(): Promise<SqlDialect>;
  /** Where unqualified table names live: PostgreSQL's public schema, MySQL's URL database. */
  readonly defaultSchema: string;
  end(): Promise<void>;
}

export function createSqlConnectorOver(config: SqlSourceConfig, server: SqlServer): Connector {
  const source = config.name;
  const mappings = new Map<string, EntityMapping>(config.entities.map((mapping) => [mapping.entity, mapping]));
  let closing: Promise<void> | undefined;
  let plans: { readonly at: number; read?: LookupPlans; readonly reading: Promise<LookupPlans | undefined> } | undefined;

  /**
   * Read on the first load and every LOOKUP_PLANS_MAX_AGE_MILLIS after, in the background;
   * a read that fails is tried again LOOKUP_PLANS_RETRY_MILLIS later. A load never waits
   * more than LOOKUP_PLANS_WAIT_MILLIS for them: until they are read, or where the source
   * refuses the catalog queries, lookups keep the exact (scanning) predicate.
   */
  async function lookupPlans(dialect: SqlDialect, signal: AbortSignal): Promise<LookupPlans | undefined> {
    const now = Date.now();
    const current = plans;
    if (current === undefined || now - current.at > (current.read === undefined ? LOOKUP_PLANS_RETRY_MILLIS : LOOKUP_PLANS_MAX_AGE_MILLIS)) {
      const previous = current?.read;
      const next: { at: number; read?: LookupPlans; reading: Promise<LookupPlans | undefined> } = {
        at: now,
        ...(previous === undefined ? {} : { read: previous }),
        reading: readLookupPlans(server, dialect, source, config.entities, server.defaultSchema, AbortSignal.timeout(30_000)).then(
          (read) => (next.read = read),
          () => previous,
        ),
      };
      plans = next;
    }
    const state = plans!;
    if (state.read !== undefined) return state.read;
    // Not longer than the caller waits either: an aborted load then fails on its own statement.
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), LOOKUP_PLANS_WAIT_MILLIS);
      onAbort = () => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([state.reading, waited]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort!);
    }
  }

  async function scopeFor(entity: string, signal: AbortSignal, withLookups = false): Promise<EntityScope> {
    const mapping = mappings.get(entity);
    if (mapping === undefined) throw new UnsupportedRequestError(source, `serve entity "${entity}"`);
    const dialect = await withSignal(server, { source, entity }, server.dialect(), signal);
    if (!withLookups) return createEntityScope(source, mapping, dialect);
    return createEntityScope(source, mapping, dialect, await lookupPlans(dialect, signal));
  }

  function run(scope: EntityScope, statement: Fragment, options: CallOptions): Promise<ReadonlyArray<DriverRecord>> {
    const context: StatementContext = { source, entity: scope.mapping.entity };
    return runStatement(server, scope.dialect.placeholder, context, statement, options);
  }

  return {
    name: source,
    capabilities: SQL_CAPABILITIES,

    async load(request, options) {
      assertLoadSupported(source, request);
      const keys = [...new Set(request.keys.flatMap((key) => (key === null ? [] : [String(key)])))];
      if (keys.length === 0) return request.keys.map(() => []);
      const scope = await scopeFor(request.entity, options.signal, request.keyMatch !== 'exact');
      const rowsByKey = new Map<string, Row[]>();
      const batches: Array<ReadonlyArray<string>> = [];
      for (let start = 0; start < keys.length; start += MAX_BATCH_SIZE) batches.push(keys.slice(start, start + MAX_BATCH_SIZE));
      const { include } = request;
      if (include !== undefined) {
        const childScope = (entity: string): EntityScope => {
          const mapping = mappings.get(entity);
          if (mapping === undefined) throw new UnsupportedRequestError(source, `serve entity "${entity}"`);
          return createEntityScope(source, mapping, scope.dialect, scope.lookups);
        };
        await Promise.all(
          batches.map(async (batch) => {
            const compiled = compileIncludedLoad(scope, childScope, { ...request, include }, batch);
            for (const [key, rows] of compiled.read(await run(scope, compiled.statement, options))) rowsByKey.set(key, rows);
          }),
        );
        return request.keys.map((key) => (key === null ? [] : (rowsByKey.get(String(key)) ?? [])));
      }
      await Promise.all(
        batches.map(async (batch) => {
          const compiled = compileLoad(scope, request, batch);
          for (const record of await run(scope, compiled.statement, options)) {
            const key = compiled.keyOf(record);
            const rows = rowsByKey.get(key) ?? [];
            rows.push(compiled.read(record));
            rowsByKey.set(key, rows);
          }
        }),
      );
      return request.keys.map((key) => (key === null ? [] : (rowsByKey.get(String(key)) ?? [])));
    },

    async loadUnion(requests, options) {
      for (const request of requests) assertLoadSupported(source, request);
      const parts = requests.map((request) => ({ request, keys: [...new Set(request.keys.flatMap((key) => (key === null ? [] : [String(key)])))] }));
      const asked = parts.filter((part) => part.keys.length > 0);
      const entity = requests[0]?.entity;
      // One statement when it can be one; else each load on its own (same answers).
      const ranked = asked.every((part) => part.request.limitPerKey !== undefined);
      const unranked = asked.every((part) => part.request.limitPerKey === undefined && part.request.orderBy === undefined);
      if (
        asked.length < 2 ||
        !(ranked || unranked) ||
        asked.some((part) => part.keys.length > MAX_BATCH_SIZE || part.request.include !== undefined || part.request.entity !== entity)
      ) {
        return Promise.all(requests.map((request) => this.load(request, options)));
      }
      const scope = await scopeFor(
        entity!,
        options.signal,
        asked.some((part) => part.request.keyMatch !== 'exact'),
      );
      const compiled = compileUnionLoad(scope, asked);
      const rowsByPart = asked.map(() => new Map<string, Row[]>());
      for (const record of await run(scope, compiled.statement, options)) {
        const index = compiled.partOf(record);
        const part = compiled.parts[index]!;
        const key = part.keyOf(record);
        const byKey = rowsByPart[index]!;
        const rows = byKey.get(key) ?? [];
        rows.push(part.read(record));
        byKey.set(key, rows);
      }
      return requests.map((request) => {
        const index = asked.findIndex((part) => part.request === request);
        return request.keys.map((key) => (key === null || index === -1 ? [] : (rowsByPart[index]!.get(String(key)) ?? [])));
      });
    },

    async scan(request, options) {
      if (!Number.isSafeInteger(request.limit) || request.limit < 1) {
        throw new UnsupportedRequestError(source, `scan with a limit of ${request.limit}`);
      }
      const scope = await scopeFor(request.entity, options.signal);
      const compiled = compileScan(scope, request);
      return (await run(scope, compiled.statement, options)).map((record) => compiled.read(record));
    },

    async aggregate(request, options) {
      const scope = await scopeFor(request.entity, options.signal);
      const compiled = compileAggregate(scope, request);
      return (await run(scope, compiled.statement, options)).map((record) => compiled.read(record));
    },

    async analytics(request, options) {
      // Both scopes share the one dialect; an unmapped entity fails only when a kind reads it.
      const dialect = await withSignal(server, { source, entity: 'analytics' }, server.dialect(), options.signal);
      const scope = (entity: string): EntityScope => {
        const mapping = mappings.get(entity);
        if (mapping === undefined) throw new UnsupportedRequestError(source, `serve entity "${entity}"`);
        return createEntityScope(source, mapping, dialect);
      };
      const compiled = compileAnalytics({ order: () => scope('order'), event: () => scope('event') }, request);
      const context: StatementContext = { source, entity: compiled.entity };
      const records = await runStatement(server, dialect.placeholder, context, compiled.statement, options);
      return records.map((record) => compiled.read(record));
    },

    async cube(request, options) {
      const dialect = await withSignal(server, { source, entity: 'order' }, server.dialect(), options.signal);
      const scope = (entity: string) => (): EntityScope => {
        const mapping = mappings.get(entity);
        if (mapping === undefined) throw new UnsupportedRequestError(source, `serve entity "${entity}"`);
        return createEntityScope(source, mapping, dialect);
      };
      const scopes = { order: scope('order'), orderLine: scope('orderLine'), product: scope('product'), event: scope('event') };
      // A bulk-linked cube lists up to hundreds of thousands of customer ids: as numbers when
      // the orders' column is an integer (MySQL compares quoted ones as DECIMAL, row by row).
      const integerCustomerIds =
        request.assigned !== undefined &&
        dialect.kind === 'mysql' &&
        (await lookupPlans(dialect, options.signal))?.get(lookupKey('order', 'customerId', 'exact'))?.integerColumn === true;
      const runCube = async (translateInStatement: boolean) => {
        const compiled = compileCube(scopes, request, translateInStatement, integerCustomerIds);
        const records = await runStatement(server, dialect.placeholder, { source, entity: 'order' }, compiled.statement, options);
        return { compiled, rows: records.map((record) => compiled.read(record)) };
      };
      // Enum dimensions are grouped as stored (as cheap as a hand-written GROUP BY); if two
      // stored values turned out to share a canonical group, distinct counts would not add
      // up, so the statement is asked again grouping on the canonical values.
      const first = await runCube(false);
      return first.compiled.mayCollide && hasSharedGroups(first.rows) ? (await runCube(true)).rows : first.rows;
    },

    async checkMapping(options) {
      const context: StatementContext = { source, entity: 'the mapping check' };
      const dialect = await withSignal(server, context, server.dialect(), options.signal);
      const tables = mappedTables(config.entities).map((name) => qualify(name, server.defaultSchema));
      if (tables.length === 0) return [];
      const records = await runStatement(server, dialect.placeholder, context, compileColumnsQuery(dialect, tables), options);
      const structural = findMappingProblems(dialect, config.entities, server.defaultSchema, records);
      // Stored values are read only where every column of the entity exists.
      const sound = config.entities.filter((mapping) => !structural.some((problem) => problem.entity === mapping.entity));
      const values = await Promise.all(
        enumColumns(source, dialect, sound).map(async (column) => {
          const held = await runStatement(
            server,
            dialect.placeholder,
            { source, entity: `${column.entity}.${column.field}'s stored values` },
            column.statement,
            options,
          );
          return enumProblems(column, held);
        }),
      );
      return [...structural, ...values.flat()];
    },

    async describeLookups(options) {
      const dialect = await withSignal(server, { source, entity: 'the lookup indexes' }, server.dialect(), options.signal);
      const read = await readLookupPlans(server, dialect, source, config.entities, server.defaultSchema, options.signal);
      // Identity reads e-mails by mailbox key here (match `email`): no advice for the trimmed
      // lower-cased lookup it no longer makes (still planned, and reported when an index serves it).
      const used = [...read.values()].filter((plan) => !(plan.field === 'email' && plan.keyMatch === 'caseInsensitive' && plan.service === 'none'));
      return [
        ...used.map((plan) => ({ served: plan.service !== 'none', message: describePlan(plan) })),
        ...relatedLookups(config.entities).map((message) => ({ served: false, message })),
      ];
    },

    async describeBlockingLookups(lookups, options) {
      const dialect = await withSignal(server, { source, entity: 'the blocking indexes' }, server.dialect(), options.signal);
      return describeBlockingLookups(server, dialect, source, config.entities, server.defaultSchema, lookups, options.signal);
    },

    async health(signal) {
      const startedAt = performance.now();
      try {
        await withSignal(server, { source, entity: 'health' }, server.query({ text: 'SELECT 1', params: [] }), signal);
        return { state: 'up', latencyMillis: Math.round(performance.now() - startedAt) };
      } catch (error) {
        return { state: 'down', detail: error instanceof Error ? error.message : String(error) };
      }
    },

    close() {
      closing ??= server.end();
      return closing;
    },
  };
}

const CUBE_MEASURES = new Set(['orders', 'revenue', 'units', 'customers', 'repeaters']);

/** Two rows of a cube answer with the same groups (and customer). */
function hasSharedGroups(rows: ReadonlyArray<Row>): boolean {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = JSON.stringify(Object.entries(row).filter(([name]) => !CUBE_MEASURES.has(name)));
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function assertLoadSupported(source: string, request: LoadRequest): void {
  if (!SQL_CAPABILITIES.keyMatch.includes(request.keyMatch)) {
    throw new UnsupportedRequestError(source, `match keys by ${request.keyMatch}`);
  }
  if (request.limitPerKey !== undefined && (!Number.isSafeInteger(request.limitPerKey) || request.limitPerKey < 1)) {
    throw new UnsupportedRequestError(source, `return ${request.limitPerKey} rows per key`);
  }
}
