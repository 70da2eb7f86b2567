/**
 * AggregateRequest -> one GROUP BY statement. Groups are canonical values: an enum field
 * is grouped on its translated value, so "web" and "W" both count toward WEB in one row.
 */
import { UnreachableCaseError, UnsupportedRequestError } from '../contract.js';
import type { AggregateRequest, Aggregation, JsonValue, Row } from '../contract.js';
import { coerceValue, readField } from './coerce.js';
import { allOf, compileFilter, conditionSql } from './filter.js';
import { raw, sql } from './fragment.js';
import type { Fragment } from './fragment.js';
import { column, list, staticConditions, table } from './scope.js';
import type { ColumnMapping, EntityScope } from './scope.js';
import { canonicalSql, translates } from './enum.js';

export interface CompiledAggregate {
  readonly statement: Fragment;
  read(record: Readonly<Record<string, unknown>>): Row;
}

export function compileAggregate(scope: EntityScope, request: AggregateRequest): CompiledAggregate {
  const { dialect } = scope;
  const alias = (name: string): Fragment => raw(dialect.quoteName(name));
  const readers: Array<(record: Readonly<Record<string, unknown>>, row: Record<string, JsonValue>) => void> = [];
  const groups: Fragment[] = [];

  for (const name of new Set(request.groupBy)) {
    const mapping = scope.field(name);
    if (mapping.kind === 'const') {
      readers.push((_record, row) => {
        row[name] = mapping.value;
      });
      continue;
    }
    groups.push(sql`${canonicalValue(scope, mapping)} AS ${alias(name)}`);
    // The statement already translated enum values; translating again could remap them.
    readers.push((record, row) => {
      row[name] = coerceValue(record[name], mapping.type, mapping.timezone);
    });
  }

  const measures = request.aggregations.map((aggregation) => {
    readers.push((record, row) => {
      row[aggregation.as] = readMeasure(scope, aggregation, record[aggregation.as]);
    });
    return sql`${measure(scope, aggregation)} AS ${alias(aggregation.as)}`;
  });

  const where = conditionSql(allOf([staticConditions(scope), request.filter === undefined ? true : compileFilter(request.filter, scope)]));
  // Positions rather than expressions: an enum group is a CASE with parameters, and
  // PostgreSQL would not see `$1` in GROUP BY as the `$1` in the select list.
  const groupBy = groups.length === 0 ? raw('') : raw(` GROUP BY ${groups.map((_group, index) => String(index + 1)).join(', ')}`);
  const selected = list([...groups, ...measures]);
  return {
    statement: sql`${raw(dialect.select)} ${selected} FROM ${table(scope)} WHERE ${where}${groupBy}`,
    read(record) {
      const row: Record<string, JsonValue> = {};
      for (const reader of readers) reader(record, row);
      return row;
    },
  };
}

export function canonicalValue(scope: EntityScope, mapping: ColumnMapping): Fragment {
  const value = column(scope, mapping);
  if (!translates(mapping)) return value;
  return canonicalSql(scope.dialect, scope.dialect.asText(value), mapping);
}

function measure(scope: EntityScope, aggregation: Aggregation): Fragment {
  if (aggregation.fn === 'count' && aggregation.field === undefined) return raw('COUNT(*)');
  const value = measuredColumn(scope, aggregation);
  switch (aggregation.fn) {
    case 'count':
      return sql`COUNT(${value})`;
    case 'countDistinct':
      // Distinct canonical values: "web" and "W" are one channel.
      return sql`COUNT(DISTINCT ${canonicalValue(scope, measuredMapping(scope, aggregation))})`;
    case 'sum':
      return sql`SUM(${value})`;
    case 'min':
      return sql`MIN(${value})`;
    case 'max':
      return sql`MAX(${value})`;
    case 'avg':
      return sql`AVG(${value})`;
    default:
      throw new UnreachableCaseError(aggregation.fn);
  }
}

function measuredColumn(scope: EntityScope, aggregation: Aggregation): Fragment {
  return column(scope, measuredMapping(scope, aggregation));
}

function measuredMapping(scope: EntityScope, aggregation: Aggregation): ColumnMapping {
  if (aggregation.field === undefined) {
    throw new UnsupportedRequestError(scope.source, `compute ${aggregation.fn} without a field`);
  }
  const mapping = scope.field(aggregation.field);
  if (mapping.kind === 'const') {
    throw new UnsupportedRequestError(scope.source, `aggregate the constant field "${scope.mapping.entity}.${aggregation.field}"`);
  }
  return mapping;
}

function readMeasure(scope: EntityScope, aggregation: Aggregation, value: unknown): JsonValue {
  switch (aggregation.fn) {
    case 'count':
    case 'countDistinct':
      // PostgreSQL returns COUNT as bigint, which pg hands over as a string.
      return coerceValue(value, 'int') ?? 0;
    case 'sum':
    case 'avg':
      return coerceValue(value, 'float');
    case 'min':
    case 'max':
      return aggregation.field === undefined ? null : readField(value, scope.field(aggregation.field));
    default:
      throw new UnreachableCaseError(aggregation.fn);
  }
}
