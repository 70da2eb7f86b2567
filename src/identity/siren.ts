// SIREN (9 digits) identifies a French company, SIRET (14 = SIREN + 5-digit NIC) one
// of its establishments. Both carry a Luhn check digit, except La Poste's establishments
// (SIREN 356000000): INSEE ran out of Luhn-valid NICs for its ~17,000 offices, so their
// SIRETs only satisfy "sum of digits is a multiple of 5".
const LA_POSTE_SIREN = '356000000';

/** Digits with spaces and dots removed, when exactly 14 remain; otherwise null. */
export function normalizeSiret(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const compact = raw.replace(/[\s.\u00a0-]/g, '');
  return /^\d{14}$/.test(compact) ? compact : null;
}

/** The 9-digit SIREN that prefixes a SIRET. */
export function sirenOfSiret(siret: string): string {
  return siret.replace(/[\s.\u00a0-]/g, '').slice(0, 9);
}

/** 9 digits (spaces allowed) passing the Luhn check. */
export function isValidSiren(s: string): boolean {
  const digits = s.replace(/\s/g, '');
  return /^\d{9}$/.test(digits) && luhnValid(digits);
}

/** 14 digits (spaces allowed) passing Luhn, or La Poste's digit-sum-multiple-of-5 rule. */
export function isValidSiret(s: string): boolean {
  const digits = s.replace(/\s/g, '');
  if (!/^\d{14}$/.test(digits)) return false;
  if (luhnValid(digits)) return true;
  return digits.startsWith(LA_POSTE_SIREN) && digitSum(digits) % 5 === 0;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Double every second digit counting from the right-most (the check digit).
    const fromRight = digits.length - 1 - i;
    let d = Number(digits[i]);
    if (fromRight % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (const c of digits) sum += Number(c);
  return sum;
}
