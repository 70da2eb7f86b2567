/**
 * Dates of birth stored as text, read per the format the mapping declares
 * (`birthDate: { column: dob, format: DD/MM/YYYY }`): a CRM export keeps "04/03/1985",
 * an old shop "19850304". A value that is not a calendar date in that format reads as null,
 * and `c360 check` counts such values (src/cli/check.ts).
 */

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'DD-MM-YYYY', 'DD.MM.YYYY', 'MM/DD/YYYY', 'YYYYMMDD', 'DDMMYYYY', 'YYYY/MM/DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const PATTERNS: Readonly<Record<DateFormat, { readonly pattern: RegExp; readonly order: readonly ['y' | 'm' | 'd', 'y' | 'm' | 'd', 'y' | 'm' | 'd'] }>> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/, order: ['y', 'm', 'd'] },
  'YYYY/MM/DD': { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: ['y', 'm', 'd'] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['d', 'm', 'y'] },
  'DD-MM-YYYY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: ['d', 'm', 'y'] },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: ['d', 'm', 'y'] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['m', 'd', 'y'] },
  YYYYMMDD: { pattern: /^(\d{4})(\d{2})(\d{2})$/, order: ['y', 'm', 'd'] },
  DDMMYYYY: { pattern: /^(\d{2})(\d{2})(\d{4})$/, order: ['d', 'm', 'y'] },
};

/** The ISO date ("1985-03-04") of `text` read in `format`; null when it is not a calendar date in it. */
export function parseDateInFormat(text: string, format: DateFormat): string | null {
  const spec = PATTERNS[format];
  const match = spec.pattern.exec(text.trim());
  if (match === null) return null;
  const parts: Record<'y' | 'm' | 'd', number> = { y: 0, m: 0, d: 0 };
  spec.order.forEach((part, i) => {
    parts[part] = Number(match[i + 1]);
  });
  const { y, m, d } = parts;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An ISO date written in `format`, as the column stores it (lookup keys on a text date column). */
export function formatIsoDate(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  switch (format) {
    case 'YYYY-MM-DD':
      return iso;
    case 'YYYY/MM/DD':
      return `${y}/${m}/${d}`;
    case 'DD/MM/YYYY':
      return `${d}/${m}/${y}`;
    case 'DD-MM-YYYY':
      return `${d}-${m}-${y}`;
    case 'DD.MM.YYYY':
      return `${d}.${m}.${y}`;
    case 'MM/DD/YYYY':
      return `${m}/${d}/${y}`;
    case 'YYYYMMDD':
      return `${y}${m}${d}`;
    case 'DDMMYYYY':
      return `${d}${m}${y}`;
  }
}

/** Keys of an exact load on a text date field, written the way the column stores dates. */
export function storedDateKeys<T>(
  mapping: { readonly kind: string; readonly format?: DateFormat; readonly type?: string },
  keys: ReadonlyArray<T>,
): ReadonlyArray<T | string> {
  if (mapping.kind !== 'column' || mapping.format === undefined || mapping.type !== 'date') return keys;
  const format = mapping.format;
  return keys.map((key) => (typeof key === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key) ? formatIsoDate(key, format) : key));
}
