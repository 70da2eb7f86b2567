/**
 * Jaro–Winkler similarity in [0, 1] as Winkler (1990) defines it: Jaro similarity with
 * a match window of ⌊max(|a|,|b|)/2⌋−1, then a bonus for a common prefix of up to 4
 * characters scaled by 0.1. Compare normalized strings: this is case- and
 * accent-sensitive by design.
 */
export function jaroWinkler(a: string, b: string): number {
  const jaro = jaroSimilarity(a, b);
  let prefix = 0;
  const maxPrefix = Math.min(4, a.length, b.length);
  while (prefix < maxPrefix && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Jaro similarity in [0, 1]; 1 for two empty strings, 0 when only one is empty. */
export function jaroSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);

  let matches = 0;
  for (let i = 0; i < a.length; i += 1) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j += 1) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  // Matched characters taken in order from each side; a transposition is a position
  // where they differ, and Jaro counts half of those.
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j += 1;
    if (a[i] !== b[j]) outOfOrder += 1;
    j += 1;
  }
  const transpositions = outOfOrder / 2;
  return (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
}

/** Edit distance with unit-cost insertion, deletion and substitution (UTF-16 units). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Two rows suffice: each cell depends only on the row above and the cell to its left.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/**
 * Edit distance counting an adjacent transposition as one edit ("pia" / "pai": 1), the
 * optimal-string-alignment form of Damerau–Levenshtein: the keyboard slips typing makes.
 */
export function typingDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows of the (a.length + 1) × (b.length + 1) table: the one two back serves the transposition.
  const width = b.length + 1;
  let twoBack = new Int32Array(width);
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let j = 0; j < width; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1);
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
}

/**
 * Two identifiers (a social security number, a customer number), normalized, that are one
 * typing slip apart: one character wrong, or two adjacent characters swapped ("8529720" /
 * "8520720", "2211171" / "2211117"). Numbers issued in sequence are not slips: twins
 * registered one after the other get neighbouring numbers, a few units apart, so a
 * difference that could be the next number issued (less than 10 for a number; the last
 * character alone otherwise) does not count. A French NIR with its key never reaches
 * here for two real numbers: its mod-97 key makes any slip an invalid number, and two
 * consecutive NIRs differ in their order number and their key. Identifiers shorter than
 * six characters are too often another code one slip away: never a slip.
 */
export function identifierSlip(a: string, b: string): boolean {
  if (a === b || a.length !== b.length || a.length < 6) return false;
  const differing: number[] = [];
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) {
      differing.push(i);
      if (differing.length > 2) return false;
    }
  }
  const [first, second] = differing as [number, number | undefined];
  const swapped = second === first + 1 && a[first] === b[second] && a[second] === b[first];
  if (second !== undefined && !swapped) return false;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const gap = BigInt(a) - BigInt(b);
    return (gap < 0n ? -gap : gap) >= 10n;
  }
  return (second ?? first) < a.length - 1;
}

/** How two dates agree, from strongest to weakest. */
export type DateAgreement = 'exact' | 'transposedDayMonth' | 'oneDigitOff' | 'different';

/**
 * An ISO date 'YYYY-MM-DD' from 'YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'DD-MM-YYYY' or
 * 'DD.MM.YYYY' (French order: sources here never write month first), when it is a real
 * calendar date; null otherwise.
 */
export function normalizeDate(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const known = DATE_MEMO.get(raw);
  if (known !== undefined) return known;
  const normalized = normalizeDateUncached(raw);
  if (DATE_MEMO.size >= 10_000) DATE_MEMO.clear();
  DATE_MEMO.set(raw, normalized);
  return normalized;
}

/** Scoring a block reads the same dates many times: results by raw value (a pure function). */
const DATE_MEMO = new Map<string, string | null>();

function normalizeDateUncached(raw: string): string | null {
  const s = raw.trim();
  const iso = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$/.exec(s);
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : [undefined, undefined, undefined];
  if (year === undefined || month === undefined || day === undefined) return null;
  const candidate = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isCalendarDate(candidate) ? candidate : null;
}

function isCalendarDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
}

/**
 * Agreement of two dates (any format {@link normalizeDate} reads): 'exact';
 * 'transposedDayMonth' when day and month are swapped (a US-ordered entry, 03/04 vs
 * 04/03); 'oneDigitOff' when exactly one digit of YYYYMMDD differs (a typo);
 * 'different' otherwise, or when either is not a date.
 */
export function compareDates(a: string, b: string): DateAgreement {
  const x = normalizeDate(a);
  const y = normalizeDate(b);
  if (x === null || y === null) return 'different';
  if (x === y) return 'exact';
  const [xYear, xMonth, xDay] = x.split('-');
  const [yYear, yMonth, yDay] = y.split('-');
  if (xYear === yYear && xMonth === yDay && xDay === yMonth) return 'transposedDayMonth';
  const xDigits = x.replace(/-/g, '');
  const yDigits = y.replace(/-/g, '');
  let differing = 0;
  for (let i = 0; i < xDigits.length; i += 1) if (xDigits[i] !== yDigits[i]) differing += 1;
  return differing === 1 ? 'oneDigitOff' : 'different';
}
