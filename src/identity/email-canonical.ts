/**
 * The canonical form of an email address for linking: the mailbox it delivers to, not the
 * spelling. Per provider, dots and sub-address tags in the local part can be ignored
 * (Gmail: "marie.dupont+shop@gmail.com" is "mariedupont@gmail.com"), a provider's alias
 * domains fold into one (googlemail.com), and frequent domain typos are read as the
 * domain meant (gmial.com, hotmial.fr, orange.fe). Only what a provider documents is
 * folded: elsewhere "marie.dupont" and "mariedupont" are two mailboxes.
 *
 * A lookup finds every stored spelling of a mailbox in one statement: the source compares
 * a loose mailbox key (connectors/sql/email-key.ts: no "+tag", no dots, domain as typed)
 * with one key per spelling of the domain, and only rows whose address is the same
 * mailbox under these rules are kept.
 */
import { normalizeEmail } from './email.js';

/** What one provider's mailboxes ignore. */
export interface EmailProviderRule {
  /** Dots in the local part are not significant. */
  readonly ignoreDots: boolean;
  /** Sub-address separator ("+"): what follows it in the local part is not significant. */
  readonly subaddress: string | null;
  /** Other domains of the same mailboxes, folded into the provider's domain. */
  readonly aliases: ReadonlyArray<string>;
}

export interface EmailRules {
  /** Provider domain → its rule. */
  readonly providers: Readonly<Record<string, EmailProviderRule>>;
  /** Mistyped domain → the domain meant. */
  readonly domainTypos: Readonly<Record<string, string>>;
}

/** Gmail documents dots and "+" tags; Microsoft and Yahoo-free French ISPs document "+" for Outlook only. */
export const DEFAULT_EMAIL_PROVIDERS: Readonly<Record<string, EmailProviderRule>> = {
  'gmail.com': { ignoreDots: true, subaddress: '+', aliases: ['googlemail.com'] },
  'outlook.com': { ignoreDots: false, subaddress: '+', aliases: [] },
  'outlook.fr': { ignoreDots: false, subaddress: '+', aliases: [] },
  'hotmail.com': { ignoreDots: false, subaddress: '+', aliases: [] },
  'hotmail.fr': { ignoreDots: false, subaddress: '+', aliases: [] },
  'live.fr': { ignoreDots: false, subaddress: '+', aliases: [] },
  'icloud.com': { ignoreDots: false, subaddress: '+', aliases: ['me.com', 'mac.com'] },
  'protonmail.com': { ignoreDots: false, subaddress: '+', aliases: ['proton.me', 'pm.me'] },
};

// Frequent French mailbox domains and the typos customers make in them: swapped or
// dropped letters, and ".fe" / ".con" for the key next to "r" / "m".
const FREQUENT_DOMAINS: Readonly<Record<string, ReadonlyArray<string>>> = {
  'gmail.com': ['gmial.com', 'gmal.com', 'gamil.com', 'gmaill.com', 'gmail.co', 'gmail.con', 'gmail.cm', 'gmail.fr', 'gmai.com', 'gnail.com'],
  'hotmail.fr': ['hotmial.fr', 'hotmal.fr', 'homail.fr', 'hotmai.fr', 'hotmail.fe', 'hotmaill.fr', 'hotnail.fr'],
  'hotmail.com': ['hotmial.com', 'hotmal.com', 'homail.com', 'hotmail.con', 'hotmail.co'],
  'orange.fr': ['orange.fe', 'orage.fr', 'ornage.fr', 'orange.fr.fr', 'oranje.fr', 'orang.fr'],
  'wanadoo.fr': ['wanadoo.fe', 'wanado.fr', 'wandoo.fr', 'wannadoo.fr'],
  'free.fr': ['free.fe', 'fre.fr', 'freee.fr'],
  'sfr.fr': ['sfr.fe', 'sfe.fr'],
  'laposte.net': ['lapost.net', 'laposte.ne', 'laposte.nte', 'lapsote.net'],
  'yahoo.fr': ['yahou.fr', 'yaho.fr', 'yahoo.fe', 'yahooo.fr'],
  'yahoo.com': ['yahoo.con', 'yaho.com', 'yahou.com'],
  'outlook.fr': ['outlok.fr', 'outlook.fe', 'outloo.fr'],
  'outlook.com': ['outlok.com', 'outlook.con'],
  'live.fr': ['live.fe', 'liv.fr'],
  'neuf.fr': ['neuf.fe'],
  'bbox.fr': ['bbox.fe'],
};

export const DEFAULT_DOMAIN_TYPOS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FREQUENT_DOMAINS).flatMap(([domain, typos]) => typos.map((typo) => [typo, domain] as const)),
);

export const DEFAULT_EMAIL_RULES: EmailRules = { providers: DEFAULT_EMAIL_PROVIDERS, domainTypos: DEFAULT_DOMAIN_TYPOS };

/** Mistyped and alias domains → the provider domain they stand for. */
export function domainRewrites(rules: EmailRules): ReadonlyMap<string, string> {
  const cached = rewritesOf.get(rules);
  if (cached !== undefined) return cached;
  const rewrites = new Map<string, string>();
  for (const [typo, domain] of Object.entries(rules.domainTypos)) rewrites.set(typo, domain);
  for (const [domain, rule] of Object.entries(rules.providers)) for (const alias of rule.aliases) rewrites.set(alias, domain);
  // A typo of an alias is a typo of the provider.
  for (const [from, to] of rewrites) {
    const further = rewrites.get(to);
    if (further !== undefined) rewrites.set(from, further);
  }
  rewritesOf.set(rules, rewrites);
  return rewrites;
}

const rewritesOf = new WeakMap<EmailRules, ReadonlyMap<string, string>>();

/** The mailbox an address delivers to under `rules`; null when it is not an address. */
export function canonicalEmail(raw: string | null | undefined, rules: EmailRules = DEFAULT_EMAIL_RULES): string | null {
  const email = normalizeEmail(raw);
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  const typed = email.slice(at + 1);
  const domain = domainRewrites(rules).get(typed) ?? typed;
  const rule = rules.providers[domain];
  if (rule !== undefined) {
    if (rule.subaddress !== null) local = local.split(rule.subaddress)[0] ?? '';
    if (rule.ignoreDots) local = local.replace(/\./g, '');
  }
  return local === '' ? null : `${local}@${domain}`;
}

/** The loose key a source compares for an `email` key match (connectors/sql/email-key.ts, in JS). */
export function mailboxKey(local: string, domain: string): string {
  return `${(local.split('+')[0] ?? '').replace(/\./g, '')}@${domain}`;
}

/** Every domain typed for `domain`: itself, its aliases, and the known typos of either. */
export function domainSpellings(domain: string, rules: EmailRules = DEFAULT_EMAIL_RULES): string[] {
  const spellings = new Set([domain]);
  for (const [typed, meant] of domainRewrites(rules)) if (meant === domain) spellings.add(typed);
  return [...spellings].sort();
}

/** The mailbox keys to look a canonical address up by: one per spelling of its domain. */
export function mailboxLookupKeys(canonical: string, rules: EmailRules = DEFAULT_EMAIL_RULES): string[] {
  const at = canonical.lastIndexOf('@');
  const local = canonical.slice(0, at);
  return domainSpellings(canonical.slice(at + 1), rules).map((domain) => mailboxKey(local, domain));
}

/** The exact addresses a canonical address may be stored as, for sources that only compare case-insensitively. */
export function addressSpellings(canonical: string, rules: EmailRules = DEFAULT_EMAIL_RULES): string[] {
  const at = canonical.lastIndexOf('@');
  const local = canonical.slice(0, at);
  return domainSpellings(canonical.slice(at + 1), rules).map((domain) => `${local}@${domain}`);
}
