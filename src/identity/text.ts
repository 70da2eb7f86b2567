// Shared folding for the name and address normalizers: one definition of "the same
// letters", so a name and a street compare under the same rules.

// NFD splits é into e + combining accent, but ligatures and ß are single letters
// with no decomposition, so they are spelled out first.
const LIGATURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/œ/g, 'oe'],
  [/æ/g, 'ae'],
  [/ß/g, 'ss'],
  [/ø/g, 'o'],
  [/ł/g, 'l'],
];

/** Lower-cased, accents removed, every run of non-letters/digits turned into one space. */
export function foldText(raw: string): string {
  let s = raw.toLowerCase();
  for (const [pattern, replacement] of LIGATURES) s = s.replace(pattern, replacement);
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** `foldText` split into tokens; [] for blank input. */
export function foldTokens(raw: string): string[] {
  const folded = foldText(raw);
  return folded === '' ? [] : folded.split(' ');
}
