/**
 * The consented audience of the partner aggregates (audienceCounts, overlap) computed in
 * bulk instead of paging every customer through the canonical schema: a handful of
 * whole-base statements, independent and in parallel, then one pass in the gateway.
 *
 * - the identifiers of each source scanned once and linked in memory
 *   (src/identity/bulk-link.ts, the per-customer rules replayed on indexes);
 * - the latest partner-sharing consent per contact, from one scan of that purpose's records;
 * - when segments are asked, every shop account's RFM measures in one GROUP BY (no ranking),
 *   scored against the cached quintile boundaries (src/insights/statistics.ts) and combined
 *   per customer as Customer.segments combines them;
 * - when age bands, places or emails are asked, one scan per source of just those columns.
 *
 * Customers are listed as the canonical `customers` list lists them (a contact whose
 * customer id is its own, so each customer is counted once); only a contact-anchored
 * customer has consents, so shop accounts linked to no contact are never in the audience.
 * Each customer's values are those the canonical PAGE of ./source.ts reads: `contact` is the
 * first contact of the customer's records, the email and address are the survived golden
 * fields. Memory is the link indexes plus one small record per contact and per shop account,
 * bounded by analytics.maxLinkedRows per source; `stats.heapBytes` reports it.
 *
 * Intent levels and product categories have no bulk form here: `bulkAudienceApplies` says
 * which dimensions do, and the resolvers keep the paged path for the others.
 */
import type { CallOptions, Filter, Row, SourceCall } from '../../../connectors/contract.js';
import type { Runtime } from '../../gateway/runtime.js';
import { bulkLinkingApplies } from '../../identity/bulk-link.js';
import { linkMapCacheOf } from '../../identity/link-map-cache.js';
import { encodeCustomerId, type AnchorEntity } from '../../identity/customer-id.js';
import { addressCandidates, emailCandidates } from '../../identity/golden-candidates.js';
import { compareKeys } from '../../identity/link.js';
import { normalizeEmail } from '../../identity/email.js';
import { ruleFor, surviveField, type SourcedRecord } from '../../identity/survivorship.js';
import { combineAccounts, segmentsOf, type RfmMeasures } from '../../insights/rules.js';
import { insightsStatisticsOf } from '../../insights/runtime-statistics.js';
import { InsightsService } from '../../insights/service.js';
import { boundariesOfMeasures, rfmCellOf } from '../../insights/statistics.js';
import { Loaders } from '../../loading/loaders.js';
import { tooCostly } from '../../analytics/errors.js';

export const PARTNER_SHARING = 'partner_sharing';

/** What a bulk pass reads per customer; each need adds its statements, nothing else is read. */
export interface BulkNeeds {
  readonly segment: boolean;
  readonly birthDate: boolean;
  readonly postcode: boolean;
  readonly emails: boolean;
  /**
   * When the pass only serves customers holding an email that passes this test (an overlap):
   * a customer none of whose records' emails passes it (as stored or normalized, the golden
   * email being one of the latter) gets no emails, without surviving its golden email.
   */
  readonly emailsMatching?: (email: string) => boolean;
}

/** One consented customer as the aggregates see it. */
export interface BulkCandidate {
  readonly customerId: string;
  readonly segment: string | null;
  readonly birthDate: string | null;
  readonly postcode: string | null;
  /** The golden email, the first contact's and every shop account's (as ./source.ts collects them). */
  readonly emails: ReadonlyArray<string>;
}

export interface BulkAudienceStats {
  /** Statements (and HTTP calls) the pass made. */
  readonly statements: number;
  readonly contacts: number;
  readonly shopAccounts: number;
  readonly consented: number;
  /** Heap growth while the pass held its indexes and rows (a measure, not a bound). */
  readonly heapBytes: number;
  readonly millis: number;
  /** What the links' build took (its scans and indexes), whether this pass built them or found them cached. */
  readonly linkMillis: number;
  /** When the links were scanned (ISO 8601): a fresh cached map is reused (src/identity/link-map-cache.ts). */
  readonly linksAsOf: string;
}

export interface BulkAudienceOptions {
  readonly signal: AbortSignal;
  readonly asOf: Date;
  /** Sees every statement, for traces and tests. */
  readonly onCall?: (call: SourceCall) => void;
}

/** Bulk linking applies (deterministic rules, both anchors mapped) and consents are mapped. */
export function bulkAudienceApplies(runtime: Runtime): boolean {
  const loaders = new Loaders(runtime.config, runtime.connectors, { signal: new AbortController().signal });
  return bulkLinkingApplies(loaders, runtime.config.identity) && loaders.isMapped('consent');
}

const SCAN_CHUNK = 50_000;

/** Every record of `entity` with `projection`, keyset-paged by id; more than maxRows fails clearly. */
async function scanAll(
  loaders: Loaders,
  entity: 'contact' | 'shopCustomer' | 'consent',
  projection: ReadonlyArray<string>,
  maxRows: number,
  filter?: Filter,
): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const range: Filter | undefined = after === null ? undefined : { op: 'range', field: 'id', gt: after };
    const where: Filter | undefined = filter === undefined ? range : range === undefined ? filter : { op: 'and', filters: [filter, range] };
    const chunk = await loaders.scan(entity, {
      projection: ['id', ...projection],
      ...(where === undefined ? {} : { filter: where }),
      orderBy: [{ field: 'id', direction: 'ASC' }],
      limit: SCAN_CHUNK,
    });
    rows.push(...chunk);
    if (rows.length > maxRows)
      throw tooCostly('maxLinkedRows', maxRows, `more than ${maxRows} ${entity} records for a partner aggregate; raise analytics.maxLinkedRows`);
    if (chunk.length < SCAN_CHUNK) return rows;
    after = String(chunk[chunk.length - 1]!.id);
  }
}

/** Contacts whose latest partner-sharing record (recordedAt, then id, as Customer.consents orders them) is GRANTED. */
async function consentedContacts(loaders: Loaders, maxRows: number): Promise<Set<string>> {
  const rows = await scanAll(loaders, 'consent', ['contactId', 'status', 'recordedAt'], maxRows, { op: 'eq', field: 'purpose', value: PARTNER_SHARING });
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const contactId = String(row.contactId);
    const known = latest.get(contactId);
    const at = String(row.recordedAt ?? '');
    const knownAt = String(known?.recordedAt ?? '');
    if (known === undefined || at > knownAt || (at === knownAt && compareKeys(String(row.id), String(known.id)) > 0)) latest.set(contactId, row);
  }
  return new Set([...latest].filter(([, row]) => row.status === 'GRANTED').map(([contactId]) => contactId));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function timestamp(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Visits every consented customer once. Resolves with what the pass cost; fails whole (a
 * partner never gets counts built on a partial read).
 */
export async function forEachConsented(
  runtime: Runtime,
  needs: BulkNeeds,
  options: BulkAudienceOptions,
  visit: (candidate: BulkCandidate) => void,
): Promise<BulkAudienceStats> {
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));
  let statements = 0;
  const callOptions: CallOptions = {
    signal: options.signal,
    onCall: (call) => {
      statements++;
      options.onCall?.(call);
    },
  };
  const { config } = runtime;
  const loaders = new Loaders(config, runtime.connectors, callOptions);
  const insights = new InsightsService(config, runtime.connectors, loaders, callOptions, insightsStatisticsOf(runtime));
  const link = config.identity;
  const maxRows = config.analytics?.maxLinkedRows ?? 2_000_000;
  const asOf = options.asOf.toISOString();
  const survivorship = link.survivorship;
  const mostRecent = (field: 'email' | 'address') => ruleFor(survivorship, field).strategy === 'mostRecent';
  const fieldsOf = (entity: AnchorEntity): string[] => {
    const wanted = [
      ...(needs.birthDate ? ['birthDate'] : []),
      ...(needs.emails ? ['email'] : []),
      ...(needs.postcode ? ['street', 'postcode', 'city', 'country'] : []),
      ...((needs.emails && mostRecent('email')) || (needs.postcode && mostRecent('address')) ? ['updatedAt'] : []),
    ];
    return loaders.mappedFields(entity, wanted);
  };
  const rowsOf = async (entity: AnchorEntity): Promise<Map<string, Row> | undefined> => {
    const fields = fieldsOf(entity);
    if (fields.length === 0) return undefined;
    const rows = await scanAll(loaders, entity, fields, maxRows);
    return new Map(rows.map((row) => [String(row.id), row]));
  };
  const scoring = async () => {
    if (!needs.segment || !loaders.isMapped('order')) return undefined;
    const measures = insights.allMeasures(asOf);
    // Cached boundaries when there are (those Customer.segments scores with); else from these measures, no ranking statement.
    const statistics = await insights.boundaries(asOf, async () => boundariesOfMeasures((await measures).values()));
    return { measures: await measures, boundaries: statistics.boundaries };
  };
  let linksAsOf = 0;
  // Independent statements, all at once.
  const [linked, consented, scored, contactRows, shopRows] = await Promise.all([
    // The process's link map when fresh, else built now through this pass's loaders (its statements counted here).
    linkMapCacheOf(runtime)
      .get(loaders)
      .then((cached) => ((linksAsOf = cached.builtAt), cached.links)),
    consentedContacts(loaders, maxRows),
    scoring(),
    rowsOf('contact'),
    rowsOf('shopCustomer'),
  ]);
  sample();

  const segments = insights.settings.segments;
  const sources: Record<AnchorEntity, string> = { contact: loaders.sourceOf('contact'), shopCustomer: loaders.sourceOf('shopCustomer') };
  const rowOf = (entity: AnchorEntity, key: string): Row | undefined => (entity === 'contact' ? contactRows : shopRows)?.get(key);
  let visited = 0;
  for (const key of linked.keys('contact')) {
    if (!consented.has(key)) continue;
    const anchor = { entity: 'contact' as const, key };
    const plan = linked.plan(anchor)!;
    const contactKeys = plan.records.contact.map((record) => record.key);
    // Listed once: under the contact whose key is the customer's id, the lowest of its contacts (Query.customers, BulkLinks.customerIdOf).
    const customerId = encodeCustomerId({ entity: 'contact', key: [...contactKeys].sort(compareKeys)[0]! });
    if (customerId !== encodeCustomerId(anchor)) continue;
    const shopKeys = plan.records.shopCustomer.map((record) => record.key);

    let segment: string | null = null;
    if (scored !== undefined) {
      const cells = shopKeys.flatMap((shopKey): RfmMeasures[] => {
        const measures = scored.measures.get(shopKey);
        return measures === undefined ? [] : [rfmCellOf(measures, scored.boundaries)];
      });
      // Grid segments are RFM rules only, so intent (for the marketing ones) never changes the grid one.
      segment = segmentsOf(segments, combineAccounts(cells), 'NONE').find((s) => s.family === 'GRID')?.id ?? null;
    }
    const contact = rowOf('contact', contactKeys[0]!);
    const shops = shopKeys.flatMap((shopKey) => {
      const row = rowOf('shopCustomer', shopKey);
      return row === undefined ? [] : [row];
    });
    const birthDate = needs.birthDate ? (text(contact?.birthDate) ?? shops.map((row) => text(row.birthDate)).find((value) => value !== null) ?? null) : null;
    let records: SourcedRecord[] | undefined;
    const sourced = (): SourcedRecord[] =>
      (records ??= (['contact', 'shopCustomer'] as const).flatMap((entity) =>
        (entity === 'contact' ? contactKeys : shopKeys).flatMap((recordKey) => {
          const row = rowOf(entity, recordKey);
          return row === undefined ? [] : [{ source: sources[entity], entity, key: recordKey, updatedAt: timestamp(row.updatedAt), row }];
        }),
      ));
    const postcode = needs.postcode ? (surviveField(addressCandidates(sourced()), ruleFor(survivorship, 'address')).winner?.value.postcode ?? null) : null;
    let emails: string[] = [];
    const mayMatch = (): boolean => {
      const test = needs.emailsMatching;
      if (test === undefined) return true;
      // Every record the golden email may come from (sourced()), and the first contact's and the shop accounts' own.
      const rows = [...contactKeys.map((key) => rowOf('contact', key)), ...shops];
      for (const row of rows) {
        const email = text(row?.email);
        if (email === null) continue;
        const normalized = normalizeEmail(email);
        if (test(email) || (normalized !== null && normalized !== email && test(normalized))) return true;
      }
      return false;
    };
    if (needs.emails && mayMatch()) {
      const golden = surviveField(emailCandidates(sourced(), link), ruleFor(survivorship, 'email')).winner?.value ?? null;
      emails = [...new Set([golden, text(contact?.email), ...shops.map((row) => text(row.email))].filter((email): email is string => email !== null))];
    }
    visited++;
    visit({ customerId, segment, birthDate, postcode, emails });
  }
  sample();
  return {
    statements,
    contacts: linked.stats.rows.contact,
    shopAccounts: linked.stats.rows.shopCustomer,
    consented: visited,
    heapBytes: Math.max(0, heapPeak - heapBefore),
    millis: Math.round(performance.now() - started),
    linkMillis: linked.stats.millis,
    linksAsOf: new Date(linksAsOf).toISOString(),
  };
}
