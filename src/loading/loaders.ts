/**
 * Per-request batching: one DataLoader per (entity, key field, key match, projection,
 * filter, order, limit) signature, so every resolver that asks the same thing of the same
 * entity during one tick shares one statement. Built in the request context, never at
 * module scope, so no row is shared between callers.
 */
import DataLoader from 'dataloader';
import type {
  AggregateRequest,
  CallOptions,
  Connector,
  Filter,
  IncludeRequest,
  KeyMatch,
  KeyPart,
  OrderBy,
  Row,
  Scalar,
  ScanRequest,
} from '../../connectors/contract.js';
import { UnsupportedRequestError } from '../../connectors/contract.js';
import type { CanonicalEntityName } from '../config/canonical.js';
import type { C360Config } from '../config/types.js';

export interface LoadOptions {
  readonly keyField: string;
  readonly keyMatch?: KeyMatch;
  /** A compound key (keyField then names it): see LoadRequest.keyParts. Only in loadInUnion. */
  readonly keyParts?: ReadonlyArray<KeyPart>;
  readonly projection: ReadonlyArray<string>;
  readonly filter?: Filter;
  readonly orderBy?: ReadonlyArray<OrderBy>;
  readonly limitPerKey?: number;
  /** Children of the same source read in the same statement (see canInclude). */
  readonly include?: IncludeRequest;
}

// Include chains are built once per selection (memoized by the resolvers), so their JSON is too.
const includeSignatures = new WeakMap<IncludeRequest, string>();
function includeSignature(include: IncludeRequest | undefined): string {
  if (include === undefined) return '';
  let signature = includeSignatures.get(include);
  if (signature === undefined) includeSignatures.set(include, (signature = JSON.stringify(include)));
  return signature;
}

/** Thrown when the query needs an entity the configuration does not map. */
export class EntityNotMappedError extends Error {
  override readonly name = 'EntityNotMappedError';
  constructor(readonly entity: string) {
    super(`entity "${entity}" is not mapped in the configuration`);
  }
}

interface LoaderEntry {
  readonly loader: DataLoader<Scalar, ReadonlyArray<Row>, string>;
  /** DataLoader's cache, read directly so a narrower request can reuse a wider one's rows. */
  readonly cache: Map<string, Promise<ReadonlyArray<Row>>>;
  readonly fields: ReadonlySet<string>;
  /** Projection signatures (of the same shape) this entry's rows cover, memoized. */
  readonly covers: Map<string, boolean>;
  /** The loaders of the same shape (everything but the projection): this one and its siblings. */
  readonly siblings: LoaderEntry[];
}

export class Loaders {
  private readonly loaders = new Map<string, LoaderEntry>();
  /** Loaders by everything but the projection: where to look for rows already read with more fields. */
  private readonly byShape = new Map<string, LoaderEntry[]>();
  /** loadInUnion's loaders, by entity, projection, filter, order and limit. */
  private readonly unionLoaders = new Map<string, DataLoader<string, ReadonlyArray<Row>, string>>();

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    private readonly callOptions: CallOptions,
  ) {}

  isMapped(entity: CanonicalEntityName): boolean {
    return this.config.entities[entity] !== undefined;
  }

  /** Whether the source of `entity` can be read by keyset scans (REST sources cannot). */
  canScan(entity: CanonicalEntityName): boolean {
    if (!this.isMapped(entity)) return false;
    const connector = this.connectorFor(entity);
    return connector.scan !== undefined && connector.capabilities.scan;
  }

  /** Whether the source of `entity` compares keys by `keyMatch` (REST sources have no `email` or `digits` match). */
  supportsKeyMatch(entity: CanonicalEntityName, keyMatch: KeyMatch): boolean {
    if (!this.isMapped(entity)) return false;
    return this.connectorFor(entity).capabilities.keyMatch.includes(keyMatch);
  }

  /** Whether the source of `entity` loads by a compound key (LoadRequest.keyParts). */
  supportsCompoundKeys(entity: CanonicalEntityName): boolean {
    return this.isMapped(entity) && this.connectorFor(entity).capabilities.compoundKeys === true;
  }

  /** The mapped fields among `fields`: an unmapped field reads as null, it is never requested. */
  mappedFields(entity: CanonicalEntityName, fields: Iterable<string>): string[] {
    const mapped = this.config.entities[entity]?.fields;
    if (mapped === undefined) return [];
    return [...new Set(fields)].filter((field) => mapped.has(field)).sort();
  }

  /** Whether `entity` can be loaded with children of `children` in the same statement (one source that takes includes). */
  canInclude(entity: CanonicalEntityName, children: ReadonlyArray<CanonicalEntityName>): boolean {
    const mapped = this.config.entities[entity];
    if (mapped === undefined || this.connectors.get(mapped.source)?.capabilities.include !== true) return false;
    return children.every((child) => this.config.entities[child]?.source === mapped.source);
  }

  /** Source name of an entity, for errors and provenance. */
  sourceOf(entity: CanonicalEntityName): string {
    const mapped = this.config.entities[entity];
    if (mapped === undefined) throw new EntityNotMappedError(entity);
    return mapped.source;
  }

  /**
   * As `load`, but batched with every load of the same entity, projection, order and limit
   * whatever its key field: a record's blocking loads (same birth date, same surname, same
   * postcode…) for a whole page go out as one statement per source (the connector's
   * loadUnion, UNION ALL), or one per key field where the connector has none. Without a
   * limit per key (identity lookups: every holder of an id, an e-mail, a phone) there is no
   * order either. No include.
   */
  loadInUnion(entity: CanonicalEntityName, key: Scalar, options: Omit<LoadOptions, 'include'>): Promise<ReadonlyArray<Row>> {
    if (options.keyParts !== undefined) this.rememberParts(entity, options.keyField, options.keyParts);
    return this.unionLoader(entity, options).load(JSON.stringify([options.keyField, options.keyMatch ?? 'exact', key]));
  }

  /** Compound keys' parts by entity and compound name (its keyField), for the union loaders' requests. */
  private readonly compoundParts = new Map<string, ReadonlyArray<KeyPart>>();

  private rememberParts(entity: CanonicalEntityName, keyField: string, parts: ReadonlyArray<KeyPart>): void {
    const at = `${entity}\u0000${keyField}`;
    const known = this.compoundParts.get(at);
    if (known === undefined) this.compoundParts.set(at, parts);
    else if (JSON.stringify(known) !== JSON.stringify(parts))
      throw new UnsupportedRequestError(this.sourceOf(entity), `two compound keys named "${keyField}" with different parts`);
  }

  /** loadInUnion for several keys of one key field. */
  loadManyInUnion(entity: CanonicalEntityName, keys: ReadonlyArray<Scalar>, options: Omit<LoadOptions, 'include'>): Promise<Array<ReadonlyArray<Row>>> {
    if (options.keyParts !== undefined) this.rememberParts(entity, options.keyField, options.keyParts);
    const loader = this.unionLoader(entity, options);
    const keyMatch = options.keyMatch ?? 'exact';
    return Promise.all(keys.map((key) => loader.load(JSON.stringify([options.keyField, keyMatch, key]))));
  }

  private unionLoader(entity: CanonicalEntityName, options: Omit<LoadOptions, 'include'>): DataLoader<string, ReadonlyArray<Row>, string> {
    if (options.limitPerKey === undefined && options.orderBy !== undefined)
      throw new UnsupportedRequestError(this.sourceOf(entity), 'load in a union in an order without a limit per key');
    const signature = `${entity}|${options.projection.join(',')}|${options.limitPerKey ?? ''}|${options.filter === undefined ? '' : JSON.stringify(options.filter)}|${options.orderBy === undefined ? '' : JSON.stringify(options.orderBy)}`;
    let loader = this.unionLoaders.get(signature);
    if (loader === undefined) {
      const connector = this.connectorFor(entity);
      const projection = this.mappedFields(entity, options.projection);
      loader = new DataLoader<string, ReadonlyArray<Row>, string>(
        async (composite) => {
          // Keys grouped by (key field, match): one load request each, in first-asked order.
          const groups = new Map<string, { keyField: string; keyMatch: KeyMatch; keys: Scalar[] }>();
          const parsed = composite.map((entry) => JSON.parse(entry) as [string, KeyMatch, Scalar]);
          for (const [keyField, match, value] of parsed) {
            const group = groups.get(`${keyField}\u0000${match}`) ?? { keyField, keyMatch: match, keys: [] };
            group.keys.push(value);
            groups.set(`${keyField}\u0000${match}`, group);
          }
          const requests = [...groups.values()].map((group) => {
            if (!connector.capabilities.keyMatch.includes(group.keyMatch)) throw new UnsupportedRequestError(connector.name, `match keys by ${group.keyMatch}`);
            const keyParts = this.compoundParts.get(`${entity}\u0000${group.keyField}`);
            if (keyParts !== undefined && connector.capabilities.compoundKeys !== true)
              throw new UnsupportedRequestError(connector.name, `load by the compound key ${group.keyField}`);
            const keyFields = keyParts === undefined ? [group.keyField] : keyParts.map((part) => part.field);
            return {
              entity,
              keyField: group.keyField,
              keyMatch: group.keyMatch,
              ...(keyParts === undefined ? {} : { keyParts }),
              keys: group.keys,
              projection: this.mappedFields(entity, [...projection, ...keyFields]),
              ...(options.filter === undefined ? {} : { filter: options.filter }),
              ...(options.orderBy === undefined ? {} : { orderBy: options.orderBy }),
              ...(options.limitPerKey === undefined ? {} : { limitPerKey: options.limitPerKey }),
            };
          });
          // One projection for every part: the union of the parts' (each adds its key field).
          const shared = [...new Set(requests.flatMap((request) => request.projection))].sort();
          const uniform = requests.map((request) => ({ ...request, projection: shared }));
          const answers =
            connector.loadUnion !== undefined && uniform.length > 1
              ? await connector.loadUnion(uniform, this.callOptions)
              : await Promise.all(uniform.map((request) => connector.load(request, this.callOptions)));
          const byComposite = new Map<string, ReadonlyArray<Row>>();
          [...groups.values()].forEach((group, index) =>
            group.keys.forEach((value, at) => byComposite.set(JSON.stringify([group.keyField, group.keyMatch, value]), answers[index]?.[at] ?? [])),
          );
          return composite.map((entry) => byComposite.get(entry) ?? []);
        },
        { maxBatchSize: connector.capabilities.maxBatchSize },
      );
      this.unionLoaders.set(signature, loader);
    }
    return loader;
  }

  /** Rows of `entity` whose keyField matches key; batched with every other call of the same shape. */
  load(entity: CanonicalEntityName, key: Scalar, options: LoadOptions): Promise<ReadonlyArray<Row>> {
    return this.loadThrough(this.loaderFor(entity, options), key);
  }

  loadMany(entity: CanonicalEntityName, keys: ReadonlyArray<Scalar>, options: LoadOptions): Promise<Array<ReadonlyArray<Row>>> {
    const entry = this.loaderFor(entity, options);
    return Promise.all(keys.map((key) => this.loadThrough(entry, key)));
  }

  /**
   * The key through `entry`, unless a loader of the same shape with every field of this one
   * already holds it (the anchor read with the query's fields, then the link guard asking
   * the same e-mail for identifiers only): one statement instead of two.
   */
  private loadThrough(entry: LoaderEntry, key: Scalar): Promise<ReadonlyArray<Row>> {
    const cacheKey = String(key);
    const own = entry.cache.get(cacheKey);
    if (own !== undefined) return own;
    // The entry's siblings, not a shape string rebuilt per key (JSON of the filter and order each time).
    const siblings = entry.siblings;
    if (siblings.length > 1) {
      for (const sibling of siblings) {
        if (sibling === entry) continue;
        const cached = sibling.cache.get(cacheKey);
        if (cached !== undefined && this.covers(sibling, entry)) return cached;
      }
    }
    return entry.loader.load(key);
  }

  private covers(wider: LoaderEntry, narrower: LoaderEntry): boolean {
    const signature = [...narrower.fields].join(',');
    let covers = wider.covers.get(signature);
    if (covers === undefined) {
      covers = [...narrower.fields].every((field) => wider.fields.has(field));
      wider.covers.set(signature, covers);
    }
    return covers;
  }

  private shapeOf(entity: CanonicalEntityName, options: LoadOptions): string {
    return `${entity}|${options.keyField}|${options.keyMatch ?? 'exact'}|${options.limitPerKey ?? ''}|${
      options.filter === undefined ? '' : JSON.stringify(options.filter)
    }|${options.orderBy === undefined ? '' : JSON.stringify(options.orderBy)}|${includeSignature(options.include)}`;
  }

  /** Keyset scan; not batched (one per page), but goes through the same trace. */
  async scan(
    entity: CanonicalEntityName,
    request: Omit<ScanRequest, 'entity' | 'projection'> & { projection: ReadonlyArray<string> },
  ): Promise<ReadonlyArray<Row>> {
    const connector = this.connectorFor(entity);
    if (connector.scan === undefined || !connector.capabilities.scan) throw new UnsupportedRequestError(connector.name, `scan ${entity}`);
    return connector.scan({ ...request, entity, projection: this.mappedFields(entity, request.projection) }, this.callOptions);
  }

  /** Aggregates computed in the source (one statement per call, not batched). */
  async aggregate(entity: CanonicalEntityName, request: Omit<AggregateRequest, 'entity'>): Promise<ReadonlyArray<Row>> {
    const connector = this.connectorFor(entity);
    if (connector.aggregate === undefined || !connector.capabilities.aggregate) throw new UnsupportedRequestError(connector.name, `aggregate ${entity}`);
    return connector.aggregate({ ...request, entity }, this.callOptions);
  }

  private connectorFor(entity: CanonicalEntityName): Connector {
    const source = this.sourceOf(entity);
    const connector = this.connectors.get(source);
    if (connector === undefined) throw new EntityNotMappedError(entity);
    return connector;
  }

  private loaderFor(entity: CanonicalEntityName, options: LoadOptions): LoaderEntry {
    const keyMatch = options.keyMatch ?? 'exact';
    // Called once per item of every list (a page of orders' lines: thousands of calls), so
    // the signature is plain concatenation; JSON only for the rare filter and order.
    const signature = `${entity}|${options.keyField}|${keyMatch}|${options.projection.join(',')}|${options.limitPerKey ?? ''}|${
      options.filter === undefined ? '' : JSON.stringify(options.filter)
    }|${options.orderBy === undefined ? '' : JSON.stringify(options.orderBy)}|${includeSignature(options.include)}`;
    let entry = this.loaders.get(signature);
    if (entry === undefined) {
      const projection = this.mappedFields(entity, [...options.projection, options.keyField]);
      const connector = this.connectorFor(entity);
      if (!connector.capabilities.keyMatch.includes(keyMatch)) throw new UnsupportedRequestError(connector.name, `match keys by ${keyMatch}`);
      const request = {
        entity,
        keyField: options.keyField,
        keyMatch,
        projection,
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        ...(options.orderBy === undefined ? {} : { orderBy: options.orderBy }),
        ...(options.limitPerKey === undefined ? {} : { limitPerKey: options.limitPerKey }),
        ...(options.include === undefined ? {} : { include: options.include }),
      };
      const cache = new Map<string, Promise<ReadonlyArray<Row>>>();
      const loader = new DataLoader<Scalar, ReadonlyArray<Row>, string>(async (keys) => connector.load({ ...request, keys }, this.callOptions), {
        maxBatchSize: connector.capabilities.maxBatchSize,
        cacheKeyFn: (key) => String(key),
        cacheMap: cache,
      });
      const shape = this.shapeOf(entity, options);
      let siblings = this.byShape.get(shape);
      if (siblings === undefined) this.byShape.set(shape, (siblings = []));
      entry = { loader, cache, fields: new Set(projection), covers: new Map(), siblings };
      siblings.push(entry);
      this.loaders.set(signature, entry);
    }
    return entry;
  }
}
