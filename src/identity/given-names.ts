/**
 * When two given names can be one person's: a typo ("Véronqiue"), a nickname ("Manu" for
 * Emmanuel), initials of a compound name ("JP", "J.-P." for Jean-Pierre) or the compound
 * written short ("Jean-Pierre" / "Jean Pierre" / "Jeanpierre"). And when they cannot:
 * another name (Laurent / Véronique), or the other sex's form of one name (Jean /
 * Jeanne, Louis / Louise, Frédéric / Frédérique), or two names in common use one letter
 * apart (Tom / Tim, Marie / Mario), which is how twins and siblings look.
 */
import { KNOWN_GIVEN_NAMES, SPELLINGS } from './known-given-names.js';
import { normalizePersonName } from './names.js';
import { jaroWinkler, typingDistance } from './similarity.js';

/** Folded known given name → the name it is a spelling of (itself unless listed in SPELLINGS). */
const KNOWN_NAME: ReadonlyMap<string, string> = new Map([
  ...KNOWN_GIVEN_NAMES.map((name) => [name, name] as const),
  ...SPELLINGS.flatMap((group) => group.map((spelling) => [spelling, group[0]!] as const)),
]);

/**
 * Both are given names in common use and not spellings of one name (Tom / Tim, Anna /
 * Anne, Marie / Mario, Christine / Christian): two people's names, however few letters
 * apart. Symmetric. Folded names (see normalizePersonName), one token each.
 */
export function distinctKnownNames(a: string, b: string): boolean {
  const x = KNOWN_NAME.get(a);
  const y = KNOWN_NAME.get(b);
  return x !== undefined && y !== undefined && x !== y;
}

/** Folded nickname → the folded given names it stands for (French usage). */
const NICKNAMES: Readonly<Record<string, ReadonlyArray<string>>> = {
  manu: ['emmanuel', 'emmanuelle'],
  seb: ['sebastien'],
  nico: ['nicolas'],
  fred: ['frederic', 'frederique'],
  steph: ['stephane', 'stephanie'],
  isa: ['isabelle'],
  babeth: ['elisabeth', 'elizabeth'],
  zabeth: ['elisabeth'],
  cath: ['catherine'],
  cathy: ['catherine'],
  domi: ['dominique'],
  flo: ['florence', 'florian', 'florent'],
  chris: ['christophe', 'christine', 'christian'],
  max: ['maxime', 'maximilien'],
  greg: ['gregory', 'gregoire'],
  ben: ['benjamin', 'benoit'],
  tom: ['thomas'],
  alex: ['alexandre', 'alexandra', 'alexis'],
  phil: ['philippe'],
  pat: ['patrick', 'patricia'],
  val: ['valerie', 'valentin', 'valentine'],
  vero: ['veronique'],
  mimi: ['michele', 'emilie'],
  jeannot: ['jean'],
  lolo: ['laurent', 'laurence'],
  bea: ['beatrice'],
  caro: ['caroline'],
  sandy: ['sandrine'],
  nath: ['nathalie'],
  guigui: ['guillaume'],
  gui: ['guillaume'],
  juju: ['julien', 'julie'],
  matt: ['matthieu', 'mathieu'],
  titi: ['thierry'],
  dany: ['daniel', 'danielle'],
  mathi: ['mathilde'],
  vince: ['vincent'],
  jo: ['joseph', 'josephine', 'jonathan'],
  momo: ['mohamed', 'maurice'],
  toto: ['thomas', 'antoine'],
  tony: ['antoine', 'anthony'],
  charly: ['charles'],
  jacquot: ['jacques'],
  pierrot: ['pierre'],
  dede: ['andre'],
  riri: ['henri'],
};

/**
 * One name typed with a slip or two: one edit (a letter wrong, missing, added, or two
 * swapped: "pia" / "pai", "jade" / "jare") in names of three letters or more, two in
 * names of seven or more ("eisele" / "eiseaqe"). Jaro–Winkler alone misses these on short
 * names, where one letter moves the score most. Another name is usually more than that
 * apart (Lucas / Léa, Hugo / Théo); when it is not (Tom / Tim, Anna / Anne: two names in
 * common use, {@link distinctKnownNames}) it is another name, not a slip. The other sex's
 * form of a name (Louis / Louise) is one edit and is ruled out before this is asked.
 */
export function typoApart(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 3 || distinctKnownNames(a, b)) return false;
  return typingDistance(a, b) <= (shorter >= 7 ? 2 : 1);
}

/** The lower Jaro–Winkler cut-off of the person model: a typo still agrees, another name does not. */
export const GIVEN_NAME_AGREEMENT = 0.88;

// French feminine endings added to a masculine name.
const FEMININE_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['', 'e'],
  ['', 'ne'],
  ['', 'le'],
  ['', 'tte'],
  ['', 'ette'],
  ['', 'ine'],
  ['c', 'que'],
  ['o', 'a'],
  ['ien', 'ienne'],
  ['', 'la'],
  ['ie', 'ien'],
];

/** One of the two is the other sex's form of the same name (Jean / Jeanne, Frédéric / Frédérique). */
export function otherSexForm(a: string, b: string): boolean {
  if (a === b) return false;
  // Both ways round when the lengths are equal: Lino / Lina as Lina / Lino (o → a).
  const feminineOf = (short: string, long: string) =>
    FEMININE_SUFFIXES.some(([drop, add]) => short.endsWith(drop) && `${short.slice(0, short.length - drop.length)}${add}` === long);
  return (a.length <= b.length && feminineOf(a, b)) || (b.length <= a.length && feminineOf(b, a));
}

function tokensOf(name: string): string[] {
  return name.split(' ').filter((token) => token !== '');
}

/** "jp", "j p" or "j.-p." (folded to "j p"): the initials of a compound, or null. */
function initialsOf(tokens: ReadonlyArray<string>): string | null {
  if (tokens.length >= 2 && tokens.every((token) => token.length === 1)) return tokens.join('');
  const only = tokens[0];
  if (tokens.length === 1 && only !== undefined && only.length >= 2 && only.length <= 3 && !/[aeiouy]/.test(only)) return only;
  return null;
}

function nicknameOf(a: string, b: string): boolean {
  return (NICKNAMES[a]?.includes(b) ?? false) || (NICKNAMES[b]?.includes(a) ?? false);
}

/**
 * Two folded given names can be one person's. Unknown (either null) counts as compatible:
 * no evidence either way.
 */
export function givenNamesCompatible(rawA: string | null | undefined, rawB: string | null | undefined): boolean {
  const a = normalizePersonName(rawA ?? null);
  const b = normalizePersonName(rawB ?? null);
  if (a === null || b === null) return true;
  if (a === b) return true;
  const glued = [a.replace(/ /g, ''), b.replace(/ /g, '')] as const;
  if (glued[0] === glued[1]) return true;
  const [ta, tb] = [tokensOf(a), tokensOf(b)];
  if (otherSexForm(glued[0], glued[1]) || (ta.length === 1 && tb.length === 1 && otherSexForm(a, b))) return false;
  if (nicknameOf(glued[0], glued[1])) return true;
  const initialsA = initialsOf(ta);
  const initialsB = initialsOf(tb);
  if (initialsA !== null && tb.length >= 2 && initialsA === tb.map((token) => token[0]).join('')) return true;
  if (initialsB !== null && ta.length >= 2 && initialsB === ta.map((token) => token[0]).join('')) return true;
  // A compound written as its first part ("Jean-Pierre" / "Jean"): compatible; birth dates decide.
  if ((ta.length >= 2 && tb.length === 1 && ta[0] === tb[0]) || (tb.length >= 2 && ta.length === 1 && tb[0] === ta[0])) return true;
  // Spellings of one name (Rémi / Rémy); two names in common use, whole or part by part
  // (Christine / Christian, Jean-Pierre / Jean-Paul), are two names however close.
  const [knownA, knownB] = [KNOWN_NAME.get(glued[0]), KNOWN_NAME.get(glued[1])];
  if (knownA !== undefined && knownA === knownB) return true;
  if (distinctKnownNames(glued[0], glued[1]) || (ta.length === tb.length && ta.some((token, i) => distinctKnownNames(token, tb[i]!)))) return false;
  return jaroWinkler(a, b) >= GIVEN_NAME_AGREEMENT || jaroWinkler(glued[0], glued[1]) >= GIVEN_NAME_AGREEMENT || typoApart(glued[0], glued[1]);
}
