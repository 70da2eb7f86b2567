/**
 * A customer being assembled: its anchor record and, on first need, the records of the
 * other source linked to it. Resolvers of one customer share one handle, so the links are
 * looked up once per customer and batched across the customers of a page.
 */
import type { IncludeRequest, Row } from '../../connectors/contract.js';
import type { LoadOptions, Loaders } from '../loading/loaders.js';
import { encodeCustomerId, type Anchor, type AnchorEntity } from './customer-id.js';
import {
  compareKeys,
  compareRecords,
  findIdentifierLinks,
  householdsApart,
  IDENTIFIER_FIELDS,
  otherEntity,
  rulePriority,
  strongestPerRecord,
  type HouseholdRecord,
  type LinkedRecord,
  type LinkSettings,
} from './link.js';
import { findProbable, MATCH_FIELDS, type ScoredRecord } from './probabilistic.js';
import type { AssemblyPlan, BulkLinks, PlannedRecord } from './bulk-link.js';

/** Canonical fields of each anchor entity the query needs (besides identifiers). */
export interface CustomerNeeds {
  readonly contact: ReadonlyArray<string>;
  readonly shopCustomer: ReadonlyArray<string>;
  /**
   * False when the selection reads nothing a link could change (a CRM-only page: id,
   * contact, account, interactions, consents): a contact then stands alone, unlinked.
   * Absent means true.
   */
  readonly linking?: boolean;
  /** What to read with each shop customer found by its identifiers (its orders, lines, products), in the same statement. */
  readonly shopCustomerInclude?: IncludeRequest;
}

/** The records of a customer, per entity, or why that entity could not be read. */
export interface Assembly {
  readonly anchor: LinkedRecord;
  readonly records: Readonly<Record<AnchorEntity, ReadonlyArray<LinkedRecord>>>;
  readonly failures: Readonly<Partial<Record<AnchorEntity, unknown>>>;
  /** Possible duplicates: scored between the review and link thresholds, never merged. */
  readonly candidates?: ReadonlyArray<ScoredRecord>;
  /** Other people sharing an email or phone with this customer (a household), never merged. */
  readonly households?: ReadonlyArray<HouseholdRecord>;
}

export class CustomerHandle {
  /** The Customer aggregate built on this handle's assembly (./customer.ts owns it; typed there). */
  aggregate: unknown;
  private assemblyPromise: Promise<Assembly | null> | undefined;
  private anchorPromise: Promise<Row | null> | undefined;

  constructor(
    readonly anchor: Anchor,
    readonly needs: CustomerNeeds,
    private readonly loaders: Loaders,
    private readonly settings: LinkSettings,
    /** The anchor row when the parent already read it (a scanned page). */
    private readonly prefetched?: Row,
    /** Links computed in bulk (./bulk-link.ts): the records are then read by key, with no identifier lookup. */
    private readonly linked?: BulkLinks,
  ) {
    // A scanned contact that nothing selected links (a CRM-only page) is its own assembly:
    // settled here, so its resolvers read it without a promise (issue 12).
    if (prefetched !== undefined && anchor.entity === 'contact' && this.standsAlone() && this.hasFields(prefetched)) {
      const record: LinkedRecord = { entity: 'contact', row: prefetched, rule: 'ANCHOR' };
      // Its promises are made if something asks for them (most resolvers read it synchronously).
      this.settled = { anchor: record, records: byEntity(record, []), failures: {}, candidates: [] };
    }
  }

  /** Nothing selected depends on the links, and no same-source matching could merge this contact with another. */
  private standsAlone(): boolean {
    // Contacts in several sources (two CRMs) link to each other: a CRM-only selection still
    // needs them, or one person would show once per CRM.
    return (
      this.needs.linking === false &&
      !(this.settings.probabilistic?.enabled === true && this.settings.probabilistic.sameSource) &&
      !this.loaders.silos.isSplit('contact')
    );
  }

  /** The assembly once it has settled successfully (read synchronously by resolvers of planned data). */
  private settled: Assembly | null | undefined;

  /** Null when the anchor record does not exist; rejects when its source failed. */
  assembly(): Promise<Assembly | null> {
    this.assemblyPromise ??= this.settled !== undefined ? Promise.resolve(this.settled) : this.assemble().then((assembly) => (this.settled = assembly));
    return this.assemblyPromise;
  }

  /**
   * The anchor's own record, read once (assembly starts from it); null when it does not
   * exist. What reads only the anchor's source waits for this, not for the links to the
   * other source: a hanging shop then costs the shop's fields only.
   */
  anchorRecord(): Promise<Row | null> {
    this.anchorPromise ??= this.anchorRow();
    return this.anchorPromise;
  }

  /** The assembled records when they are already there (a page waits for all of its customers), else undefined. */
  assembledNow(): Assembly | undefined {
    return this.settled ?? undefined;
  }

  /** id() without a promise, when the assembly has settled. */
  idNow(): string | undefined {
    if (this.settled === undefined || this.settled === null) return undefined;
    // Read by the page (one edge per customer), by Customer.id and by the audit record: encoded
    // once (a settled assembly is never replaced).
    return (this.settledId ??= this.idOf(this.settled));
  }

  private settledId: string | undefined;

  /** The id clients see: the CRM contact's when one is linked, so both anchors give one id. */
  async id(): Promise<string> {
    return this.idOf(await this.assembly());
  }

  private idOf(assembly: Assembly | null): string {
    // The lowest key among one source's records, so two duplicates linked to each other
    // in one source give one id whichever of them is asked for.
    const contacts = assembly?.records.contact ?? [];
    if (contacts.length > 0) return this.encoded('contact', lowestKey(contacts));
    const shops = assembly?.records.shopCustomer ?? [];
    if (shops.length > 1) return this.encoded('shopCustomer', lowestKey(shops));
    return this.anchorId();
  }

  /** The id this handle's own anchor would have: a page keeps a handle when its customer's id is this one. Encoded once. */
  anchorId(): string {
    return (this.ownId ??= encodeCustomerId(this.anchor));
  }

  private ownId: string | undefined;

  private encoded(entity: AnchorEntity, key: string): string {
    return entity === this.anchor.entity && key === this.anchor.key ? this.anchorId() : encodeCustomerId({ entity, key });
  }

  private projection(entity: AnchorEntity): string[] {
    // One list per selection (the handles of a page share their needs), not one per customer.
    const probabilistic = this.settings.probabilistic?.enabled === true;
    let memo = projections.get(this.needs);
    if (memo === undefined) projections.set(this.needs, (memo = {}));
    const key = `${entity}${probabilistic ? '+match' : ''}` as const;
    return (memo[key] ??= [...new Set([...this.needs[entity], ...IDENTIFIER_FIELDS[entity], ...(probabilistic ? MATCH_FIELDS : [])])]);
  }

  private hasFields(row: Row): boolean {
    let memo = mappedProjections.get(this.needs);
    if (memo === undefined) mappedProjections.set(this.needs, (memo = new Map()));
    let fields = memo.get(this.loaders)?.[this.anchor.entity];
    if (fields === undefined) {
      fields = this.loaders.mappedFields(this.anchor.entity, this.projection(this.anchor.entity));
      memo.set(this.loaders, { ...memo.get(this.loaders), [this.anchor.entity]: fields });
    }
    for (const field of fields) if (!(field in row)) return false;
    return true;
  }

  private async anchorRow(): Promise<Row | null> {
    // A scanned page read what its query needed; matching may need more of the anchor (one batched load per page).
    if (this.prefetched !== undefined && this.hasFields(this.prefetched)) return this.prefetched;
    const rows = await this.loaders.load(this.anchor.entity, this.anchor.key, { keyField: 'id', projection: this.projection(this.anchor.entity) });
    return rows[0] ?? null;
  }

  private async assemble(): Promise<Assembly | null> {
    // Nothing selected depends on the links, and the id of a contact is its own unless
    // same-source matching could merge it with another contact.
    const alone = this.anchor.entity === 'contact' && this.standsAlone();
    const planned = alone ? undefined : this.linked?.plan(this.anchor);
    if (planned !== undefined) {
      // The plan names every record by key: the anchor's row is read in the same wave as the
      // others (one statement per source for a page of customers), not before them.
      const [row, assembly] = await Promise.all([this.anchorRecord(), this.assembleFrom(planned, this.anchorRecord())]);
      return row === null ? null : assembly;
    }
    const row = await this.anchorRecord();
    if (row === null) return null;
    const anchor: LinkedRecord = { entity: this.anchor.entity, row, rule: 'ANCHOR' };
    if (alone) return { anchor, records: byEntity(anchor, []), failures: {}, candidates: [] };
    const other = otherEntity(this.anchor.entity);
    const ownSource = this.sameSource(anchor);
    if (!this.loaders.isMapped(other)) {
      const [own, shared] = await Promise.all([ownSource.catch(() => NO_MATCHES), this.identifierLinksWithin(anchor).catch(() => NO_MATCHES)]);
      const links = strongestPerRecord([...shared.links, ...own.links], rulePriority(this.settings));
      return { anchor, records: byEntity(anchor, links), failures: {}, candidates: own.possible, households: householdsApart(shared.households ?? [], links) };
    }
    let found: Matches;
    let own: Matches;
    try {
      [found, own] = await Promise.all([this.linkFrom(anchor, other), ownSource]);
    } catch (error) {
      return { anchor, records: byEntity(anchor, []), failures: { [other]: error }, candidates: [] };
    }
    const contactsFound = found.links.filter((record) => record.entity === 'contact');
    if (this.anchor.entity === 'contact' || contactsFound.length === 0) {
      const links = strongestPerRecord([...own.links, ...found.links], rulePriority(this.settings));
      return {
        anchor,
        records: byEntity(anchor, links),
        failures: {},
        candidates: [...own.possible, ...found.possible],
        households: householdsApart(found.households ?? [], links),
      };
    }
    // A shop account that links to a CRM contact is that contact's customer: re-anchor on
    // the strongest contact and gather every shop account of it, this one included.
    const strongest = contactsFound[0]!;
    const contact: LinkedRecord = { ...strongest, rule: 'ANCHOR' };
    const shopLink = { ...anchor, rule: strongest.rule, ...(strongest.score === undefined ? {} : { score: strongest.score }) };
    try {
      const [shops, contacts] = await Promise.all([this.linkFrom(contact, 'shopCustomer'), this.sameSource(contact)]);
      const others = shops.links.filter((record) => record.entity === 'shopCustomer' && String(record.row.id) !== String(row.id));
      const all = [shopLink, ...others].sort((a, b) => compareRecords(a, b, rulePriority(this.settings)));
      const contactLinks = strongestPerRecord(
        [...contacts.links, ...shops.links.filter((record) => record.entity === 'contact' && String(record.row.id) !== String(contact.row.id))],
        rulePriority(this.settings),
      );
      const keys = new Set([...all, ...contactLinks, contact].map((record) => `${record.entity}:${String(record.row.id)}`));
      const candidates = [...contacts.possible, ...shops.possible].filter((record) => !keys.has(`${record.entity}:${String(record.row.id)}`));
      const households = householdsApart([...(shops.households ?? []), ...(found.households ?? [])], [...all, ...contactLinks, contact]);
      return { anchor: contact, records: { contact: [contact, ...contactLinks], shopCustomer: all }, failures: {}, candidates, households };
    } catch (error) {
      return { anchor: contact, records: { contact: [contact], shopCustomer: [shopLink] }, failures: { shopCustomer: error }, candidates: [] };
    }
  }

  /** The records a bulk plan names, read by key (batched across the page's customers). */
  private async assembleFrom(plan: AssemblyPlan, anchorRow: Promise<Row | null>): Promise<Assembly | null> {
    // One options object per entity for all of this customer's reads.
    const options: Partial<Record<AnchorEntity, LoadOptions>> = {};
    const optionsOf = (entity: AnchorEntity): LoadOptions => {
      const include = entity === 'shopCustomer' ? this.needs.shopCustomerInclude : undefined;
      return (options[entity] ??= { keyField: 'id', projection: this.projection(entity), ...(include === undefined ? {} : { include }) });
    };
    const read = (record: { readonly entity: AnchorEntity; readonly key: string }): Promise<Row | undefined> => {
      if (record.entity === this.anchor.entity && record.key === this.anchor.key) return anchorRow.then((row) => row ?? undefined);
      return this.loaders.load(record.entity, record.key, optionsOf(record.entity)).then((rows) => rows[0]);
    };
    const linkedOf = async (records: ReadonlyArray<PlannedRecord>): Promise<LinkedRecord[]> => {
      const rows = await Promise.all(records.map(read));
      const linked: LinkedRecord[] = [];
      records.forEach((record, index) => {
        const row = rows[index];
        if (row !== undefined) linked.push({ entity: record.entity, row, rule: record.rule });
      });
      return linked;
    };
    // Every read starts now, the anchor's with them.
    const reads = Promise.all([
      linkedOf(plan.records.contact),
      linkedOf(plan.records.shopCustomer),
      plan.households.length === 0
        ? Promise.resolve([])
        : Promise.all(
            plan.households.map(async (member) => {
              const row = await read(member);
              return row === undefined ? [] : [{ entity: member.entity, row, sharedBy: member.sharedBy, reason: member.reason }];
            }),
          ).then((all) => all.flat()),
    ]);
    const own = await anchorRow.catch(() => null);
    const anchor: LinkedRecord | undefined = own === null ? undefined : { entity: this.anchor.entity, row: own, rule: 'ANCHOR' };
    try {
      const [contacts, shops, households] = await reads;
      if (anchor === undefined) return null;
      const newAnchor =
        plan.anchor.entity === anchor.entity && plan.anchor.key === this.anchor.key ? anchor : contacts.find((record) => record.rule === 'ANCHOR');
      if (newAnchor === undefined) return { anchor, records: byEntity(anchor, []), failures: {}, candidates: [] };
      return { anchor: newAnchor, records: { contact: contacts, shopCustomer: shops }, failures: {}, candidates: [], households };
    } catch (error) {
      if (anchor === undefined) return null;
      return { anchor, records: byEntity(anchor, []), failures: { [otherEntity(anchor.entity)]: error }, candidates: [] };
    }
  }

  /** Records of the anchor's own source sharing an identifier with it (no other source mapped). */
  private async identifierLinksWithin(record: LinkedRecord): Promise<Matches> {
    // The lookups target the anchor's own entity: every holder is a same-source record.
    const found = await findIdentifierLinks(this.loaders, record, record.entity, this.projection(record.entity), this.settings);
    const others = (rows: ReadonlyArray<{ readonly row: Row }>) => rows.filter((linked) => String(linked.row.id) !== String(record.row.id));
    return { links: others(found.links) as LinkedRecord[], possible: [], households: others(found.households) as HouseholdRecord[] };
  }

  /** Deterministic links to `target` (and to the record's own source), plus probable ones when probabilistic matching is on. */
  private async linkFrom(from: LinkedRecord, target: AnchorEntity): Promise<Matches> {
    const probabilistic = this.settings.probabilistic;
    const [identified, probable] = await Promise.all([
      findIdentifierLinks(
        this.loaders,
        from,
        target,
        this.projection(target),
        this.settings,
        this.projection(from.entity),
        target === 'shopCustomer' ? this.needs.shopCustomerInclude : undefined,
      ),
      probabilistic?.enabled === true ? findProbable(this.loaders, from, target, this.projection(target), probabilistic) : NO_MATCHES,
    ]);
    const linked = identified.links;
    if (probable.links.length === 0 && probable.possible.length === 0) return { links: linked, possible: [], households: identified.households };
    const links = strongestPerRecord([...linked, ...probable.links], rulePriority(this.settings));
    const keys = new Set(links.map((record) => `${record.entity}:${String(record.row.id)}`));
    return {
      links,
      possible: probable.possible.filter((record) => !keys.has(`${record.entity}:${String(record.row.id)}`)),
      households: householdsApart(identified.households, links),
    };
  }

  /** Probable duplicates of a record in its own source (two CRM contacts of one person). */
  private async sameSource(record: LinkedRecord): Promise<Matches> {
    const probabilistic = this.settings.probabilistic;
    if (probabilistic?.enabled !== true || !probabilistic.sameSource) return NO_MATCHES;
    return findProbable(this.loaders, record, record.entity, this.projection(record.entity), probabilistic);
  }
}

interface Matches {
  readonly links: ReadonlyArray<LinkedRecord>;
  readonly possible: ReadonlyArray<ScoredRecord>;
  readonly households?: ReadonlyArray<HouseholdRecord>;
}

const NO_MATCHES: Matches = { links: [], possible: [] };

/** Projections per selection (CustomerNeeds) and entity, with or without the matching fields. */
const projections = new WeakMap<CustomerNeeds, Partial<Record<`${AnchorEntity}${'' | '+match'}`, string[]>>>();
/** Of those, the fields the anchor entity maps, per request (Loaders). */
const mappedProjections = new WeakMap<CustomerNeeds, Map<Loaders, Partial<Record<AnchorEntity, ReadonlyArray<string>>>>>();

function byEntity(anchor: LinkedRecord, linked: ReadonlyArray<LinkedRecord>): Record<AnchorEntity, ReadonlyArray<LinkedRecord>> {
  const records: Record<AnchorEntity, LinkedRecord[]> = { contact: [], shopCustomer: [] };
  records[anchor.entity].push(anchor);
  for (const record of linked) records[record.entity].push(record);
  return records;
}

function lowestKey(records: ReadonlyArray<LinkedRecord>): string {
  return records.map((record) => String(record.row.id)).sort(compareKeys)[0]!;
}
