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
  LoadRequest,
  OrderBy,
  Row,
  Scalar,
  ScanRequest,
} from '../../connectors/contract.js';
import { UnsupportedRequestError } from '../../connectors/contract.js';
import type { CanonicalEntityName } from '../config/canonical.js';
import type { C360Config } from '../config/types.js';
import { compareValues, Silos } from './silos.js';

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

  /** How the parts of an entity mapped in several sources are read as one (./silos.ts). */
  readonly silos: Silos;

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    private readonly callOptions: CallOptions,
  ) {
    this.silos = Silos.of(config.entities);
  }

  /** Each entity's part connectors, once per request (linking asks supportsKeyMatch per lookup). */
  private readonly partConnectorMemo = new Map<CanonicalEntityName, ReadonlyArray<Connector>>();

  /** The connectors of every part of `entity`, primary first. */
  private partConnectors(entity: CanonicalEntityName): ReadonlyArray<Connector> {
    let found = this.partConnectorMemo.get(entity);
    if (found === undefined) {
      found = this.silos.partsOf(entity).map((part) => {
        const connector = this.connectors.get(part.source);
        if (connector === undefined) throw new EntityNotMappedError(entity);
        return connector;
      });
      this.partConnectorMemo.set(entity, found);
    }
    return found;
  }

  isMapped(entity: CanonicalEntityName): boolean {
    return this.config.entities[entity] !== undefined;
  }

  /** Whether the source of `entity` can be read by keyset scans (REST sources cannot). */
  canScan(entity: CanonicalEntityName): boolean {
    if (!this.isMapped(entity)) return false;
    return this.partConnectors(entity).every((connector) => connector.scan !== undefined && connector.capabilities.scan);
  }

  /** Whether the source of `entity` compares keys by `keyMatch` (REST sources have no `email` or `digits` match). */
  supportsKeyMatch(entity: CanonicalEntityName, keyMatch: KeyMatch): boolean {
    if (!this.isMapped(entity)) return false;
    return this.partConnectors(entity).every((connector) => connector.capabilities.keyMatch.includes(keyMatch));
  }

  /** Whether the source of `entity` loads by a compound key (LoadRequest.keyParts). */
  supportsCompoundKeys(entity: CanonicalEntityName): boolean {
    return this.isMapped(entity) && this.partConnectors(entity).every((connector) => connector.capabilities.compoundKeys === true);
  }

  /** The mapped fields among `fields`: an unmapped field reads as null, it is never requested. */
  mappedFields(entity: CanonicalEntityName, fields: Iterable<string>): string[] {
    const mapped = this.config.entities[entity]?.fields;
    if (mapped === undefined) return [];
    return [...new Set(fields)].filter((field) => mapped.has(field)).sort();
  }

  /** Whether `entity` can be loaded with children of `children` in the same statement (one source that takes includes). */
  canInclude(entity: CanonicalEntityName, children: ReadonlyArray<CanonicalEntityName>): boolean {
    // The primary part decides; another part reads as much of the chain as its own source
    // maps and includes (includeIn), its rows' other children are loaded as usual.
    const mapped = this.config.entities[entity];
    if (mapped === undefined || this.connectors.get(mapped.source)?.capabilities.include !== true) return false;
    return children.every((child) => this.config.entities[child]?.source === mapped.source);
  }

  /** Source name of an entity (its primary part's when it is mapped in several), for errors. */
  sourceOf(entity: CanonicalEntityName): string {
    const mapped = this.config.entities[entity];
    if (mapped === undefined) throw new EntityNotMappedError(entity);
    return mapped.source;
  }

  /** The source a row of `entity` was read from (provenance): its part's. */
  sourceOfRow(entity: CanonicalEntityName, row: Row): string {
    return this.silos.sourceOfRow(entity, row) ?? this.sourceOf(entity);
  }

  /**
   * Loads of an entity mapped in several sources: each key goes to the parts that can hold
   * it (./silos.ts route), each part's requests to its own connector (in one statement per
   * part where it takes unions), and the rows come back prefixed, every part's rows of one
   * key together (ordered and cut again under a limit per key).
   */
  private async loadParts(entity: CanonicalEntityName, requests: ReadonlyArray<LoadRequest>, union: boolean): Promise<Array<Array<ReadonlyArray<Row>>>> {
    const parts = this.silos.partsOf(entity);
    const connectors = this.partConnectors(entity);
    const answers: Row[][][] = requests.map((request) => request.keys.map(() => []));
    /** The part each key's rows came from so far, or -2 once they came from several. */
    const from: number[][] = requests.map((request) => request.keys.map(() => -1));
    await Promise.all(
      parts.map(async (part, index) => {
        const connector = connectors[index]!;
        const asked: Array<{ readonly request: number; readonly positions: number[] }> = [];
        const partRequests: LoadRequest[] = [];
        requests.forEach((request, at) => {
          const filter = request.filter === undefined ? true : this.silos.filterFor(entity, index, request.filter);
          if (filter === false) return;
          const positions: number[] = [];
          const keys: Scalar[] = [];
          request.keys.forEach((key, position) => {
            // A compound key (blocking rules) goes to every part that maps each of its fields.
            const routes =
              request.keyParts === undefined
                ? this.silos.route(entity, request.keyField, key)
                : request.keyParts.every((keyPart) => part.fields.has(keyPart.field))
                  ? [{ part: index, key }]
                  : [];
            for (const route of routes) {
              if (route.part !== index) continue;
              positions.push(position);
              keys.push(route.key);
            }
          });
          if (keys.length === 0) return;
          if (!connector.capabilities.keyMatch.includes(request.keyMatch))
            throw new UnsupportedRequestError(connector.name, `match keys by ${request.keyMatch}`);
          const include = request.include === undefined ? undefined : this.includeIn(request.include, part.source);
          partRequests.push({
            ...request,
            keys,
            ...(request.orderBy === undefined ? {} : { orderBy: this.silos.orderFor(entity, index, request.orderBy) }),
            // The order's fields too: rows of one key from several parts are ordered here.
            projection: this.silos.projectionFor(entity, index, new Set([...request.projection, ...(request.orderBy ?? []).map((order) => order.field)])),
            ...(filter === true ? { filter: undefined } : { filter }),
            ...(include === undefined ? { include: undefined } : { include }),
          });
          asked.push({ request: at, positions });
        });
        if (partRequests.length === 0) return;
        const cleaned = partRequests.map(withoutUndefined);
        const found =
          union && connector.loadUnion !== undefined && cleaned.length > 1
            ? await connector.loadUnion(cleaned, this.callOptions)
            : await Promise.all(cleaned.map((request) => connector.load(request, this.callOptions)));
        asked.forEach(({ request, positions }, at) => {
          const include = cleaned[at]!.include;
          positions.forEach((position, keyAt) => {
            const rows = found[at]?.[keyAt] ?? [];
            if (rows.length === 0) return;
            const seen = from[request]![position]!;
            from[request]![position] = seen === -1 || seen === index ? index : -2;
            for (const row of rows) answers[request]![position]!.push(this.silos.outward(entity, index, row, include));
          });
        });
      }),
    );
    // A key answered by several parts: its rows in the asked order across them, cut again under a limit.
    return answers.map((perKey, at) => {
      const request = requests[at]!;
      if (parts.length < 2 || (request.orderBy === undefined && request.limitPerKey === undefined)) return perKey;
      const order = this.silos.compareRows(entity, request.orderBy ?? [{ field: 'id', direction: 'ASC' }]);
      return perKey.map((rows, position) => {
        // One part's rows are in its source's own order already.
        if (from[at]![position] !== -2) return rows;
        const sorted = rows.sort(order);
        return request.limitPerKey === undefined || sorted.length <= request.limitPerKey ? sorted : sorted.slice(0, request.limitPerKey);
      });
    });
  }

  /** An include chain as the part in `source` reads it: each level's projection cut to the fields that part maps. */
  private includeIn(include: IncludeRequest, source: string): IncludeRequest | undefined {
    const index = this.silos.partsOf(include.entity).findIndex((candidate) => candidate.source === source);
    if (index < 0 || this.connectors.get(source)?.capabilities.include !== true) return undefined;
    const filter = include.filter === undefined ? true : this.silos.filterFor(include.entity, index, include.filter);
    // Children no row of this part can meet: not read with it (a resolver asking for them loads nothing).
    if (filter === false) return undefined;
    const inner = include.include === undefined ? undefined : this.includeIn(include.include, source);
    return withoutUndefined({
      ...include,
      projection: this.silos.projectionFor(include.entity, index, include.projection),
      filter: filter === true ? undefined : filter,
      orderBy: include.orderBy === undefined ? undefined : this.silos.orderFor(include.entity, index, include.orderBy),
      include: inner,
    });
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
          const answers = uniform.some((request) => this.silos.routes(entity, request.keyField))
            ? await this.loadParts(entity, uniform, true)
            : connector.loadUnion !== undefined && uniform.length > 1
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
    const projection = this.mappedFields(entity, request.projection);
    if (this.silos.isSplit(entity)) return this.scanParts(entity, { ...request, entity, projection });
    const connector = this.connectorFor(entity);
    if (connector.scan === undefined || !connector.capabilities.scan) throw new UnsupportedRequestError(connector.name, `scan ${entity}`);
    return connector.scan({ ...request, entity, projection }, this.callOptions);
  }

  /**
   * A scan of an entity mapped in several sources, in one order over every part: by key,
   * the parts one after another (primary first) until the page is full; in any other
   * order, a page of every part merged.
   */
  private async scanParts(entity: CanonicalEntityName, request: ScanRequest): Promise<ReadonlyArray<Row>> {
    const parts = this.silos.partsOf(entity);
    const connectors = this.partConnectors(entity);
    const scanPart = async (index: number, limit: number): Promise<Row[]> => {
      const connector = connectors[index]!;
      if (connector.scan === undefined || !connector.capabilities.scan) throw new UnsupportedRequestError(connector.name, `scan ${entity}`);
      const filter = request.filter === undefined ? true : this.silos.filterFor(entity, index, request.filter);
      if (filter === false) return [];
      const rows = await connector.scan(
        withoutUndefined({
          ...request,
          projection: this.silos.projectionFor(entity, index, request.projection),
          filter: filter === true ? undefined : filter,
          orderBy: this.silos.orderFor(entity, index, request.orderBy),
          limit,
        }),
        this.callOptions,
      );
      return rows.map((row) => this.silos.outward(entity, index, row));
    };
    const first = request.orderBy[0];
    if (first !== undefined && first.field === 'id' && first.direction === 'ASC') {
      const page: Row[] = [];
      for (let index = 0; index < parts.length && page.length < request.limit; index++) page.push(...(await scanPart(index, request.limit - page.length)));
      return page;
    }
    const pages = await Promise.all(parts.map((_, index) => scanPart(index, request.limit)));
    return pages.flat().sort(this.silos.compareRows(entity, request.orderBy)).slice(0, request.limit);
  }

  /** Aggregates computed in the source (one statement per call, not batched). */
  async aggregate(entity: CanonicalEntityName, request: Omit<AggregateRequest, 'entity'>, source?: string): Promise<ReadonlyArray<Row>> {
    if (this.silos.isSplit(entity)) return this.aggregateParts(entity, { ...request, entity }, source);
    const connector = this.connectorFor(entity);
    if (connector.aggregate === undefined || !connector.capabilities.aggregate) throw new UnsupportedRequestError(connector.name, `aggregate ${entity}`);
    return connector.aggregate({ ...request, entity }, this.callOptions);
  }

  /**
   * Aggregates of an entity mapped in several sources: each part's groups, merged by their
   * values (counts and sums added, the least and greatest kept). A distinct count or an
   * average cannot be merged from the parts' answers: refused.
   */
  private async aggregateParts(entity: CanonicalEntityName, request: AggregateRequest, source?: string): Promise<ReadonlyArray<Row>> {
    const connectors = this.partConnectors(entity);
    const parts = this.silos.partsOf(entity);
    // `source` names one part: its own groups, whatever the aggregation.
    const only = source === undefined ? undefined : parts.findIndex((part) => part.source === source);
    if (only === -1) throw new EntityNotMappedError(entity);
    if (only === undefined)
      for (const aggregation of request.aggregations)
        if (aggregation.fn === 'countDistinct' || aggregation.fn === 'avg')
          throw new UnsupportedRequestError(this.sourceOf(entity), `${aggregation.fn} of ${entity} over the ${connectors.length} sources it is mapped in`);
    const answers = await Promise.all(
      connectors.map(async (connector, index) => {
        if (only !== undefined && index !== only) return [];
        if (connector.aggregate === undefined || !connector.capabilities.aggregate) throw new UnsupportedRequestError(connector.name, `aggregate ${entity}`);
        const filter = request.filter === undefined ? true : this.silos.filterFor(entity, index, request.filter);
        if (filter === false) return [];
        const part = parts[index]!;
        // A part that does not map a field aggregated or grouped by holds it as null in every row.
        const groupBy = request.groupBy.filter((field) => part.fields.has(field));
        const rows = await connector.aggregate(
          withoutUndefined({
            ...request,
            groupBy,
            aggregations: request.aggregations.filter((aggregation) => aggregation.field === undefined || part.fields.has(aggregation.field)),
            filter: filter === true ? undefined : filter,
          }),
          this.callOptions,
        );
        return rows.map((row) => this.silos.outward(entity, index, row));
      }),
    );
    const groups = new Map<string, Record<string, Row[string]>>();
    for (const row of answers.flat()) {
      const key = JSON.stringify(request.groupBy.map((field) => row[field] ?? null));
      const group = groups.get(key);
      if (group === undefined) {
        const fresh: Record<string, Row[string]> = {};
        for (const field of request.groupBy) fresh[field] = row[field] ?? null;
        for (const aggregation of request.aggregations) fresh[aggregation.as] = row[aggregation.as] ?? (aggregation.fn === 'count' ? 0 : null);
        groups.set(key, fresh);
        continue;
      }
      for (const aggregation of request.aggregations) {
        const value = row[aggregation.as];
        if (value === null || value === undefined) continue;
        const held = group[aggregation.as];
        if (held === null || held === undefined) group[aggregation.as] = value;
        else if (aggregation.fn === 'count' || aggregation.fn === 'sum') group[aggregation.as] = Number(held) + Number(value);
        else if ((aggregation.fn === 'min') === compareValues(value, held) < 0) group[aggregation.as] = value;
      }
    }
    return [...groups.values()];
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
      for (const partConnector of this.partConnectors(entity))
        if (!partConnector.capabilities.keyMatch.includes(keyMatch)) throw new UnsupportedRequestError(partConnector.name, `match keys by ${keyMatch}`);
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
      const split = this.silos.routes(entity, options.keyField);
      const loader = new DataLoader<Scalar, ReadonlyArray<Row>, string>(
        async (keys) => (split ? (await this.loadParts(entity, [{ ...request, keys }], false))[0]! : connector.load({ ...request, keys }, this.callOptions)),
        {
          maxBatchSize: connector.capabilities.maxBatchSize,
          cacheKeyFn: (key) => String(key),
          cacheMap: cache,
        },
      );
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

/** The object without its undefined properties (optional request fields are absent, never undefined). */
function withoutUndefined<T extends object>(value: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = field;
  return copy as T;
}
