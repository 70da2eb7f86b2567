/**
 * Data quality of one assembled customer: completeness of the golden fields, validity of
 * each identifier the sources hold, staleness, and conflicts between sources. Pure: the
 * resolver reads the records, this judges them.
 */
import { disagree } from './conflict.js';
import { emailCandidates, phoneCandidates } from './golden-candidates.js';
import type { Candidate, SourcedRecord } from './survivorship.js';
import { unreadableFields, type Row } from '../../connectors/contract.js';
import type { AnchorEntity } from './customer-id.js';
import { isJunkIdentifier } from './blocklist.js';
import { normalizeEmail } from './email.js';
import { normalizePhone } from './phone.js';
import { isValidSiret } from './siren.js';
import { normalizeDate } from './similarity.js';
import type { LinkSettings } from './link.js';

/** Fields the quality check reads from every record of the customer. */
export const QUALITY_FIELDS: Readonly<Record<AnchorEntity, ReadonlyArray<string>>> = {
  contact: ['id', 'firstName', 'lastName', 'email', 'phone', 'mobile', 'street', 'postcode', 'city', 'birthDate', 'updatedAt'],
  shopCustomer: ['id', 'firstName', 'lastName', 'email', 'phone', 'siret', 'street', 'postcode', 'city', 'birthDate', 'updatedAt'],
};

/** A record with the names the report uses for it. */
export interface SourcedRow {
  readonly source: string;
  readonly entity: AnchorEntity;
  readonly row: Row;
}

export interface SourcedValue {
  readonly source: string;
  readonly entity: string;
  readonly key: string;
  readonly value: string;
}

export interface FieldConflict {
  readonly field: string;
  readonly values: SourcedValue[];
}

export interface DataQuality {
  readonly score: number;
  readonly completeness: number;
  readonly emailValid: boolean | null;
  readonly phoneValid: boolean | null;
  readonly postcodeValid: boolean | null;
  readonly siretValid: boolean | null;
  /** False when a record stores a date of birth that is not a date in the mapping's format. */
  readonly birthDateValid: boolean | null;
  /** Records whose stored date of birth is not a date in the mapping's format (read as null). */
  readonly unparseableBirthDates: number;
  readonly lastUpdatedAt: string | null;
  readonly stale: boolean;
  readonly conflicts: FieldConflict[];
}

const STALE_AFTER_MILLIS = 2 * 365 * 24 * 3600 * 1000;
const COMPLETENESS_FIELDS = ['name', 'email', 'phone', 'street', 'postcode', 'city'] as const;

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Raw values of a field across records, with where each came from. */
function valuesOf(records: ReadonlyArray<SourcedRow>, fields: ReadonlyArray<string>): Array<SourcedValue & { raw: string }> {
  const found: Array<SourcedValue & { raw: string }> = [];
  for (const record of records) {
    for (const field of fields) {
      const raw = text(record.row[field]);
      if (raw !== null) found.push({ source: record.source, entity: record.entity, key: String(record.row.id), value: raw, raw });
    }
  }
  return found;
}

/** Valid when every value held is valid; null when no source holds one. */
function allValid(values: ReadonlyArray<{ raw: string }>, valid: (raw: string) => boolean): boolean | null {
  return values.length === 0 ? null : values.every((value) => valid(value.raw));
}

function candidateConflict(field: string, candidates: ReadonlyArray<Candidate<string>>): FieldConflict | null {
  if (!disagree(candidates)) return null;
  return { field, values: candidates.map(({ record, normalized }) => ({ source: record.source, entity: record.entity, key: record.key, value: normalized })) };
}

/** Distinct normalized values of one field across records: a conflict when more than one. */
function conflict(field: string, values: ReadonlyArray<SourcedValue & { raw: string }>, normalize: (raw: string) => string | null): FieldConflict | null {
  const normalized = values
    .map((value) => ({ ...value, normalized: normalize(value.raw) }))
    .filter((value): value is typeof value & { normalized: string } => value.normalized !== null);
  if (!disagree(normalized)) return null;
  return { field, values: normalized.map(({ source, entity, key, normalized: value }) => ({ source, entity, key, value })) };
}

/** Null when no record stores a date of birth; false when one stores a value that is not a date. */
function birthDateValidity(records: ReadonlyArray<SourcedRow>): boolean | null {
  const unreadable = records.some((record) => unreadableFields(record.row).includes('birthDate'));
  if (unreadable) return false;
  return records.some((record) => normalizeDate(text(record.row.birthDate)) !== null) ? true : null;
}

export function assessQuality(records: ReadonlyArray<SourcedRow>, settings: LinkSettings, nowMillis: number): DataQuality {
  const emails = valuesOf(records, ['email']);
  const phones = valuesOf(records, ['phone', 'mobile']);
  const postcodes = valuesOf(records, ['postcode']);
  const sirets = valuesOf(records, ['siret']);
  const present: Record<(typeof COMPLETENESS_FIELDS)[number], boolean> = {
    name: valuesOf(records, ['lastName']).length > 0,
    email: emails.length > 0,
    phone: phones.length > 0,
    street: valuesOf(records, ['street']).length > 0,
    postcode: postcodes.length > 0,
    city: valuesOf(records, ['city']).length > 0,
  };
  const completeness = COMPLETENESS_FIELDS.filter((field) => present[field]).length / COMPLETENESS_FIELDS.length;
  const validEmail = (raw: string) => {
    const email = normalizeEmail(raw);
    return email !== null && !isJunkIdentifier('email', email, settings.blocklist);
  };
  const validPhone = (raw: string) => {
    const phone = normalizePhone(raw, settings.defaultRegion);
    return phone !== null && !isJunkIdentifier('phone', phone, settings.blocklist);
  };
  const validity = {
    emailValid: allValid(emails, validEmail),
    phoneValid: allValid(phones, validPhone),
    postcodeValid: allValid(postcodes, (raw) => /^\d{5}$/.test(raw.replace(/\s/g, ''))),
    siretValid: allValid(sirets, isValidSiret),
  };
  const updated = valuesOf(records, ['updatedAt'])
    .map((value) => Date.parse(value.raw))
    .filter((millis) => !Number.isNaN(millis));
  const lastUpdatedMillis = updated.length === 0 ? null : Math.max(...updated);
  const stale = lastUpdatedMillis === null || nowMillis - lastUpdatedMillis > STALE_AFTER_MILLIS;
  // Email and phone: each record by the value it gives the golden record, as provenance
  // compares them (src/identity/conflict.ts), so the API and the page say the same.
  const sourced: SourcedRecord[] = records.map((record) => ({
    source: record.source,
    entity: record.entity,
    key: String(record.row.id),
    updatedAt: null,
    row: record.row,
  }));
  const conflicts = [
    candidateConflict('email', emailCandidates(sourced, settings)),
    candidateConflict('phone', phoneCandidates(sourced, settings)),
    conflict('birthDate', valuesOf(records, ['birthDate']), normalizeDate),
    conflict('postcode', postcodes, (raw) => raw.replace(/\s/g, '')),
  ].filter((found): found is FieldConflict => found !== null);
  const checks = Object.values(validity).filter((valid): valid is boolean => valid !== null);
  const validShare = checks.length === 0 ? 1 : checks.filter(Boolean).length / checks.length;
  const base = (completeness + validShare + (stale ? 0 : 1)) / 3;
  const score = Math.max(0, Math.round((base - 0.1 * conflicts.length) * 1000) / 1000);
  return {
    score,
    completeness: Math.round(completeness * 1000) / 1000,
    ...validity,
    // Reported beside the score, not in it (the score's checks are the identifiers').
    birthDateValid: birthDateValidity(records),
    unparseableBirthDates: records.filter((record) => unreadableFields(record.row).includes('birthDate')).length,
    lastUpdatedAt: lastUpdatedMillis === null ? null : new Date(lastUpdatedMillis).toISOString(),
    stale,
    conflicts,
  };
}
