/**
 * A load with its children in one statement (LoadRequest.include): shop customers by
 * e-mail → their last 11 orders → the orders' lines → each line's product, as one SELECT
 * of LEFT JOINs instead of four statements in four waves. Every level is a derived table
 * whose columns carry the level's number ("1.placedAt"), so levels never collide:
 *
 *   SELECT t0.*, t1.*, … FROM (SELECT key AS "__key", … FROM customers WHERE <match>) t0
 *   LEFT JOIN (SELECT …, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY …) AS "1.__rank"
 *              FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE <match>)) t1
 *     ON t1."1.customerId" = t0."0.id" AND t1."1.__rank" <= 11
 *   LEFT JOIN (SELECT … FROM order_lines) t2 ON t2."2.orderId" = t1."1.id" …
 *   ORDER BY t0."__key", <level 0 order>, <level 1 order>, …
 *
 * A level limited per parent restricts its window to the parents' keys (the IN above), so
 * the window never ranks a whole table; an unlimited level is a plain derived table that
 * both servers merge into the join, reaching the child through its foreign-key index.
 */
import { UnsupportedRequestError } from '../contract.js';
import type { IncludeRequest, LoadRequest, Row } from '../contract.js';
import { attachIncluded } from '../included.js';
import { allOf, compileFilter, conditionSql } from './filter.js';
import type { Condition } from './filter.js';
import { join, param, raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { compileServedMatch, lookupKey } from './lookup-indexes.js';
import { column, list, projectionOf, readRow, staticConditions, table } from './scope.js';
import type { EntityScope } from './scope.js';
import { KEY_ALIAS, keyExpression, relatedPrefilter } from './compile.js';
import type { FieldMapping } from '../mapping.js';

const RANK = '__rank';

interface Level {
  readonly scope: EntityScope;
  readonly index: number;
  readonly fields: ReadonlyArray<readonly [string, FieldMapping]>;
  readonly orderBy: ReadonlyArray<{ readonly field: string; readonly direction: 'ASC' | 'DESC' }>;
  readonly limitPerKey?: number;
  /** The column children match on (this level's keyField); the root matches keys instead. */
  readonly keyField: string;
  /** The parent's field this level's keyField equals; undefined for the root. */
  readonly parentField?: string;
  readonly as?: string;
  readonly filter?: LoadRequest['filter'];
}

export interface CompiledIncludedLoad {
  readonly statement: Fragment;
  /** Rows per requested key, children attached. */
  read(records: ReadonlyArray<Readonly<Record<string, unknown>>>): Map<string, Row[]>;
}

function columnOf(scope: EntityScope, field: string): Fragment {
  const mapping = scope.field(field);
  if (mapping.kind !== 'column') throw new UnsupportedRequestError(scope.source, `join ${scope.mapping.entity} on the constant field "${field}"`);
  return column(scope, mapping);
}

export function compileIncludedLoad(
  root: EntityScope,
  scopeOf: (entity: string) => EntityScope,
  request: LoadRequest & { readonly include: IncludeRequest },
  keys: ReadonlyArray<string>,
): CompiledIncludedLoad {
  const { dialect } = root;
  const q = (name: string): Fragment => raw(dialect.quoteName(name));
  const levels: Level[] = [];
  const withKeyFields = (scope: EntityScope, projection: ReadonlyArray<string>, extra: ReadonlyArray<string | undefined>, orderBy: Level['orderBy']) =>
    projectionOf(scope, [
      ...new Set([...projection, scope.mapping.key, ...orderBy.map((term) => term.field), ...extra.filter((field): field is string => field !== undefined)]),
    ]);
  const rootOrder = request.orderBy ?? [];
  levels.push({
    scope: root,
    index: 0,
    fields: withKeyFields(root, request.projection, [request.keyField, request.include.parentField], rootOrder),
    orderBy: rootOrder,
    ...(request.limitPerKey === undefined ? {} : { limitPerKey: request.limitPerKey }),
    keyField: request.keyField,
    ...(request.filter === undefined ? {} : { filter: request.filter }),
  });
  for (let include: IncludeRequest | undefined = request.include; include !== undefined; include = include.include) {
    const scope = scopeOf(include.entity);
    const orderBy = include.orderBy ?? [];
    levels.push({
      scope,
      index: levels.length,
      fields: withKeyFields(scope, include.projection, [include.keyField, include.include?.parentField], orderBy),
      orderBy,
      ...(include.limitPerKey === undefined ? {} : { limitPerKey: include.limitPerKey }),
      keyField: include.keyField,
      parentField: include.parentField,
      as: include.as,
      ...(include.filter === undefined ? {} : { filter: include.filter }),
    });
  }

  const rootMatch = (): Condition => {
    const key = keyExpression(root, request.keyField, request.keyMatch);
    const served = compileServedMatch(dialect, root.lookups?.get(lookupKey(root.mapping.entity, request.keyField, request.keyMatch)), keys);
    return allOf([served ?? dialect.matchAny(key, keys), relatedPrefilter(root, request.keyField, request.keyMatch, keys)]);
  };
  /** The rows a level may hold, without any per-parent limit: what a child's window is restricted to. */
  const conditions = (level: Level): Condition => {
    const own = [staticConditions(level.scope), level.filter === undefined ? true : compileFilter(level.filter, level.scope)];
    if (level.index === 0) return allOf([rootMatch(), ...own]);
    const parent = levels[level.index - 1]!;
    if (level.limitPerKey === undefined) return allOf(own);
    const parents = sql`SELECT ${columnOf(parent.scope, level.parentField!)} FROM ${table(parent.scope)} WHERE ${conditionSql(conditions(parent))}`;
    return allOf([...own, sql`${columnOf(level.scope, level.keyField)} IN (${parents})`]);
  };
  const alias = (level: Level, field: string): Fragment => q(`${level.index}.${field}`);
  const orderOf = (level: Level) =>
    level.orderBy.some((term) => term.field === level.scope.mapping.key)
      ? level.orderBy
      : [...level.orderBy, { field: level.scope.mapping.key, direction: 'ASC' as const }];

  const derived = levels.map((level) => {
    const columns = level.fields.flatMap(([name, mapping]) =>
      mapping.kind === 'column' ? [sql`${column(level.scope, mapping)} AS ${alias(level, name)}`] : [],
    );
    if (level.index === 0) columns.unshift(sql`${keyExpression(root, request.keyField, request.keyMatch)} AS ${q(KEY_ALIAS)}`);
    if (level.limitPerKey !== undefined) {
      const partition = level.index === 0 ? keyExpression(root, request.keyField, request.keyMatch) : columnOf(level.scope, level.keyField);
      const order = orderOf(level).map(({ field, direction }) => dialect.orderTerm(columnOf(level.scope, field), direction));
      columns.push(sql`ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${list(order)}) AS ${alias(level, RANK)}`);
    }
    const condition = conditions(level);
    const where = condition === true ? raw('') : sql` WHERE ${conditionSql(condition)}`;
    return sql`(SELECT ${list(columns)} FROM ${table(level.scope)}${where}) ${q(`t${level.index}`)}`;
  });
  const ref = (level: Level, field: string): Fragment => sql`${q(`t${level.index}`)}.${alias(level, field)}`;
  let from = derived[0]!;
  for (const level of levels.slice(1)) {
    const parent = levels[level.index - 1]!;
    const on = [sql`${ref(level, level.keyField)} = ${ref(parent, level.parentField!)}`];
    if (level.limitPerKey !== undefined) on.push(sql`${ref(level, RANK)} <= ${param(level.limitPerKey)}`);
    from = sql`${from} LEFT JOIN ${derived[level.index]!} ON ${join(on, ' AND ')}`;
  }
  const rootLevel = levels[0]!;
  const where = rootLevel.limitPerKey === undefined ? raw('') : sql` WHERE ${ref(rootLevel, RANK)} <= ${param(rootLevel.limitPerKey)}`;
  const order = [
    sql`${q('t0')}.${q(KEY_ALIAS)}`,
    ...levels.flatMap((level) =>
      level.limitPerKey !== undefined ? [ref(level, RANK)] : orderOf(level).map(({ field, direction }) => dialect.orderTerm(ref(level, field), direction)),
    ),
  ];
  const selected = list(levels.map((level) => raw(`${dialect.quoteName(`t${level.index}`)}.*`)));
  const statement = sql`${raw(dialect.select)} ${selected} FROM ${from}${where} ORDER BY ${list(order)}`;

  return {
    statement,
    read(records) {
      const byKey = new Map<string, Row[]>();
      // Column names per level, built once per statement rather than per record and field.
      const columns = levels.map((level) => ({
        key: `${level.index}.${level.scope.mapping.key}`,
        aliases: level.fields.map(([name]) => `${level.index}.${name}`),
      }));
      // Per requested key the root entities seen (a map: keys equal under the server's
      // collation sort together, so one key's roots need not be contiguous), and under each
      // entity its children so far. Below the root, the ORDER BY puts every entity's records
      // together under its parent (each level is ordered by its parent's terms, then by its
      // own rank or terms ending in its key), so a child is either the parent's last one or
      // new: no map per entity (a Q2 page reads 1,500 lines, each holding one product).
      interface Entry {
        readonly row: Row;
        readonly children: Row[] | undefined;
        lastKey: string | undefined;
        last: Entry | undefined;
      }
      const last = levels.length - 1;
      const roots = new Map<string, Map<string, Entry>>();
      for (const record of records) {
        const key = String(record[KEY_ALIAS]);
        let parent: Entry | undefined;
        for (const level of levels) {
          const names = columns[level.index]!;
          const keyValue = record[names.key];
          if (keyValue === null || keyValue === undefined) break;
          const entityKey = String(keyValue);
          let entry: Entry | undefined;
          let seen: Map<string, Entry> | undefined;
          if (parent === undefined) {
            seen = roots.get(key);
            if (seen === undefined) roots.set(key, (seen = new Map()));
            entry = seen.get(entityKey);
          } else if (parent.lastKey === entityKey) {
            entry = parent.last;
          }
          if (entry === undefined) {
            const leaf = level.index === last;
            entry = { row: readRow(level.fields, record, names.aliases), children: leaf ? undefined : [], lastKey: undefined, last: undefined };
            if (!leaf) attachIncluded(entry.row, levels[level.index + 1]!.as!, entry.children!);
            if (parent === undefined) {
              seen!.set(entityKey, entry);
              const rows = byKey.get(key) ?? [];
              rows.push(entry.row);
              byKey.set(key, rows);
            } else {
              parent.children!.push(entry.row);
              parent.lastKey = entityKey;
              parent.last = entry;
            }
          }
          if (entry.children === undefined) break;
          parent = entry;
        }
      }
      return byKey;
    },
  };
}
