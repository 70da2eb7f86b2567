/**
 * The Connector every SQL source shares: PostgreSQL and MySQL differ only in their driver
 * (how a statement runs, what its errors mean) and their dialect (how it is written).
 */
import { UnsupportedRequestError } from '../contract.js';
import type { Capabilities, CallOptions, Connector, LoadRequest, Row } from '../contract.js';
import type { EntityMapping, SqlSourceConfig } from '../mapping.js';
import { compileAggregate } from './aggregate.js';
import { compileAnalytics } from './analytics.js';
import { compileColumnsQuery, findMappingProblems, qualify } from './check.js';
import { compileLoad, compileScan } from './compile.js';
import type { SqlDialect } from './dialect.js';
import type { StatementContext } from './errors.js';
import type { Fragment } from './fragment.js';
import { runStatement, withSignal } from './run.js';
import type { DriverRecord, SqlDriver } from './run.js';
import { createEntityScope } from './scope.js';
import type { EntityScope } from './scope.js';

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
  analytics: ['rfm', 'rfmTotals', 'intent', 'intentWithoutPurchase', 'members'],
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

  async function scopeFor(entity: string, signal: AbortSignal): Promise<EntityScope> {
    const mapping = mappings.get(entity);
    if (mapping === undefined) throw new UnsupportedRequestError(source, `serve entity "${entity}"`);
    const dialect = await withSignal(server, { source, entity }, server.dialect(), signal);
    return createEntityScope(source, mapping, dialect);
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
      const scope = await scopeFor(request.entity, options.signal);
      const rowsByKey = new Map<string, Row[]>();
      const batches: Array<ReadonlyArray<string>> = [];
      for (let start = 0; start < keys.length; start += MAX_BATCH_SIZE) batches.push(keys.slice(start, start + MAX_BATCH_SIZE));
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

    async checkMapping(options) {
      const context: StatementContext = { source, entity: 'the mapping check' };
      const dialect = await withSignal(server, context, server.dialect(), options.signal);
      const tables = config.entities.map((mapping) => qualify(mapping.table, server.defaultSchema));
      if (tables.length === 0) return [];
      const records = await runStatement(server, dialect.placeholder, context, compileColumnsQuery(dialect, tables), options);
      return findMappingProblems(dialect, config.entities, server.defaultSchema, records);
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

function assertLoadSupported(source: string, request: LoadRequest): void {
  if (!SQL_CAPABILITIES.keyMatch.includes(request.keyMatch)) {
    throw new UnsupportedRequestError(source, `match keys by ${request.keyMatch}`);
  }
  if (request.limitPerKey !== undefined && (!Number.isSafeInteger(request.limitPerKey) || request.limitPerKey < 1)) {
    throw new UnsupportedRequestError(source, `return ${request.limitPerKey} rows per key`);
  }
}
