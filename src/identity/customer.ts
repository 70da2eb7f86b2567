/**
 * The Customer aggregate: one customer's person records from every person source, each
 * tagged with its source and entity, its golden record (memoized), its emails and phones.
 * Resolvers read a customer through this, never through the assembly's per-entity lists,
 * so adding a person source (a loyalty silo) adds an entry to PERSON_ENTITIES, not a
 * branch to every resolver.
 *
 * One aggregate per handle (a handle is one customer of one request), built when the
 * handle's assembly settles; `customerNow` gives it without a promise once it has.
 */
import type { Row } from '../../connectors/contract.js';
import type { Loaders } from '../loading/loaders.js';
import type { Assembly, CustomerHandle } from './customer-handle.js';
import type { AnchorEntity } from './customer-id.js';
import { isJunkIdentifier } from './blocklist.js';
import { emailCandidates, surviveAll, type GoldenRecord } from './golden-candidates.js';
import type { HouseholdRecord, LinkedRecord, LinkSettings } from './link.js';
import { normalizePhone } from './phone.js';
import type { ScoredRecord } from './probabilistic.js';
import { ruleFor, type GoldenField, type SourcedRecord } from './survivorship.js';

/**
 * The person entities, in assembly order: the order survivorship's sourcePriority follows
 * when no source list is configured, and the order Customer.sources lists them in.
 */
export const PERSON_ENTITIES: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];

/** One person record of the customer: the linked record, where it lives and its key there. */
export interface PersonRecord extends LinkedRecord {
  /** The source's name in the config (`crm`, `shop`). */
  readonly source: string;
  readonly key: string;
}

/** What the aggregate reads through: the request's loaders and link settings (a RequestContext is one). */
export interface CustomerContext {
  readonly loaders: Pick<Loaders, 'sourceOf' | 'sourceOfRow' | 'isMapped' | 'mappedFields' | 'loadMany'>;
  readonly link: LinkSettings;
}

const PHONE_FIELDS = ['mobile', 'phone'];

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

function timestamp(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value !== '' ? value : null;
}

export class Customer {
  /** Every person record, in PERSON_ENTITIES order, each entity's in assembly order (its anchor, then by link strength). */
  readonly records: ReadonlyArray<PersonRecord>;
  private readonly goldens: Array<Promise<GoldenRecord> | undefined> = [undefined, undefined];
  private goldenSync: GoldenRecord | undefined;
  private emailList: ReadonlyArray<string> | undefined;
  private phoneList: ReadonlyArray<string> | undefined;

  constructor(
    /** Null when the anchor record does not exist: a customer with no records. */
    private readonly assembly: Assembly | null,
    private readonly ctx: CustomerContext,
  ) {
    // Loops, not flatMap: one aggregate per customer of every page (2.4% of a CRM page's CPU with flatMap).
    const records: PersonRecord[] = [];
    if (assembly !== null) for (const entity of PERSON_ENTITIES) for (const record of assembly.records[entity]) records.push(personRecord(record, ctx.loaders));
    this.records = records;
  }

  /** The record the customer is built on (the re-anchored contact when a shop account linked to one); undefined when none exists. */
  get anchor(): PersonRecord | undefined {
    return this.assembly === null ? undefined : personRecord(this.assembly.anchor, this.ctx.loaders);
  }

  /** Why an entity's records could not be read (its source failed while linking), else undefined. */
  failureOf(entity: AnchorEntity): unknown {
    return this.assembly?.failures[entity];
  }

  /** The records of one person entity, whether or not its source failed (what was read before the failure). */
  recordsOf(entity: AnchorEntity): ReadonlyArray<PersonRecord> {
    return this.records.filter((record) => record.entity === entity);
  }

  /** The rows of one person entity; throws that source's failure, so only the fields reading it go null. */
  rowsOf(entity: AnchorEntity): Row[] {
    const failure = this.failureOf(entity);
    if (failure !== undefined) throw failure;
    return this.recordsOf(entity).map((record) => record.row);
  }

  /** The keys of one person entity's records (what its children are keyed by); throws as rowsOf. */
  keysOf(entity: AnchorEntity): string[] {
    return this.rowsOf(entity).map((row) => String(row.id));
  }

  /** Possible duplicates, scored between the review and link thresholds, never merged. */
  get candidates(): ReadonlyArray<ScoredRecord> {
    return this.assembly?.candidates ?? [];
  }

  /** Other people sharing an email or phone with this customer, never merged. */
  get households(): ReadonlyArray<HouseholdRecord> {
    return this.assembly?.households ?? [];
  }

  /**
   * Every valid, non-junk email of the records, normalized, distinct, in record order (a
   * failed source only hides its own records' emails).
   */
  emails(): ReadonlyArray<string> {
    this.emailList ??= [...new Set(emailCandidates(this.sourced(), this.ctx.link).map((candidate) => candidate.value))];
    return this.emailList;
  }

  /** Every valid, non-junk phone of the records (mobile before landline), in E.164, distinct, in record order. */
  phones(): ReadonlyArray<string> {
    this.phoneList ??= [
      ...new Set(
        this.records.flatMap((record) =>
          PHONE_FIELDS.flatMap((field) => {
            const phone = normalizePhone(text(record.row[field]), this.ctx.link.defaultRegion);
            return phone === null || isJunkIdentifier('phone', phone, this.ctx.link.blocklist) ? [] : [phone];
          }),
        ),
      ),
    ];
    return this.phoneList;
  }

  /**
   * The golden record under the configured survivorship rules, computed once per request.
   * A most-recent rule on one of `fields` needs each record's updatedAt, which a query that
   * did not select provenance did not read: that golden record is computed after one
   * batched load of id + updatedAt per entity, and memoized apart from the other.
   */
  golden(fields: ReadonlyArray<GoldenField>): Promise<GoldenRecord> {
    const withUpdatedAt = fields.some((field) => ruleFor(this.ctx.link.survivorship, field).strategy === 'mostRecent');
    const slot = withUpdatedAt ? 1 : 0;
    if (!withUpdatedAt) {
      this.goldens[0] ??= Promise.resolve(this.goldenNow(fields)!);
      return this.goldens[0];
    }
    this.goldens[slot] ??= this.sourcedWithUpdatedAt(withUpdatedAt).then((records) => surviveAll(records, this.ctx.link));
    return this.goldens[slot];
  }

  /**
   * The golden record without a promise when none of `fields` needs an updatedAt the rows may
   * lack (no most-recent rule on them), else undefined: a page of planned customers resolves
   * its names and emails synchronously. The same memoized record as golden(fields).
   */
  goldenNow(fields: ReadonlyArray<GoldenField>): GoldenRecord | undefined {
    if (fields.some((field) => ruleFor(this.ctx.link.survivorship, field).strategy === 'mostRecent')) return undefined;
    return (this.goldenSync ??= surviveAll(this.sourced(), this.ctx.link));
  }

  /** The records as survivorship reads them, with the updatedAt each row carries. */
  private sourced(): SourcedRecord[] {
    return this.records.map((record) => ({
      source: record.source,
      entity: record.entity,
      key: record.key,
      updatedAt: timestamp(record.row.updatedAt),
      row: record.row,
    }));
  }

  private async sourcedWithUpdatedAt(withUpdatedAt: boolean): Promise<SourcedRecord[]> {
    const { loaders } = this.ctx;
    const perEntity = await Promise.all(
      PERSON_ENTITIES.map(async (entity) => {
        const records = this.recordsOf(entity);
        const missing =
          withUpdatedAt &&
          loaders.isMapped(entity) &&
          loaders.mappedFields(entity, ['updatedAt']).length > 0 &&
          records.some((record) => !('updatedAt' in record.row));
        const updated = new Map<string, unknown>();
        if (missing) {
          const found = await loaders.loadMany(
            entity,
            records.map((record) => record.key),
            { keyField: 'id', projection: ['id', 'updatedAt'] },
          );
          for (const row of found.flat()) updated.set(String(row.id), row.updatedAt);
        }
        return records.map((record): SourcedRecord => ({
          source: record.source,
          entity,
          key: record.key,
          updatedAt: timestamp('updatedAt' in record.row ? record.row.updatedAt : updated.get(record.key)),
          row: record.row,
        }));
      }),
    );
    return perEntity.flat();
  }
}

function personRecord(record: LinkedRecord, loaders: CustomerContext['loaders']): PersonRecord {
  // Field by field, not a spread: the top c360 function of a segment walk's profile with it
  // (a generic copy per record, ~2% of the walk's CPU); a linked record has no other field.
  const source = loaders.sourceOfRow(record.entity, record.row);
  const key = String(record.row.id);
  return record.score === undefined
    ? { entity: record.entity, row: record.row, rule: record.rule, source, key }
    : { entity: record.entity, row: record.row, rule: record.rule, score: record.score, source, key };
}

function aggregateOf(handle: CustomerHandle, assembly: Assembly | null, ctx: CustomerContext): Customer {
  // Kept on the handle, not in a WeakMap keyed by it: a page makes 50-1,000 short-lived
  // handles, each looked up by every field of its customer (issue 12).
  let customer = handle.aggregate as Customer | undefined;
  if (customer === undefined) {
    customer = new Customer(assembly, ctx);
    handle.aggregate = customer;
  }
  return customer;
}

/** The customer a handle stands for, once its records are assembled (rejects when its anchor's source failed). */
export async function customerOf(handle: CustomerHandle, ctx: CustomerContext): Promise<Customer> {
  return aggregateOf(handle, await handle.assembly(), ctx);
}

/** The customer without a promise when the handle's assembly has settled (a page waits for all of its customers), else undefined. */
export function customerNow(handle: CustomerHandle, ctx: CustomerContext): Customer | undefined {
  const assembly = handle.assembledNow();
  return assembly === undefined ? undefined : aggregateOf(handle, assembly, ctx);
}
