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
  KeyMatch,
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
  readonly projection: ReadonlyArray<string>;
  readonly filter?: Filter;
  readonly orderBy?: ReadonlyArray<OrderBy>;
  readonly limitPerKey?: number;
}

/** Thrown when the query needs an entity the configuration does not map. */
export class EntityNotMappedError extends Error {
  override readonly name = 'EntityNotMappedError';
  constructor(readonly entity: string) {
    super(`entity "${entity}" is not mapped in the configuration`);
  }
}

export class Loaders {
  private readonly loaders = new Map<string, DataLoader<Scalar, ReadonlyArray<Row>, string>>();

  constructor(
    private readonly config: C360Config,
    private readonly connectors: ReadonlyMap<string, Connector>,
    private readonly callOptions: CallOptions,
  ) {}

  isMapped(entity: CanonicalEntityName): boolean {
    return this.config.entities[entity] !== undefined;
  }

  /** Whether the source of `entity` compares keys by `keyMatch` (REST sources have no `email` or `digits` match). */
  supportsKeyMatch(entity: CanonicalEntityName, keyMatch: KeyMatch): boolean {
    if (!this.isMapped(entity)) return false;
    return this.connectorFor(entity).capabilities.keyMatch.includes(keyMatch);
  }

  /** The mapped fields among `fields`: an unmapped field reads as null, it is never requested. */
  mappedFields(entity: CanonicalEntityName, fields: Iterable<string>): string[] {
    const mapped = this.config.entities[entity]?.fields;
    if (mapped === undefined) return [];
    return [...new Set(fields)].filter((field) => mapped.has(field)).sort();
  }

  /** Source name of an entity, for errors and provenance. */
  sourceOf(entity: CanonicalEntityName): string {
    const mapped = this.config.entities[entity];
    if (mapped === undefined) throw new EntityNotMappedError(entity);
    return mapped.source;
  }

  /** Rows of `entity` whose keyField matches key; batched with every other call of the same shape. */
  load(entity: CanonicalEntityName, key: Scalar, options: LoadOptions): Promise<ReadonlyArray<Row>> {
    return this.loaderFor(entity, options).load(key);
  }

  loadMany(entity: CanonicalEntityName, keys: ReadonlyArray<Scalar>, options: LoadOptions): Promise<Array<ReadonlyArray<Row>>> {
    const loader = this.loaderFor(entity, options);
    return Promise.all(keys.map((key) => loader.load(key)));
  }

  /** Keyset scan; not batched (one per page), but goes through the same trace. */
  async scan(entity: CanonicalEntityName, request: Omit<ScanRequest, 'entity' | 'projection'> & { projection: ReadonlyArray<string> }): Promise<ReadonlyArray<Row>> {
    const connector = this.connectorFor(entity);
    if (connector.scan === undefined || !connector.capabilities.scan) throw new UnsupportedRequestError(connector.name, `scan ${entity}`);
    return connector.scan(
      { ...request, entity, projection: this.mappedFields(entity, request.projection) },
      this.callOptions,
    );
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

  private loaderFor(entity: CanonicalEntityName, options: LoadOptions): DataLoader<Scalar, ReadonlyArray<Row>, string> {
    const keyMatch = options.keyMatch ?? 'exact';
    // Called once per item of every list (a page of orders' lines: thousands of calls), so
    // the signature is plain concatenation; JSON only for the rare filter and order.
    const signature = `${entity}|${options.keyField}|${keyMatch}|${options.projection.join(',')}|${options.limitPerKey ?? ''}|${
      options.filter === undefined ? '' : JSON.stringify(options.filter)
    }|${options.orderBy === undefined ? '' : JSON.stringify(options.orderBy)}`;
    let loader = this.loaders.get(signature);
    if (loader === undefined) {
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
      };
      loader = new DataLoader<Scalar, ReadonlyArray<Row>, string>(
        async (keys) => connector.load({ ...request, keys }, this.callOptions),
        { maxBatchSize: connector.capabilities.maxBatchSize, cacheKeyFn: (key) => String(key) },
      );
      this.loaders.set(signature, loader);
    }
    return loader;
  }
}
