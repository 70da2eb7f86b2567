/**
 * parseConfig: unknown -> C360Config, or one ConfigError listing every problem with its
 * path. Parse at the boundary: nothing downstream validates the configuration again.
 */
import type { z } from 'zod';
import type { EntityMapping, FieldMapping, SqlSourceConfig } from '../../connectors/mapping.js';
import { parseRestSource, restEntitySchema, restSourceSchema, type RestSourceConfig } from '../../connectors/rest/index.js';
import { CANONICAL_ENTITIES, isCanonicalEntityName, type CanonicalEntity, type CanonicalEntityName } from './canonical.js';
import { ConfigError, pathToString, type ConfigProblem } from './errors.js';
import { compileIdentityConfig } from './identity-config.js';
import { compileLimits } from './limits-config.js';
import { compileInsightsConfig } from './insights-config.js';
import { checkTriggers } from './triggers-config.js';
import { mysqlSourceSchema, postgresSourceSchema, sqlEntitySchema, topLevelSchema } from './schema.js';
import type { C360Config, MappedEntity, SourceConfig } from './types.js';

type Path = ReadonlyArray<PropertyKey>;

class Problems {
  readonly list: ConfigProblem[] = [];
  add(path: Path, message: string): void {
    this.list.push({ path: pathToString(path), message });
  }
  /** `known`: the keys allowed at the schema's root, for a "did you mean" on a typo there. */
  addZod(base: Path, error: z.ZodError, known?: ReadonlyArray<string>): void {
    for (const issue of error.issues) {
      const path = [...base, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        const hint = (key: string) => (known !== undefined && issue.path.length === 0 ? suggestFrom(key, known) : suggest(key));
        for (const key of issue.keys) this.add([...path, key], `unknown key "${key}"${hint(key)}`);
      } else {
        this.add(path, issue.message);
      }
    }
  }
}

const KNOWN_TOP_KEYS = ['server', 'sources', 'entities', 'identity', 'privacy', 'redis'];
function suggest(key: string): string {
  const close = KNOWN_TOP_KEYS.find((known) => editDistance(known, key) <= 2);
  return close === undefined ? '' : ` (did you mean "${close}"?)`;
}

export function parseConfig(raw: unknown, file?: string): C360Config {
  const problems = new Problems();
  const top = topLevelSchema.safeParse(raw ?? {});
  if (!top.success) {
    problems.addZod([], top.error);
    throw new ConfigError(problems.list, file);
  }
  const { server, identity } = top.data;

  const sqlSources = new Map<string, Omit<SqlSourceConfig, 'entities'>>();
  // REST sources are compiled with their entities (the connector's own compiler checks
  // endpoints against fields), so they wait here until every entity is sorted by source.
  const restSources = new Map<string, { raw: unknown; entities: Record<string, unknown> }>();
  for (const [name, rawSource] of Object.entries(top.data.sources)) {
    const path = ['sources', name];
    switch (rawSource.kind) {
      case 'postgres':
      case 'mysql': {
        const schema = rawSource.kind === 'postgres' ? postgresSourceSchema : mysqlSourceSchema;
        const parsed = schema.safeParse(rawSource);
        if (!parsed.success) {
          problems.addZod(path, parsed.error);
          break;
        }
        const s = parsed.data;
        sqlSources.set(name, {
          name,
          kind: s.kind,
          url: s.url,
          poolMax: s.pool.max,
          timeoutMillis: s.timeoutMillis,
          connectTimeoutMillis: s.connectTimeoutMillis,
        });
        break;
      }
      case 'rest': {
        const parsed = restSourceSchema.safeParse(rawSource);
        if (!parsed.success) problems.addZod(path, parsed.error, Object.keys(restSourceSchema.shape));
        restSources.set(name, { raw: rawSource, entities: {} });
        break;
      }
      default:
        problems.add([...path, 'kind'], `unknown source kind "${rawSource.kind}" (expected postgres, mysql or rest)`);
    }
  }

  const mappingsBySource = new Map<string, EntityMapping[]>();
  const entities: Partial<Record<CanonicalEntityName, MappedEntity>> = {};
  for (const [name, rawEntity] of Object.entries(top.data.entities)) {
    const path = ['entities', name];
    if (!isCanonicalEntityName(name)) {
      problems.add(path, `unknown entity "${name}" (expected one of ${Object.keys(CANONICAL_ENTITIES).join(', ')})`);
      continue;
    }
    if (!Object.hasOwn(top.data.sources, rawEntity.source)) {
      problems.add([...path, 'source'], `unknown source "${rawEntity.source}" (declared: ${Object.keys(top.data.sources).join(', ') || 'none'})`);
      continue;
    }
    const rest = restSources.get(rawEntity.source);
    if (rest !== undefined) {
      const parsed = restEntitySchema.safeParse(rawEntity);
      if (!parsed.success) problems.addZod(path, parsed.error, Object.keys(restEntitySchema.shape));
      else rest.entities[name] = rawEntity;
      continue;
    }
    const source = sqlSources.get(rawEntity.source);
    if (source === undefined) continue; // its source is invalid and already reported
    const parsed = sqlEntitySchema.safeParse(rawEntity);
    if (!parsed.success) {
      problems.addZod(path, parsed.error);
      continue;
    }
    const mapping = compileSqlEntity(name, CANONICAL_ENTITIES[name], parsed.data, path, problems);
    if (mapping === undefined) continue;
    mappingsBySource.set(source.name, [...(mappingsBySource.get(source.name) ?? []), mapping]);
    entities[name] = { source: source.name, key: mapping.key, fields: new Set(Object.keys(mapping.fields)) };
  }

  const restConfigs: RestSourceConfig[] = [];
  for (const [name, rest] of restSources) {
    const result = parseRestSource(name, rest.raw, rest.entities);
    if (result.ok) {
      restConfigs.push(result.config);
      for (const mapping of result.config.entities) {
        if (!isCanonicalEntityName(mapping.entity)) continue; // the REST compiler refuses these
        entities[mapping.entity] = { source: name, key: CANONICAL_ENTITIES[mapping.entity].key, fields: new Set(Object.keys(mapping.fields)) };
      }
      continue;
    }
    // Schema problems were reported above with our paths (and typo hints); keep the
    // cross-checks (canonical fields, key fields, enum values), already rooted at the file's top.
    for (const problem of result.problems) {
      if (problem.path[0] === 'sources') continue;
      problems.add(problem.path, problem.message);
    }
  }

  const insights = compileInsightsConfig(top.data.insights);
  if (top.data.triggers !== undefined) {
    const context = { segmentIds: insights.segments.map((segment) => segment.id), partners: Object.keys(top.data.privacy?.partners ?? {}), mappedEntities: Object.keys(top.data.entities) };
    for (const problem of checkTriggers(top.data.triggers, context)) problems.add(['triggers', ...problem.path], problem.message);
  }
  if (problems.list.length > 0) throw new ConfigError(problems.list, file);

  const sources: Record<string, SourceConfig> = {};
  for (const [name, source] of sqlSources) sources[name] = { ...source, entities: mappingsBySource.get(name) ?? [] };
  for (const source of restConfigs) sources[source.name] = source;
  return {
    server,
    sources,
    entities,
    identity: compileIdentityConfig(identity),
    privacy: top.data.privacy,
    limits: compileLimits(top.data.limits),
    insights,
    analytics: top.data.analytics,
    triggers: top.data.triggers,
    ...(top.data.redis === undefined ? {} : { redis: top.data.redis }),
    ...(top.data.ui === undefined ? {} : { ui: top.data.ui }),
  };
}

function compileSqlEntity(
  name: CanonicalEntityName,
  canonical: CanonicalEntity,
  raw: z.infer<typeof sqlEntitySchema>,
  path: Path,
  problems: Problems,
): EntityMapping | undefined {
  const before = problems.list.length;
  const key = raw.key ?? canonical.key;
  if (!Object.hasOwn(canonical.fields, key)) problems.add([...path, 'key'], `"${key}" is not a field of ${name}`);
  const fields: Record<string, FieldMapping> = {};
  for (const [field, spec] of Object.entries(raw.fields)) {
    const fieldPath = [...path, 'fields', field];
    const def = canonical.fields[field];
    if (def === undefined) {
      problems.add(fieldPath, `${name} has no field "${field}"${suggestFrom(field, Object.keys(canonical.fields))}`);
      continue;
    }
    if (typeof spec === 'string') {
      fields[field] = { kind: 'column', column: spec, type: def.type };
    } else if ('column' in spec) {
      if (spec.values !== undefined && def.enum !== undefined) {
        for (const [sourceValue, canonicalValue] of Object.entries(spec.values)) {
          if (!def.enum.includes(canonicalValue)) {
            problems.add([...fieldPath, 'values', sourceValue], `"${canonicalValue}" is not one of ${def.enum.join(', ')}`);
          }
        }
      }
      if (spec.format !== undefined && def.type !== 'date') problems.add([...fieldPath, 'format'], `"${field}" is not a date; a format applies to dates only`);
      fields[field] = {
        kind: 'column',
        column: spec.column,
        type: def.type,
        ...(spec.values === undefined ? {} : { values: spec.values }),
        ...(spec.format === undefined ? {} : { format: spec.format }),
      };
    } else {
      fields[field] = { kind: 'const', value: spec.const, type: def.type };
    }
  }
  for (const [field, def] of Object.entries(canonical.fields)) {
    if (def.required === true && raw.fields[field] === undefined) {
      problems.add([...path, 'fields', field], `required field "${field}" of ${name} is not mapped`);
    }
  }
  for (const field of Object.keys(raw.normalizedColumns ?? {})) {
    if (fields[field] === undefined) problems.add([...path, 'normalizedColumns', field], `"${field}" is not a mapped field of ${name}`);
  }
  if (problems.list.length > before) return undefined;
  return {
    entity: name,
    table: raw.table,
    key,
    fields,
    where: Object.entries(raw.where).map(([column, equals]) => ({ column, equals })),
    ...(raw.normalizedColumns === undefined ? {} : { normalizedColumns: raw.normalizedColumns }),
  };
}

function suggestFrom(word: string, candidates: ReadonlyArray<string>): string {
  const best = candidates
    .map((candidate) => ({ candidate, distance: editDistance(candidate.toLowerCase(), word.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return best !== undefined && best.distance <= 2 ? ` (did you mean "${best.candidate}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
