/**
 * The validated configuration: what `parseConfig` returns and nothing downstream checks
 * again. c360.yaml's raw shape is in ./schema.ts; this is the compiled, typed form.
 */
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import type { RestSourceConfig } from '../../connectors/rest/index.js';
import type { CanonicalEntityName } from './canonical.js';

/** Any source, with the mappings of the entities it holds; `kind` tells which connector. */
export type SourceConfig = SqlSourceConfig | RestSourceConfig;

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Stack traces and field suggestions in errors: development only. */
  readonly development: boolean;
}

export interface IdentityConfig {
  /** Region for phone numbers written without a country code. */
  readonly defaultRegion: string;
  /** Identifier values that never link anyone, beyond the built-in list. */
  readonly blocklist: ReadonlyArray<string>;
  /** An identifier held by more records than this in one source links nobody (a switchboard). */
  readonly maxRecordsPerIdentifier: number;
}

/** Where a canonical entity lives and which of its fields the operator mapped. */
export interface MappedEntity {
  readonly source: string;
  readonly key: string;
  readonly fields: ReadonlySet<string>;
}

export interface C360Config {
  readonly server: ServerConfig;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly entities: Readonly<Partial<Record<CanonicalEntityName, MappedEntity>>>;
  readonly identity: IdentityConfig;
}
