/**
 * Each record's candidate value for each golden field, with the same validity rules as
 * golden v1 (junk emails and phones never survive, an address is taken whole).
 */
import { addressOf, type GoldenAddress, type GoldenName } from './golden.js';
import { isJunkIdentifier } from './blocklist.js';
import { normalizeEmail } from './email.js';
import { normalizePhone } from './phone.js';
import type { LinkSettings } from './link.js';
import { ruleFor, surviveField, type Candidate, type GoldenField, type SourcedRecord, type Survived } from './survivorship.js';

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

function lower(parts: ReadonlyArray<string | null>): string {
  return parts.map((part) => (part ?? '').toLowerCase()).join('|');
}

export function emailCandidates(records: ReadonlyArray<SourcedRecord>, settings: LinkSettings): Candidate<string>[] {
  return records.flatMap((record) => {
    const email = normalizeEmail(text(record.row.email));
    return email === null || isJunkIdentifier('email', email, settings.blocklist) ? [] : [{ record, value: email, normalized: email }];
  });
}

/** One phone per record: a contact's mobile before its landline, as golden v1 reads them. */
export function phoneCandidates(records: ReadonlyArray<SourcedRecord>, settings: LinkSettings): Candidate<string>[] {
  return records.flatMap((record) => {
    for (const field of ['mobile', 'phone']) {
      const phone = normalizePhone(text(record.row[field]), settings.defaultRegion);
      if (phone !== null && !isJunkIdentifier('phone', phone, settings.blocklist)) return [{ record, value: phone, normalized: phone }];
    }
    return [];
  });
}

export function nameCandidates(records: ReadonlyArray<SourcedRecord>): Candidate<GoldenName>[] {
  return records.flatMap((record) => {
    const first = text(record.row.firstName);
    const last = text(record.row.lastName);
    if (first === null && last === null) return [];
    return [{ record, value: { first, last, full: [first, last].filter((part) => part !== null).join(' ') }, normalized: lower([first, last]) }];
  });
}

export function addressCandidates(records: ReadonlyArray<SourcedRecord>): Candidate<GoldenAddress>[] {
  return records.flatMap((record) => {
    const address = addressOf(record.row);
    return address === null ? [] : [{ record, value: address, normalized: lower([address.street, address.postcode, address.city, address.country]) }];
  });
}

/** Declared kinds; only when no record declares one does a SIRET say COMPANY (golden v1's order). */
export function kindCandidates(records: ReadonlyArray<SourcedRecord>): Candidate<'PERSON' | 'COMPANY'>[] {
  const declared = records.flatMap((record): Candidate<'PERSON' | 'COMPANY'>[] => {
    const kind = record.row.kind;
    return kind === 'PERSON' || kind === 'COMPANY' ? [{ record, value: kind, normalized: kind }] : [];
  });
  if (declared.length > 0) return declared;
  return records.flatMap((record) => (text(record.row.siret) === null ? [] : [{ record, value: 'COMPANY' as const, normalized: 'COMPANY' }]));
}

export function companyNameCandidates(records: ReadonlyArray<SourcedRecord>): Candidate<string>[] {
  return records.flatMap((record) => {
    const name = text(record.row.companyName);
    return name === null ? [] : [{ record, value: name, normalized: name.toLowerCase() }];
  });
}

export type GoldenValue = string | GoldenName | GoldenAddress;

/** Every golden field survived under the configured rules. */
export interface GoldenRecord {
  readonly email: Survived<string>;
  readonly phone: Survived<string>;
  readonly name: Survived<GoldenName>;
  readonly address: Survived<GoldenAddress>;
  readonly kind: Survived<'PERSON' | 'COMPANY'>;
  readonly companyName: Survived<string>;
}

/** Every golden field survived under the configured rules; each is computed when first read (a CSV of names and emails never normalizes a phone). */
export function surviveAll(records: ReadonlyArray<SourcedRecord>, settings: LinkSettings): GoldenRecord {
  return new LazyGoldenRecord(records, settings);
}

/** One object per customer, its fields computed on first read (no closure per field). */
class LazyGoldenRecord implements GoldenRecord {
  private emailOf: Survived<string> | undefined;
  private phoneOf: Survived<string> | undefined;
  private nameOf: Survived<GoldenName> | undefined;
  private addressOf: Survived<GoldenAddress> | undefined;
  private kindOf: Survived<'PERSON' | 'COMPANY'> | undefined;
  private companyNameOf: Survived<string> | undefined;

  constructor(
    private readonly records: ReadonlyArray<SourcedRecord>,
    private readonly settings: LinkSettings,
  ) {}

  private rule(field: GoldenField) {
    return ruleFor(this.settings.survivorship, field);
  }

  get email(): Survived<string> {
    return (this.emailOf ??= surviveField(emailCandidates(this.records, this.settings), this.rule('email')));
  }
  get phone(): Survived<string> {
    return (this.phoneOf ??= surviveField(phoneCandidates(this.records, this.settings), this.rule('phone')));
  }
  get name(): Survived<GoldenName> {
    return (this.nameOf ??= surviveField(nameCandidates(this.records), this.rule('name')));
  }
  get address(): Survived<GoldenAddress> {
    return (this.addressOf ??= surviveField(addressCandidates(this.records), this.rule('address')));
  }
  get kind(): Survived<'PERSON' | 'COMPANY'> {
    return (this.kindOf ??= surviveField(kindCandidates(this.records), this.rule('kind')));
  }
  get companyName(): Survived<string> {
    return (this.companyNameOf ??= surviveField(companyNameCandidates(this.records), this.rule('companyName')));
  }
}

/** PERSON when no record says otherwise, as golden v1. */
export function kindOf(golden: GoldenRecord): 'PERSON' | 'COMPANY' {
  return golden.kind.winner?.value ?? 'PERSON';
}

/** A company's name, else the person's; which field it came from, for provenance. */
export function displayNameSource(golden: GoldenRecord): 'name' | 'companyName' | null {
  const name = golden.name.winner === null ? null : 'name';
  const company = golden.companyName.winner === null ? null : 'companyName';
  return kindOf(golden) === 'COMPANY' ? (company ?? name) : (name ?? company);
}
