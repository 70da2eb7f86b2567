/**
 * An entity mapped in several sources (a role: web shop accounts and loyalty card holders
 * are both shopCustomer; shop orders and store receipts both order) is read as one entity.
 * The first mapping is primary: its rows are as the source holds them. The rows of every
 * other part carry their key, and each reference to an entity mapped in the same source,
 * prefixed by the source's name and ':' (`loyalty:LC0042`, its receipts' customerId
 * `loyalty:LC0042`), so that keys stay unique across parts and every resolver, link and
 * loader above works unchanged. A reference to an entity not mapped in the part's source
 * stays raw: it refers to that entity's primary part (store receipt lines naming the web
 * shop's product ids).
 *
 * This module routes keys and filters to the parts and prefixes the rows they answer.
 */
import { includedLists, attachIncluded } from '../../connectors/included.js';
import {
  markUnreadable,
  unreadableFields,
  type Filter,
  type IncludeRequest,
  type JsonValue,
  type OrderBy,
  type Row,
  type Scalar,
} from '../../connectors/contract.js';
import { CANONICAL_ENTITIES, isCanonicalEntityName } from '../config/canonical.js';
import type { C360Config, MappedPart } from '../config/types.js';

/** A filter on one part, or a condition every row of it meets (true) or none does (false). */
export type PartFilter = Filter | boolean;

/** The entity referred to by a canonical field (order.customerId -> shopCustomer), or undefined for a plain field; `id` refers to the entity itself. */
export function referredEntity(entity: string, field: string): string | undefined {
  if (field === 'id') return entity;
  if (!isCanonicalEntityName(entity)) return undefined;
  const fields = CANONICAL_ENTITIES[entity].fields as Readonly<Record<string, { readonly references?: string }>>;
  return fields[field]?.references;
}

/** Rows with `field` prefixed (a part's customer ids as the loaders show them); the rows themselves when the prefix is ''. */
export function withPrefix(rows: ReadonlyArray<Row>, field: string, prefix: string): Row[] {
  return prefix === '' ? [...rows] : rows.map((row) => ({ ...row, [field]: prefix + String(row[field]) }));
}

const perConfig = new WeakMap<C360Config['entities'], Silos>();

export class Silos {
  /** One per configuration: its memos live as long as the config, not one request. */
  static of(entities: C360Config['entities']): Silos {
    let silos = perConfig.get(entities);
    if (silos === undefined) perConfig.set(entities, (silos = new Silos(entities)));
    return silos;
  }

  constructor(private readonly entities: C360Config['entities']) {}

  partsOf(entity: string): ReadonlyArray<MappedPart> {
    return (this.entities as Readonly<Record<string, { readonly parts: ReadonlyArray<MappedPart> } | undefined>>)[entity]?.parts ?? [];
  }

  /** Whether the entity is mapped in more than one source. */
  isSplit(entity: string): boolean {
    return this.partsOf(entity).length > 1;
  }

  /**
   * Whether loads of `entity` by `keyField` go through the parts' routing: the entity is split,
   * or the key refers to one that is (events by customerId when shop accounts and loyalty cards
   * are both shopCustomer: a card's key names no event of the shop).
   */
  routes(entity: string, keyField: string): boolean {
    if (this.isSplit(entity)) return true;
    const target = referredEntity(entity, keyField);
    return target !== undefined && target !== entity && this.isSplit(target);
  }

  /** The prefix of values of `field` in the rows of `entity`'s part `index` ('' for raw values). */
  prefixOf(entity: string, index: number, field: string): string {
    const target = referredEntity(entity, field);
    if (target === undefined) return '';
    const at = this.referredPart(entity, index, target);
    return at <= 0 ? '' : `${this.partsOf(target)[at]!.source}:`;
  }

  /** Which part of `target` the references of `entity`'s part `index` name: the one in the same source, else the primary. */
  referredPart(entity: string, index: number, target: string): number {
    if (target === entity) return index;
    const source = this.partsOf(entity)[index]?.source;
    const found = this.partsOf(target).findIndex((part) => part.source === source);
    return found < 0 ? 0 : found;
  }

  /** The part of `entity` a (prefixed) key belongs to, and the key as that part stores it. */
  partOfKey(entity: string, key: string): { readonly part: number; readonly key: string } {
    const parts = this.partsOf(entity);
    for (let index = 1; index < parts.length; index++) {
      const prefix = `${parts[index]!.source}:`;
      if (key.startsWith(prefix)) return { part: index, key: key.slice(prefix.length) };
    }
    return { part: 0, key };
  }

  /** Where a record of `entity` lives: the source of the part its key names and the key as that source stores it; undefined when unmapped. */
  locate(entity: string, key: string): { readonly source: string; readonly key: string } | undefined {
    const parts = this.partsOf(entity);
    if (parts.length <= 1) return parts[0] === undefined ? undefined : { source: parts[0].source, key };
    const found = this.partOfKey(entity, key);
    return { source: parts[found.part]!.source, key: found.key };
  }

  /** The source a row of `entity` (as the loaders answer it) was read from. */
  sourceOfRow(entity: string, row: Row): string | undefined {
    const parts = this.partsOf(entity);
    return parts.length <= 1 ? parts[0]?.source : this.locate(entity, String(row.id))!.source;
  }

  /** The fields of `fields` that part `index` maps (the key always): what it is asked for. */
  projectionFor(entity: string, index: number, fields: Iterable<string>): string[] {
    const part = this.partsOf(entity)[index];
    return [...fields].filter((field) => field === 'id' || part?.fields.has(field) === true);
  }

  /**
   * Where a key of `keyField` goes: for the key or a reference, the parts whose values can
   * hold it, with the key as they store it; for any other field, every part mapping it.
   */
  route(entity: string, keyField: string, key: Scalar): Array<{ readonly part: number; readonly key: Scalar }> {
    const parts = this.partsOf(entity);
    const target = referredEntity(entity, keyField);
    const mapping = (index: number) => parts[index]!.fields.has(keyField) || keyField === 'id';
    if (target === undefined) return parts.flatMap((_, index) => (mapping(index) ? [{ part: index, key }] : []));
    const { part: targetPart, key: stored } = this.partOfKey(target, String(key));
    const raw = targetPart === 0 ? key : stored;
    const routes: Array<{ part: number; key: Scalar }> = [];
    parts.forEach((_, index) => {
      if (mapping(index) && this.referredPart(entity, index, target) === targetPart) routes.push({ part: index, key: raw });
    });
    return routes;
  }

  /** A row of part `index` as the loaders answer it: key and same-source references prefixed, included children too. */
  outward(entity: string, index: number, row: Row, include?: IncludeRequest): Row {
    // Nothing prefixed at this level or below (the primary part and its children): the row as it is.
    if (this.plain(entity, index, include)) return row;
    const prefixes = this.prefixes(entity, index);
    const children = include === undefined ? undefined : includedLists(row);
    if (prefixes.length === 0 && children === undefined) return row;
    const copy: Record<string, JsonValue> = { ...row };
    for (const [field, prefix] of prefixes) {
      const value = row[field];
      if (value !== null && value !== undefined) copy[field] = prefix + String(value);
    }
    markUnreadable(copy, unreadableFields(row));
    if (children !== undefined && include !== undefined) {
      const childIndex = this.referredPart(entity, index, include.entity);
      for (const [as, rows] of children) {
        const level = as === include.as ? include : undefined;
        attachIncluded(copy, as, level === undefined ? rows : rows.map((child) => this.outward(level.entity, childIndex, child, level.include)));
      }
    }
    return copy;
  }

  /** Whether no field of part `index`, nor of the children its include chain reads in the same source, is prefixed. */
  private plain(entity: string, index: number, include: IncludeRequest | undefined): boolean {
    if (this.prefixes(entity, index).length > 0) return false;
    return include === undefined || this.plain(include.entity, this.referredPart(entity, index, include.entity), include.include);
  }

  private readonly prefixMemo = new Map<string, ReadonlyArray<readonly [string, string]>>();

  /** The fields of part `index` whose values are prefixed, with their prefix. */
  private prefixes(entity: string, index: number): ReadonlyArray<readonly [string, string]> {
    const at = `${entity}\u0000${index}`;
    let found = this.prefixMemo.get(at);
    if (found === undefined) {
      const fields = isCanonicalEntityName(entity) ? Object.keys(CANONICAL_ENTITIES[entity].fields) : ['id'];
      found = fields.flatMap((field) => {
        const prefix = this.prefixOf(entity, index, field);
        return prefix === '' ? [] : [[field, prefix] as const];
      });
      this.prefixMemo.set(at, found);
    }
    return found;
  }

  /**
   * A filter as part `index` reads it: a value of the key or a reference that names another
   * part makes its comparison constant (the parts are ordered: primary first, then in the
   * file's order), one of this part's loses its prefix; a field the part does not map is
   * null (only `isNull` holds).
   */
  filterFor(entity: string, index: number, filter: Filter): PartFilter {
    switch (filter.op) {
      case 'and':
      case 'or': {
        // A constant that decides the whole (false in an and, true in an or) returns it; the other is left out.
        const decides = filter.op === 'or';
        const kept: Filter[] = [];
        for (const inner of filter.filters) {
          const part = this.filterFor(entity, index, inner);
          if (part === decides) return decides;
          if (typeof part !== 'boolean') kept.push(part);
        }
        return kept.length === 0 ? !decides : kept.length === 1 ? kept[0]! : { op: filter.op, filters: kept };
      }
      case 'not': {
        const inner = this.filterFor(entity, index, filter.filter);
        return typeof inner === 'boolean' ? !inner : { op: 'not', filter: inner };
      }
      default:
        break;
    }
    // A field this part does not map reads as null in each of its rows.
    const part = this.partsOf(entity)[index];
    if (part !== undefined && filter.field !== 'id' && !part.fields.has(filter.field)) return filter.op === 'isNull';
    if (filter.op === 'isNull' || filter.op === 'prefix') return filter;
    const target = referredEntity(entity, filter.field);
    if (target === undefined) return filter;
    const own = this.referredPart(entity, index, target);
    /** The value as this part stores it, or which side of this part it falls on. */
    const place = (value: Scalar): { readonly at: number; readonly value: Scalar } => {
      if (value === null) return { at: own, value };
      const { part, key } = this.partOfKey(target, String(value));
      return { at: part, value: part === 0 ? value : key };
    };
    if (filter.op === 'eq') {
      const { at, value } = place(filter.value);
      return at === own ? { ...filter, value } : false;
    }
    if (filter.op === 'in') {
      const values = filter.values.map(place).flatMap(({ at, value }) => (at === own ? [value] : []));
      return values.length === 0 ? false : { ...filter, values };
    }
    // range: every bound is kept, made constant, or decides the whole comparison.
    const bounds: Array<['gt' | 'gte' | 'lt' | 'lte', Scalar]> = [];
    for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
      const value = filter[bound];
      if (value === undefined) continue;
      const placed = place(value);
      const below = bound === 'lt' || bound === 'lte';
      if (placed.at === own) bounds.push([bound, placed.value]);
      else if (placed.at < own !== below)
        continue; // every row of this part is on the bound's right side
      else return false;
    }
    if (bounds.length === 0) return true;
    return { op: 'range', field: filter.field, ...Object.fromEntries(bounds) };
  }

  /** `orderBy` as part `index` reads it: a field it does not map is null in every row, so ordering by it changes nothing. */
  orderFor(entity: string, index: number, orderBy: ReadonlyArray<OrderBy>): ReadonlyArray<OrderBy> {
    const part = this.partsOf(entity)[index];
    if (part === undefined) return orderBy;
    const kept = orderBy.filter((order) => order.field === 'id' || part.fields.has(order.field));
    return kept.length === orderBy.length ? orderBy : kept;
  }

  /** Order of rows of different parts for `orderBy` (the parts' order for the key and references, then the values). */
  compareRows(entity: string, orderBy: ReadonlyArray<OrderBy>): (a: Row, b: Row) => number {
    return (a, b) => {
      for (const { field, direction } of orderBy) {
        const sign = direction === 'ASC' ? 1 : -1;
        let left: JsonValue | undefined = a[field];
        let right: JsonValue | undefined = b[field];
        const target = referredEntity(entity, field);
        if (target !== undefined && left != null && right != null) {
          const l = this.partOfKey(target, String(left));
          const r = this.partOfKey(target, String(right));
          if (l.part !== r.part) return sign * (l.part - r.part);
          left = l.part === 0 ? left : l.key;
          right = r.part === 0 ? right : r.key;
        }
        // Nulls last in either direction, as both dialects order them (NULLS LAST).
        if (left === null || left === undefined || right === null || right === undefined) {
          const leftNull = left === null || left === undefined;
          if (leftNull !== (right === null || right === undefined)) return leftNull ? 1 : -1;
          continue;
        }
        const order = compareValues(left, right);
        if (order !== 0) return sign * order;
      }
      return 0;
    };
  }
}

/** SQL's order of two values that are not null: numbers by value, dates and text as text. */
export function compareValues(a: JsonValue, b: JsonValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = a instanceof Date ? a.toISOString() : String(a);
  const right = b instanceof Date ? b.toISOString() : String(b);
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(left) && numeric.test(right)) return Number(left) - Number(right);
  return left < right ? -1 : left > right ? 1 : 0;
}
