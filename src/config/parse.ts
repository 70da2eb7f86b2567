/**
 * parseConfig: unknown -> C360Config, or one ConfigError listing every problem with its
 * path. Parse at the boundary: nothing downstream validates the configuration again.
 */
import type { z } from 'zod';
import type { EntityMapping, FieldMapping, SqlSourceConfig, WhereCondition } from '../../connectors/mapping.js';
import { parseRestSource, restEntitySchema, restSourceSchema, type RestSourceConfig } from '../../connectors/rest/index.js';
import { CANONICAL_ENTITIES, isCanonicalEntityName, rawFieldOf, type CanonicalEntity, type CanonicalEntityName, type CanonicalField } from './canonical.js';
import { ConfigError, pathToString, type ConfigProblem } from './errors.js';
import { compileIdentityConfig } from './identity-config.js';
import { compileLimits } from './limits-config.js';
import { compileInsightsConfig } from './insights-config.js';
import { checkTriggers } from './triggers-config.js';
import {
  columnFieldSchema,
  constFieldSchema,
  mysqlSourceSchema,
  postgresSourceSchema,
  relatedFieldSchema,
  sqlEntitySchema,
  topLevelSchema,
  whereListSchema,
  whereOperatorsSchema,
} from './schema.js';
import type { C360Config, MappedEntity, MappedPart, SourceConfig } from './types.js';

type Path = ReadonlyArray<PropertyKey>;

class Problems {
  readonly list: ConfigProblem[] = [];
  add(path: Path, message: string): void {
    this.list.push({ path: pathToString(path), message });
  }
  /** `schema`: the schema that failed, so a misspelt key gets a hint from the keys allowed where it stands. */
  addZod(base: Path, error: z.ZodError, schema: z.ZodType): void {
    for (const issue of error.issues) {
      const path = [...base, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeysAt(schema, issue.path) ?? [];
        for (const key of issue.keys) this.add([...path, key], `unknown key "${key}"${suggestFrom(key, known)}`);
      } else {
        this.add(path, issue.message);
      }
    }
  }
}

/** Parsed section, or undefined after its problems were added: every section is read whatever the others hold. */
function section<T extends z.ZodType>(schema: T, value: unknown, path: Path, problems: Problems): z.output<T> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.addZod(path, parsed.error, schema);
  return undefined;
}

const SOURCE_NAME = /^[a-z][a-z0-9_]*$/;

export function parseConfig(raw: unknown, file?: string): C360Config {
  const problems = new Problems();
  const root: Record<string, unknown> = raw === undefined || raw === null ? {} : isRecord(raw) ? raw : {};
  if (!(raw === undefined || raw === null || isRecord(raw))) problems.add([], 'expected a mapping of sections (server, sources, entities…)');
  const shape = topLevelSchema.shape;
  const known = Object.keys(shape);
  for (const key of Object.keys(root)) if (!Object.hasOwn(shape, key)) problems.add([key], `unknown key "${key}"${suggestFrom(key, known)}`);
  const server = section(shape.server, root.server, ['server'], problems);
  const identity = section(shape.identity, root.identity, ['identity'], problems);
  const privacy = section(shape.privacy, root.privacy, ['privacy'], problems);
  const limits = section(shape.limits, root.limits, ['limits'], problems);
  const rawInsights = section(shape.insights, root.insights, ['insights'], problems);
  const analytics = section(shape.analytics, root.analytics, ['analytics'], problems);
  const triggers = section(shape.triggers, root.triggers, ['triggers'], problems);
  const redis = section(shape.redis, root.redis, ['redis'], problems);
  const ui = section(shape.ui, root.ui, ['ui'], problems);
  const rawSources = recordSection(root.sources, 'sources', problems);
  const rawEntities = recordSection(root.entities, 'entities', problems);

  const sqlSources = new Map<string, Omit<SqlSourceConfig, 'entities'>>();
  /** The kind of every declared source, valid or not: its entities are checked against it all the same. */
  const kinds = new Map<string, string>();
  // REST sources are compiled with their entities (the connector's own compiler checks
  // endpoints against fields), so they wait here until every entity is sorted by source.
  const restSources = new Map<string, { raw: unknown; entities: Record<string, unknown> }>();
  for (const [name, rawSource] of Object.entries(rawSources)) {
    const path = ['sources', name];
    if (!SOURCE_NAME.test(name)) problems.add(path, 'source names are lower-case letters, digits and _');
    if (!isRecord(rawSource) || typeof rawSource.kind !== 'string') {
      problems.add([...path, 'kind'], 'expected a source with a kind: postgres, mysql or rest');
      continue;
    }
    kinds.set(name, rawSource.kind);
    switch (rawSource.kind) {
      case 'postgres':
      case 'mysql': {
        const schema = rawSource.kind === 'postgres' ? postgresSourceSchema : mysqlSourceSchema;
        const s = section(schema, rawSource, path, problems);
        if (s === undefined) break;
        sqlSources.set(name, {
          name,
          kind: s.kind,
          url: s.url,
          poolMax: s.pool.max,
          timeoutMillis: s.timeoutMillis,
          connectTimeoutMillis: s.connectTimeoutMillis,
          circuitBreaker: s.circuitBreaker,
          ...(s.timezone === undefined ? {} : { timezone: s.timezone }),
        });
        break;
      }
      case 'rest': {
        section(restSourceSchema, rawSource, path, problems);
        restSources.set(name, { raw: rawSource, entities: {} });
        break;
      }
      default:
        problems.add(
          [...path, 'kind'],
          `unknown source kind "${rawSource.kind}"${suggestFrom(rawSource.kind, ['postgres', 'mysql', 'rest'], ' (expected postgres, mysql or rest)')}`,
        );
    }
  }

  const mappingsBySource = new Map<string, EntityMapping[]>();
  /** Each entity's mappings in the file's order (a list maps it in several sources), filled as they compile. */
  const partsOf = new Map<CanonicalEntityName, Array<MappedPart | undefined>>();
  /** Where each REST mapping goes in its entity's list. */
  const restSlots = new Map<string, number>();
  for (const [name, rawValue] of Object.entries(rawEntities)) {
    const entityPath = ['entities', name];
    if (!isCanonicalEntityName(name)) {
      problems.add(
        entityPath,
        `unknown entity "${name}"${suggestFrom(name, Object.keys(CANONICAL_ENTITIES), ` (expected one of ${Object.keys(CANONICAL_ENTITIES).join(', ')})`)}`,
      );
      continue;
    }
    // A list maps the entity in several sources (one mapping each, the first primary).
    const list = Array.isArray(rawValue);
    const items: unknown[] = list ? (rawValue as unknown[]) : [rawValue];
    if (list && items.length === 0) problems.add(entityPath, 'expected at least one mapping');
    const slots: Array<MappedPart | undefined> = items.map(() => undefined);
    partsOf.set(name, slots);
    const seen = new Map<string, number>();
    items.forEach((rawEntity, index) => {
      const path = list ? [...entityPath, String(index)] : entityPath;
      if (!isRecord(rawEntity) || typeof rawEntity.source !== 'string') {
        problems.add([...path, 'source'], 'expected an entity mapping with a source');
        return;
      }
      const earlier = seen.get(rawEntity.source);
      if (earlier !== undefined) {
        problems.add(
          [...path, 'source'],
          `entity "${name}" is already mapped in source "${rawEntity.source}" (entities.${name}.${earlier}): one mapping per source`,
        );
        return;
      }
      seen.set(rawEntity.source, index);
      const kind = kinds.get(rawEntity.source);
      if (kind === undefined) {
        const declared = Object.keys(rawSources);
        problems.add(
          [...path, 'source'],
          `unknown source "${rawEntity.source}"${suggestFrom(rawEntity.source, declared, '')} (declared: ${declared.join(', ') || 'none'})`,
        );
      }
      const rest = restSources.get(rawEntity.source);
      if (kind === 'rest') {
        if (section(restEntitySchema, rawEntity, path, problems) !== undefined && rest !== undefined) {
          rest.entities[name] = rawEntity;
          restSlots.set(`${rawEntity.source}\u0000${name}`, index);
        }
        return;
      }
      // A SQL mapping is checked even when its source is wrong: one pass shows every problem.
      const parsed = section(sqlEntitySchema, rawEntity, path, problems);
      if (parsed === undefined) return;
      const source = sqlSources.get(rawEntity.source);
      const mapping = compileSqlEntity(name, CANONICAL_ENTITIES[name], parsed, path, problems, source?.timezone);
      if (mapping === undefined || source === undefined) return;
      mappingsBySource.set(source.name, [...(mappingsBySource.get(source.name) ?? []), mapping]);
      slots[index] = { source: source.name, key: mapping.key, fields: new Set(Object.keys(mapping.fields)) };
    });
  }

  const restConfigs: RestSourceConfig[] = [];
  for (const [name, rest] of restSources) {
    const result = parseRestSource(name, rest.raw, rest.entities);
    if (result.ok) {
      restConfigs.push(result.config);
      for (const mapping of result.config.entities) {
        if (!isCanonicalEntityName(mapping.entity)) continue; // the REST compiler refuses these
        const slots = partsOf.get(mapping.entity);
        const index = restSlots.get(`${name}\u0000${mapping.entity}`);
        if (slots === undefined || index === undefined) continue;
        slots[index] = { source: name, key: CANONICAL_ENTITIES[mapping.entity].key, fields: new Set(Object.keys(mapping.fields)) };
      }
      continue;
    }
    // Schema problems were reported above with our paths (and typo hints); keep the
    // cross-checks (canonical fields, key fields, enum values), already rooted at the file's top.
    for (const problem of result.problems) {
      if (problem.path[0] === 'sources') continue;
      if (problems.list.some((known) => known.path === pathToString(problem.path))) continue;
      problems.add(problem.path, problem.message);
    }
  }

  // The insights and the cube count each source's orders (and events) under its own accounts:
  // a second source of them must hold their customers too, or one customer would count once per source.
  for (const name of ['order', 'event'] as const) {
    const slots = partsOf.get(name) ?? [];
    const holders = new Set((partsOf.get('shopCustomer') ?? []).flatMap((part) => (part === undefined ? [] : [part.source])));
    slots.forEach((part, index) => {
      if (index === 0 || part === undefined || holders.has(part.source)) return;
      problems.add(
        ['entities', name, String(index), 'source'],
        `a second source of ${name} must map shopCustomer too (the accounts its ${name === 'order' ? 'orders' : 'events'} belong to): source "${part.source}" does not`,
      );
    });
  }

  const entities: Partial<Record<CanonicalEntityName, MappedEntity>> = {};
  for (const [name, slots] of partsOf) {
    const parts = slots.filter((part): part is MappedPart => part !== undefined);
    // A part that failed to compile was reported: the config is refused below.
    if (parts.length !== slots.length || parts.length === 0) continue;
    const primary = parts[0]!;
    entities[name] = { source: primary.source, key: primary.key, fields: new Set(parts.flatMap((part) => [...part.fields])), parts };
  }

  const insights = rawInsights === undefined ? undefined : compileInsightsConfig(rawInsights);
  if (triggers !== undefined && insights !== undefined) {
    const context = {
      segmentIds: insights.segments.map((segment) => segment.id),
      partners: Object.keys(privacy?.partners ?? {}),
      mappedEntities: Object.keys(rawEntities),
    };
    for (const problem of checkTriggers(triggers, context)) problems.add(['triggers', ...problem.path], problem.message);
  }
  if (problems.list.length > 0) throw new ConfigError(problems.list, file);

  const sources: Record<string, SourceConfig> = {};
  for (const [name, source] of sqlSources) sources[name] = { ...source, entities: mappingsBySource.get(name) ?? [] };
  for (const source of restConfigs) sources[source.name] = source;
  return {
    server: server!,
    sources,
    entities,
    identity: compileIdentityConfig(identity!),
    privacy,
    limits: compileLimits(limits!),
    insights,
    analytics,
    triggers,
    ...(redis === undefined ? {} : { redis }),
    ...(ui === undefined ? {} : { ui }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `sources` and `entities`: a mapping of names, each entry then checked on its own. */
function recordSection(value: unknown, name: string, problems: Problems): Record<string, unknown> {
  if (value === undefined) {
    problems.add([name], `the "${name}" section is required`);
    return {};
  }
  if (!isRecord(value)) {
    problems.add([name], `expected a mapping of ${name} by name`);
    return {};
  }
  return value;
}

function compileSqlEntity(
  name: CanonicalEntityName,
  canonical: CanonicalEntity,
  raw: z.infer<typeof sqlEntitySchema>,
  path: Path,
  problems: Problems,
  timezone: string | undefined,
): EntityMapping | undefined {
  const before = problems.list.length;
  const key = raw.key ?? canonical.key;
  const canonicalFields = Object.keys(canonical.fields);
  if (!Object.hasOwn(canonical.fields, key)) problems.add([...path, 'key'], `"${key}" is not a field of ${name}${suggestFrom(key, canonicalFields)}`);
  const fields: Record<string, FieldMapping> = {};
  for (const [field, spec] of Object.entries(raw.fields)) {
    const fieldPath = [...path, 'fields', field];
    const def = canonical.fields[field] as CanonicalField | undefined;
    if (def === undefined) {
      problems.add(fieldPath, `${name} has no field "${field}"${suggestFrom(field, canonicalFields)}`);
      continue;
    }
    const compiled = compileField(field, def, spec, fieldPath, problems, timezone);
    if (compiled !== undefined) fields[field] = compiled;
  }
  // The key is the row's identity everywhere: `id`, which every resolver reads, is its column.
  const keyMapping = fields[key];
  if (key !== canonical.key) {
    if (keyMapping !== undefined && keyMapping.kind !== 'column') problems.add([...path, 'key'], `the key "${key}" must be mapped to a column, not a constant`);
    else if (keyMapping !== undefined && canonical.key === 'id') {
      const id = fields.id;
      if (id === undefined)
        fields.id = { kind: 'column', column: keyMapping.column, type: 'string', ...(keyMapping.related === undefined ? {} : { related: keyMapping.related }) };
      else if (id.kind !== 'column' || id.column !== keyMapping.column || id.related !== undefined || keyMapping.related !== undefined) {
        problems.add(
          [...path, 'fields', 'id'],
          `"id" is mapped to another column than the key "${key}" (${keyMapping.column}): c360 identifies rows by the key, so map id to ${keyMapping.column} or leave it out`,
        );
      }
    }
  }
  for (const [field, def] of Object.entries(canonical.fields)) {
    if ((def as CanonicalField).required === true && fields[field] === undefined && raw.fields[field] === undefined) {
      problems.add(
        [...path, 'fields', field],
        `required field "${field}" of ${name} is not mapped${field === 'id' && key !== 'id' ? ` (nor its key "${key}")` : ''}`,
      );
    }
  }
  // An open enum keeps what the source stored beside it: `<field>Raw` reads the same column, untranslated.
  for (const [field, def] of Object.entries(canonical.fields) as Array<[string, CanonicalField]>) {
    const mapping = fields[field];
    const rawField = rawFieldOf(field);
    if (def.open !== true || mapping?.kind !== 'column' || fields[rawField] !== undefined || !Object.hasOwn(canonical.fields, rawField)) continue;
    fields[rawField] = { kind: 'column', column: mapping.column, type: 'string', ...(mapping.related === undefined ? {} : { related: mapping.related }) };
  }
  for (const field of Object.keys(raw.normalizedColumns ?? {})) {
    if (fields[field] === undefined)
      problems.add([...path, 'normalizedColumns', field], `"${field}" is not a mapped field of ${name}${suggestFrom(field, Object.keys(fields))}`);
  }
  const where = compileWhere(raw.where, [...path, 'where'], problems);
  for (const [field, mapping] of Object.entries(fields)) {
    if (mapping.kind !== 'column' || mapping.related === undefined) continue;
    if (mapping.related.localColumn !== '') continue;
    // Refers to this row by its key's column (the default of `localColumn`).
    const local = keyMapping?.kind === 'column' && keyMapping.related === undefined ? keyMapping.column : undefined;
    if (local === undefined)
      problems.add([...path, 'fields', field, 'related', 'localColumn'], `set localColumn: the key "${key}" is not a column of ${raw.table}`);
    else fields[field] = { ...mapping, related: { ...mapping.related, localColumn: local } };
  }
  if (problems.list.length > before) return undefined;
  return {
    entity: name,
    table: raw.table,
    key,
    fields,
    where,
    ...(raw.normalizedColumns === undefined ? {} : { normalizedColumns: raw.normalizedColumns }),
  };
}

const FIELD_FORMS = 'a column name, { column, values, otherwise }, { const } or { related: { table, column, joinOn, orderBy } }';

/** One field's mapping: dispatched on its shape, so a mistake names the accepted forms. */
function compileField(
  field: string,
  def: CanonicalField,
  spec: unknown,
  path: Path,
  problems: Problems,
  timezone: string | undefined,
): FieldMapping | undefined {
  const zone = def.type === 'datetime' && timezone !== undefined ? { timezone } : {};
  if (typeof spec === 'string' && spec !== '') return { kind: 'column', column: spec, type: def.type, ...enumOf(def), ...zone };
  if (!isRecord(spec)) {
    problems.add(path, `expected ${FIELD_FORMS}`);
    return undefined;
  }
  if (Object.hasOwn(spec, 'const')) {
    const parsed = section(constFieldSchema, spec, path, problems);
    if (parsed === undefined) return undefined;
    if (def.enum !== undefined && parsed.const !== null && !def.enum.includes(String(parsed.const))) {
      problems.add([...path, 'const'], `"${String(parsed.const)}" is not one of ${def.enum.join(', ')}${suggestFrom(String(parsed.const), def.enum)}`);
    }
    return { kind: 'const', value: parsed.const, type: def.type };
  }
  const related = Object.hasOwn(spec, 'related');
  if (!related && !Object.hasOwn(spec, 'column')) {
    const hint = suggestFrom(Object.keys(spec)[0] ?? '', ['column', 'const', 'related'], '');
    problems.add(path, `expected ${FIELD_FORMS}${hint}`);
    return undefined;
  }
  const parsed = related ? section(relatedFieldSchema, spec, path, problems) : section(columnFieldSchema, spec, path, problems);
  if (parsed === undefined) return undefined;
  const values = parsed.values;
  if (def.enum !== undefined) {
    for (const [sourceValue, canonicalValue] of Object.entries(values ?? {})) {
      if (!def.enum.includes(canonicalValue))
        problems.add([...path, 'values', sourceValue], `"${canonicalValue}" is not one of ${def.enum.join(', ')}${suggestFrom(canonicalValue, def.enum)}`);
    }
    if (typeof parsed.otherwise === 'string' && !def.enum.includes(parsed.otherwise)) {
      problems.add([...path, 'otherwise'], `"${parsed.otherwise}" is not one of ${def.enum.join(', ')}${suggestFrom(parsed.otherwise, def.enum)}`);
    }
  } else if (parsed.otherwise !== undefined && values === undefined) {
    problems.add([...path, 'otherwise'], `"${field}" has no values to map; otherwise applies to stored values that values does not map`);
  }
  if (parsed.format !== undefined && def.type !== 'date') problems.add([...path, 'format'], `"${field}" is not a date; a format applies to dates only`);
  const reading = {
    type: def.type,
    ...(values === undefined ? {} : { values }),
    ...(parsed.otherwise === undefined ? {} : { otherwise: parsed.otherwise }),
    ...enumOf(def),
    ...(parsed.format === undefined ? {} : { format: parsed.format }),
    ...zone,
  };
  if ('column' in parsed) return { kind: 'column', column: parsed.column, ...reading };
  const r = parsed.related;
  return {
    kind: 'column',
    column: r.column,
    ...reading,
    related: {
      table: r.table,
      joinColumn: r.joinOn,
      // '' until the entity's key is known (compileSqlEntity fills it in).
      localColumn: r.localColumn ?? '',
      pick: r.pick,
      orderBy: r.orderBy,
      where: compileWhere(r.where, [...path, 'related', 'where'], problems),
    },
  };
}

function enumOf(def: CanonicalField): { enum?: { canonical: ReadonlyArray<string>; open: boolean } } {
  return def.enum === undefined ? {} : { enum: { canonical: def.enum, open: def.open === true } };
}

const WHERE_FORMS = 'a value, null, a list of values, or { in, notIn, null, notNull, gt, gte, lt, lte }';

/** `where:` column -> condition; every form the SQL compiler takes (connectors/sql/scope.ts). */
function compileWhere(raw: Readonly<Record<string, unknown>>, path: Path, problems: Problems): WhereCondition[] {
  const conditions: WhereCondition[] = [];
  for (const [column, spec] of Object.entries(raw)) {
    const at = [...path, column];
    if (spec === null) conditions.push({ column, op: 'null' });
    else if (typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') conditions.push({ column, op: 'eq', value: spec });
    else if (Array.isArray(spec)) {
      const list = section(whereListSchema, spec, at, problems);
      if (list !== undefined) conditions.push({ column, op: 'in', values: list });
    } else if (isRecord(spec)) {
      const ops = section(whereOperatorsSchema, spec, at, problems);
      if (ops === undefined) continue;
      const before = conditions.length;
      if (ops.in !== undefined) conditions.push({ column, op: 'in', values: ops.in });
      if (ops.notIn !== undefined) conditions.push({ column, op: 'notIn', values: ops.notIn });
      if (ops.null === true) conditions.push({ column, op: 'null' });
      if (ops.notNull === true) conditions.push({ column, op: 'notNull' });
      const bounds = Object.fromEntries((['gt', 'gte', 'lt', 'lte'] as const).flatMap((bound) => (ops[bound] === undefined ? [] : [[bound, ops[bound]]])));
      if (Object.keys(bounds).length > 0) conditions.push({ column, op: 'range', ...bounds });
      if (conditions.length === before) problems.add(at, `expected ${WHERE_FORMS}`);
      if (ops.null === true && conditions.length - before > 1) problems.add([...at, 'null'], 'null excludes every other condition on the column');
    } else problems.add(at, `expected ${WHERE_FORMS}`);
  }
  return conditions;
}

/** The one "did you mean" of every level: the closest of the names allowed where the word stands. */
export function suggestFrom(word: string, candidates: ReadonlyArray<string>, otherwise = ''): string {
  const best = candidates
    .filter((candidate) => candidate !== word)
    .map((candidate) => ({ candidate, distance: editDistance(candidate.toLowerCase(), word.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return best !== undefined && best.distance <= Math.min(2, Math.max(1, Math.floor(word.length / 2))) ? ` (did you mean "${best.candidate}"?)` : otherwise;
}

/** The keys an object schema allows at `path` inside `schema` (through optional, default, records, arrays, unions). */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): ReadonlyArray<string> | undefined {
  const def = unwrap(schema)._zod.def as unknown as {
    type: string;
    shape?: Record<string, z.ZodType>;
    valueType?: z.ZodType;
    element?: z.ZodType;
    options?: ReadonlyArray<z.ZodType>;
  };
  if (def.type === 'union' && def.options !== undefined) {
    const all = def.options.flatMap((option) => knownKeysAt(option, path) ?? []);
    return all.length === 0 ? undefined : [...new Set(all)];
  }
  if (path.length === 0) return def.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : undefined;
  const [head, ...rest] = path;
  if (def.type === 'object' && def.shape !== undefined) {
    const child = def.shape[String(head)];
    return child === undefined ? undefined : knownKeysAt(child, rest);
  }
  if (def.type === 'record' && def.valueType !== undefined) return knownKeysAt(def.valueType, rest);
  if (def.type === 'array' && def.element !== undefined) return knownKeysAt(def.element, rest);
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = current._zod.def as unknown as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType !== undefined && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type))
      current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else break;
  }
  return current;
}

export function editDistance(a: string, b: string): number {
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
