/**
 * A customer being assembled: its anchor record and, on first need, the records of the
 * other source linked to it. Resolvers of one customer share one handle, so the links are
 * looked up once per customer and batched across the customers of a page.
 */
import type { Row } from '../../connectors/contract.js';
import type { Loaders } from '../loading/loaders.js';
import { encodeCustomerId, type Anchor, type AnchorEntity } from './customer-id.js';
import { compareRecords, findLinked, IDENTIFIER_FIELDS, type LinkedRecord, type LinkSettings } from './link.js';

/** Canonical fields of each anchor entity the query needs (besides identifiers). */
export interface CustomerNeeds {
  readonly contact: ReadonlyArray<string>;
  readonly shopCustomer: ReadonlyArray<string>;
}

/** The records of a customer, per entity, or why that entity could not be read. */
export interface Assembly {
  readonly anchor: LinkedRecord;
  readonly records: Readonly<Record<AnchorEntity, ReadonlyArray<LinkedRecord>>>;
  readonly failures: Readonly<Partial<Record<AnchorEntity, unknown>>>;
}

export class CustomerHandle {
  private assemblyPromise: Promise<Assembly | null> | undefined;

  constructor(
    readonly anchor: Anchor,
    readonly needs: CustomerNeeds,
    private readonly loaders: Loaders,
    private readonly settings: LinkSettings,
    /** The anchor row when the parent already read it (a scanned page). */
    private readonly prefetched?: Row,
  ) {}

  /** Null when the anchor record does not exist; rejects when its source failed. */
  assembly(): Promise<Assembly | null> {
    this.assemblyPromise ??= this.assemble();
    return this.assemblyPromise;
  }

  /** The id clients see: the CRM contact's when one is linked, so both anchors give one id. */
  async id(): Promise<string> {
    const assembly = await this.assembly();
    const contact = assembly?.records.contact[0];
    if (contact !== undefined) return encodeCustomerId({ entity: 'contact', key: String(contact.row.id) });
    return encodeCustomerId(this.anchor);
  }

  private projection(entity: AnchorEntity): string[] {
    return [...new Set([...this.needs[entity], ...IDENTIFIER_FIELDS[entity]])];
  }

  private async anchorRow(): Promise<Row | null> {
    if (this.prefetched !== undefined) return this.prefetched;
    const rows = await this.loaders.load(this.anchor.entity, this.anchor.key, { keyField: 'id', projection: this.projection(this.anchor.entity) });
    return rows[0] ?? null;
  }

  private async assemble(): Promise<Assembly | null> {
    const row = await this.anchorRow();
    if (row === null) return null;
    const anchor: LinkedRecord = { entity: this.anchor.entity, row, rule: 'ANCHOR' };
    const other = this.anchor.entity === 'contact' ? 'shopCustomer' : 'contact';
    if (!this.loaders.isMapped(other)) {
      return { anchor, records: byEntity(anchor, []), failures: {} };
    }
    let linked: LinkedRecord[];
    try {
      linked = await findLinked(this.loaders, anchor, other, this.projection(other), this.settings);
    } catch (error) {
      return { anchor, records: byEntity(anchor, []), failures: { [other]: error } };
    }
    if (this.anchor.entity === 'contact' || linked.length === 0) {
      return { anchor, records: byEntity(anchor, linked), failures: {} };
    }
    // A shop account that links to a CRM contact is that contact's customer: re-anchor on
    // the strongest contact and gather every shop account of it, this one included.
    const contact: LinkedRecord = { ...linked[0]!, rule: 'ANCHOR' };
    const shopRule = linked[0]!.rule;
    try {
      const shops = await findLinked(this.loaders, contact, 'shopCustomer', this.projection('shopCustomer'), this.settings);
      const others = shops.filter((record) => String(record.row.id) !== String(row.id));
      const all = [{ ...anchor, rule: shopRule }, ...others].sort(compareRecords);
      return { anchor: contact, records: { contact: [contact], shopCustomer: all }, failures: {} };
    } catch (error) {
      return { anchor: contact, records: { contact: [contact], shopCustomer: [{ ...anchor, rule: shopRule }] }, failures: { shopCustomer: error } };
    }
  }
}

function byEntity(anchor: LinkedRecord, linked: ReadonlyArray<LinkedRecord>): Record<AnchorEntity, ReadonlyArray<LinkedRecord>> {
  const records: Record<AnchorEntity, LinkedRecord[]> = { contact: [], shopCustomer: [] };
  records[anchor.entity].push(anchor);
  for (const record of linked) records[record.entity].push(record);
  return records;
}
