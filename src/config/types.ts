/**
 * The validated configuration: what `parseConfig` returns and nothing downstream checks
 * again. c360.yaml's raw shape is in ./schema.ts; this is the compiled, typed form.
 */
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import type { RestSourceConfig } from '../../connectors/rest/index.js';
import type { CanonicalEntityName } from './canonical.js';
import type { IdentityConfig } from './identity-config.js';

/** Any source, with the mappings of the entities it holds; `kind` tells which connector. */
export type SourceConfig = SqlSourceConfig | RestSourceConfig;

import type { PrivacyConfig } from './privacy-config.js';
import type { LimitsConfig } from './limits-config.js';
import type { InsightsConfig } from './insights-config.js';
import type { AnalyticsConfig } from './analytics-config.js';
import type { TriggersConfig } from './triggers-config.js';
import type { RedisConfig } from './redis-config.js';
import type { UiConfig } from './ui-config.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Stack traces and field suggestions in errors: development only. */
  readonly development: boolean;
  /** Host header names served beyond the bind address (src/gateway/host-check.ts). */
  readonly hostNames?: ReadonlyArray<string> | undefined;
  /** Serve as an Apollo Federation v2 subgraph (`_service`, `_entities`, @key on Customer). */
  readonly federation?: boolean | undefined;
}

export type { IdentityConfig } from './identity-config.js';

/** One mapping of an entity: the source it lives in and the fields it maps. */
export interface MappedPart {
  readonly source: string;
  readonly key: string;
  readonly fields: ReadonlySet<string>;
}

/**
 * Where a canonical entity lives and which of its fields the operator mapped. An entity
 * may be mapped in several sources (a role: shop accounts and loyalty card holders are
 * both shopCustomer), one mapping per source: `parts`, the first one primary. `source`
 * and `key` are the primary's, `fields` every field some part maps. The loaders read every
 * part as one entity (src/loading/silos.ts).
 */
export interface MappedEntity extends MappedPart {
  readonly parts: ReadonlyArray<MappedPart>;
}

export interface C360Config {
  readonly server: ServerConfig;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly entities: Readonly<Partial<Record<CanonicalEntityName, MappedEntity>>>;
  readonly identity: IdentityConfig;
  /** Absent: no authentication and no field policies (docs/privacy.md). */
  readonly privacy?: PrivacyConfig | undefined;
  /** Absent (a config built by hand): DEFAULT_LIMITS (docs/operations.md). */
  readonly limits?: LimitsConfig | undefined;
  /** Absent (a config built by hand): defaultInsightsConfig() (docs/insights.md). */
  readonly insights?: InsightsConfig | undefined;
  /** Absent (a config built by hand): DEFAULT_ANALYTICS_CONFIG (docs/analytics.md). */
  readonly analytics?: AnalyticsConfig | undefined;
  /** Absent: no triggers run (docs/triggers.md). */
  readonly triggers?: TriggersConfig | undefined;
  /** Absent: shared state stays in process (./redis-config.ts). */
  readonly redis?: RedisConfig | undefined;
  /** Absent: no OpenID Connect sign-in and no links to source systems on the pages (docs/ui.md). */
  readonly ui?: UiConfig | undefined;
}
