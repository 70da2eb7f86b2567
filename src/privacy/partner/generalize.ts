/** Generalized attributes a partner may see instead of a birth date and a postcode. */

const AGE_BANDS: ReadonlyArray<readonly [number, string]> = [
  [18, 'under 18'],
  [25, '18-24'],
  [35, '25-34'],
  [45, '35-44'],
  [55, '45-54'],
  [65, '55-64'],
];

/** Every band ageBand can answer, youngest first. */
export const AGE_BAND_VALUES: ReadonlyArray<string> = [...AGE_BANDS.map(([, band]) => band), '65+'];

/** Age band at `asOf`; null for a missing or unreadable birth date. */
export function ageBand(birthDate: string | null | undefined, asOf: Date): string | null {
  if (birthDate === null || birthDate === undefined) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = asOf.getUTCFullYear() - year;
  if (asOf.getUTCMonth() + 1 < month || (asOf.getUTCMonth() + 1 === month && asOf.getUTCDate() < day)) age--;
  if (age < 0 || age > 130) return null;
  for (const [below, band] of AGE_BANDS) if (age < below) return band;
  return '65+';
}

/** The département of a French postcode: 75, 2A/2B for Corsica, 971… overseas; null otherwise. */
export function departementOf(postcode: string | null | undefined): string | null {
  const code = postcode?.replace(/\s/g, '') ?? '';
  if (!/^\d{5}$/.test(code)) return null;
  if (code.startsWith('97') || code.startsWith('98')) return code.slice(0, 3);
  if (code.startsWith('20')) return Number(code.slice(0, 3)) < 202 ? '2A' : '2B';
  return code.slice(0, 2);
}

const REGIONS: Readonly<Record<string, ReadonlyArray<string>>> = {
  'Auvergne-Rhône-Alpes': ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  'Bourgogne-Franche-Comté': ['21', '25', '39', '58', '70', '71', '89', '90'],
  Bretagne: ['22', '29', '35', '56'],
  'Centre-Val de Loire': ['18', '28', '36', '37', '41', '45'],
  Corse: ['2A', '2B'],
  'Grand Est': ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  'Hauts-de-France': ['02', '59', '60', '62', '80'],
  'Île-de-France': ['75', '77', '78', '91', '92', '93', '94', '95'],
  Normandie: ['14', '27', '50', '61', '76'],
  'Nouvelle-Aquitaine': ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  Occitanie: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  'Pays de la Loire': ['44', '49', '53', '72', '85'],
  "Provence-Alpes-Côte d'Azur": ['04', '05', '06', '13', '83', '84'],
  Guadeloupe: ['971'],
  Martinique: ['972'],
  Guyane: ['973'],
  'La Réunion': ['974'],
  Mayotte: ['976'],
};

const REGION_OF_DEPARTEMENT: ReadonlyMap<string, string> = new Map(
  Object.entries(REGIONS).flatMap(([region, departements]) => departements.map((departement) => [departement, region] as const)),
);

export const REGION_NAMES: ReadonlyArray<string> = Object.keys(REGIONS);
/** The départements regions are made of (metropolitan, Corsica, overseas). */
export const DEPARTEMENTS: ReadonlyArray<string> = Object.values(REGIONS).flat();

export function regionOf(departement: string | null): string | null {
  return departement === null ? null : (REGION_OF_DEPARTEMENT.get(departement) ?? null);
}
