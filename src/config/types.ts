/**
 * The validated configuration: what `parseConfig` returns and nothing downstream checks
 * again. c360.yaml's raw shape is in ./schema.ts; this is the compiled, typed form.
 */
import type { EntityMapping, SqlSourceConfig } from '../../connectors/mapping.js';
import type { CanonicalEntityName } from './canonical.js';

export type SqlSource = SqlSourceConfig;

/** Any source; REST sources are added by the REST connector's config. */
export type SourceConfig = SqlSource;

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Stack traces and field suggestions in errors: development only. */
  readonly development: boolean;
}

export interface IdentityConfig {
  /** Region for phone numbers written without a country code. */
  readonly defaultRegion: string;
  /** Identifier values that never link anyone (placeholder emails, 0000000000). */
  readonly blocklist: ReadonlyArray<string>;
}

export interface C360Config {
  readonly server: ServerConfig;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  /** Each canonical entity mapped by the config, with the source that holds it. */
  readonly entities: Readonly<Partial<Record<CanonicalEntityName, { readonly source: string; readonly mapping: EntityMapping }>>>;
  readonly identity: IdentityConfig;
}
