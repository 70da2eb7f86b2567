/**
 * "The same letters" for prefix search: lower case, accents removed, ligatures spelled out,
 * punctuation kept (so `d'Arcy` and `Jean-Pierre` keep their apostrophe and hyphen). The
 * gateway folds the searched value with `foldForPrefix`; each dialect folds the column
 * the same way in SQL (connectors/sql/dialect.ts), and the residual test uses the same function.
 */

const LIGATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/œ/g, 'oe'],
  [/æ/g, 'ae'],
  [/ß/g, 'ss'],
];

export function foldForPrefix(raw: string): string {
  let folded = raw.trim().toLowerCase();
  for (const [pattern, replacement] of LIGATURES) folded = folded.replace(pattern, replacement);
  return folded.normalize('NFD').replace(/\p{M}/gu, '');
}

/** Accented letters (both cases) and the plain lower-case letter each folds to, one for one. */
export const ACCENTED = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ';
export const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy';

/**
 * `value` escaped for LIKE with `escape` ('!' unless told), then `%`: `50%_off` matches
 * itself, not "50" + anything.
 */
export function likePrefix(value: string, escape = '!'): string {
  const special = new Set([escape, '%', '_']);
  return `${[...value].map((character) => (special.has(character) ? `${escape}${character}` : character)).join('')}%`;
}
