/**
 * FEBRL person records (Christen, ANU; /work/shared/data/febrl) loaded into real tables:
 * dataset4a into PostgreSQL, dataset4b into MariaDB, dataset3 into PostgreSQL, with the
 * c360 mapping of each onto the canonical contact / shopCustomer. Bench code only.
 */
import { readFileSync } from 'node:fs';
import type { Scalar } from '../connectors/contract.js';
import { openSqlAdmin, type SqlKind } from '../connectors/admin.js';

export interface FebrlRecord {
  readonly id: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly street: string | null;
  readonly postcode: string | null;
  readonly suburb: string | null;
  /** ISO date, or null when absent or not a calendar date (FEBRL injects such typos). */
  readonly birthDate: string | null;
  /** FEBRL's soc_sec_id: a personal number, corrupted in some duplicates like any field. */
  readonly socSecId: string | null;
}

function blank(value: string | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

function isoDate(raw: string | null): string | null {
  if (raw === null || !/^\d{8}$/.test(raw)) return null;
  const iso = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

/** Fields are separated by ", " and the header names them (see /work/shared/data/README.md). */
export function readFebrl(path: string): FebrlRecord[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',').map((name) => name.trim());
  const at = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const cell = (name: string) => blank(cells[at(name)]);
    const street = [cell('street_number'), cell('address_1')].filter((part) => part !== null).join(' ');
    return {
      id: cell('rec_id')!,
      givenName: cell('given_name'),
      surname: cell('surname'),
      street: street === '' ? null : street,
      postcode: cell('postcode'),
      suburb: cell('suburb'),
      birthDate: isoDate(cell('date_of_birth')),
      socSecId: cell('soc_sec_id'),
    };
  });
}

const COLUMNS = ['rec_id', 'given_name', 'surname', 'street', 'postcode', 'suburb', 'date_of_birth', 'soc_sec_id'];

/** One table with proper DATE and indexed blocking columns, as an operator's CRM or shop would have. */
export async function loadFebrlTable(kind: SqlKind, url: string, table: string, records: ReadonlyArray<FebrlRecord>): Promise<void> {
  const admin = await openSqlAdmin(kind, url);
  try {
    await admin.exec(
      `CREATE TABLE ${table} (rec_id VARCHAR(40) PRIMARY KEY, given_name VARCHAR(80), surname VARCHAR(80), street VARCHAR(160), postcode VARCHAR(10), suburb VARCHAR(80), date_of_birth DATE, soc_sec_id VARCHAR(20))`,
    );
    await admin.exec(`CREATE INDEX ${table}_dob ON ${table} (date_of_birth)`);
    await admin.exec(`CREATE INDEX ${table}_postcode ON ${table} (postcode)`);
    await admin.exec(`CREATE INDEX ${table}_ssn ON ${table} (soc_sec_id)`);
    // The lastName blocking load compares LOWER(TRIM(surname)): PostgreSQL indexes that expression.
    if (kind === 'postgres') await admin.exec(`CREATE INDEX ${table}_surname ON ${table} (LOWER(TRIM(surname)))`);
    else await admin.exec(`CREATE INDEX ${table}_surname ON ${table} (surname)`);
    const rows: Scalar[][] = records.map((r) => [r.id, r.givenName, r.surname, r.street, r.postcode, r.suburb, r.birthDate, r.socSecId]);
    await admin.insert(table, COLUMNS, rows);
  } finally {
    await admin.close();
  }
}

/** The mapping of a FEBRL table onto a canonical person entity. */
export function febrlEntity(source: string, table: string, entity: 'contact' | 'shopCustomer'): Record<string, unknown> {
  return {
    source,
    table,
    fields: {
      id: 'rec_id',
      firstName: 'given_name',
      lastName: 'surname',
      street: 'street',
      postcode: 'postcode',
      city: 'suburb',
      birthDate: 'date_of_birth',
      // A personal number (social security): the canonical nationalId.
      nationalId: 'soc_sec_id',
      ...(entity === 'contact' ? { kind: { const: 'PERSON' } } : {}),
    },
  };
}

/** "rec-123-dup-0" -> "123": records of one entity share it. */
export function entityOf(recordId: string): string {
  const match = /^rec-(\d+)-/.exec(recordId);
  if (match === null) throw new Error(`not a FEBRL record id: ${recordId}`);
  return match[1]!;
}

export interface LinkQuality {
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Precision, recall and F1 of predicted pairs ("a|b", unordered) against true pairs. */
export function scoreLinks(predicted: ReadonlySet<string>, truth: ReadonlySet<string>): LinkQuality {
  let truePositives = 0;
  for (const pair of predicted) if (truth.has(pair)) truePositives += 1;
  const precision = predicted.size === 0 ? 1 : truePositives / predicted.size;
  const recall = truth.size === 0 ? 1 : truePositives / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs: truth.size, predictedPairs: predicted.size, truePositives, precision, recall, f1 };
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export function percentile(sortedMillis: ReadonlyArray<number>, p: number): number {
  if (sortedMillis.length === 0) return 0;
  const index = Math.min(sortedMillis.length - 1, Math.ceil((p / 100) * sortedMillis.length) - 1);
  return sortedMillis[Math.max(0, index)]!;
}
