/**
 * When two given names can be one person's: a typo ("Véronqiue"), a nickname ("Manu" for
 * Emmanuel), initials of a compound name ("JP", "J.-P." for Jean-Pierre) or the compound
 * written short ("Jean-Pierre" / "Jean Pierre" / "Jeanpierre"). And when they cannot:
 * another name (Laurent / Véronique), or the other sex's form of one name (Jean /
 * Jeanne, Louis / Louise, Frédéric / Frédérique), which is how twins and siblings look.
 */
import { normalizePersonName } from './names.js';
import { jaroWinkler, typingDistance } from './similarity.js';

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
 * names, where one letter moves the score most. Another name is more than that apart
 * (Lucas / Léa, Hugo / Théo); the other sex's form of a name (Louis / Louise) is one edit
 * and is ruled out before this is asked.
 */
export function typoApart(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 3) return false;
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
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return FEMININE_SUFFIXES.some(([drop, add]) => short.endsWith(drop) && `${short.slice(0, short.length - drop.length)}${add}` === long);
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
  return jaroWinkler(a, b) >= GIVEN_NAME_AGREEMENT || jaroWinkler(glued[0], glued[1]) >= GIVEN_NAME_AGREEMENT || typoApart(glued[0], glued[1]);
}
