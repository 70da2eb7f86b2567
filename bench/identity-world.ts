/**
 * A generated French identity data set with its truth: one CRM table and one shop table
 * holding the mess French customer data really has, each record labelled with the person
 * it belongs to and the class of case it illustrates. Pairs of one person must link
 * ("every real variant"); pairs of different people must not ("no false merge"). Seeded:
 * the same seed gives the same records everywhere. Used by
 * tests/operations/identity-households.test.ts and `c360 identity evaluate` examples.
 */
import type { Scalar } from '../connectors/contract.js';
import { createRandom, type Random } from '../src/demo/random.js';
import { CITIES, FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, STREET_NAMES } from '../src/demo/data/french-people.js';

/** Kinds of one-person pairs: what differs between the person's CRM and shop records. */
export const SAME_PERSON_CLASSES = [
  'exactEmail',
  'gmailDots',
  'plusTag',
  'domainTypo',
  'phoneFormat',
  'nickname',
  'compoundName',
  'maidenName',
  'mover',
  'noSharedIdentifier',
] as const;
/** Kinds of two-people pairs that share something and must stay apart. */
export const DIFFERENT_PEOPLE_CLASSES = [
  'householdEmail',
  'householdLandline',
  'parentChild',
  'twins',
  'namesakes',
  'namesakesNoBirthDate',
  'generations',
] as const;
export type SamePersonClass = (typeof SAME_PERSON_CLASSES)[number];
export type DifferentPeopleClass = (typeof DIFFERENT_PEOPLE_CLASSES)[number];

export interface WorldRecord {
  readonly entity: 'contact' | 'shopCustomer';
  readonly id: string;
  /** The real person. */
  readonly person: number;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly birthName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly mobile: string | null;
  readonly street: string | null;
  readonly postcode: string | null;
  readonly city: string | null;
  readonly birthDate: string | null;
}

export interface LabelledPair {
  readonly a: string;
  readonly b: string;
  readonly label: SamePersonClass | DifferentPeopleClass;
  readonly same: boolean;
}

export interface IdentityWorld {
  readonly records: ReadonlyArray<WorldRecord>;
  /** Every cross- or same-source pair the classes define ("contact:1" / "shopCustomer:4"). */
  readonly pairs: ReadonlyArray<LabelledPair>;
}

interface Person {
  readonly id: number;
  readonly female: boolean;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string;
  readonly number: number;
  readonly streetName: string;
  readonly postcode: string;
  readonly city: string;
  readonly landlineArea: string;
}

const NICKNAMES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['Emmanuel', 'Manu', false],
  ['Sébastien', 'Seb', false],
  ['Nicolas', 'Nico', false],
  ['Frédéric', 'Fred', false],
  ['Stéphanie', 'Steph', true],
  ['Isabelle', 'Isa', true],
  ['Catherine', 'Cathy', true],
  ['Christophe', 'Chris', false],
  ['Véronique', 'Véro', true],
  ['Alexandre', 'Alex', false],
];
const COMPOUNDS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['Jean-Pierre', 'JP', false],
  ['Jean-Michel', 'J.-M.', false],
  ['Marie-Claire', 'Marie Claire', true],
  ['Jean-Claude', 'Jean Claude', false],
  ['Anne-Sophie', 'Annesophie', true],
  ['Pierre-Alain', 'P-A', false],
  ['Marie-Hélène', 'Marie-Helene', true],
];
const TWIN_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Lucas', 'Léa'],
  ['Louis', 'Louise'],
  ['Jean', 'Jeanne'],
  ['Hugo', 'Théo'],
  ['Emma', 'Chloé'],
  ['Daniel', 'Danielle'],
  ['Simon', 'Simone'],
  // Real names one letter apart: no typo rule may join these.
  ['Tom', 'Tim'],
  ['Anna', 'Anne'],
  ['Marie', 'Mario'],
  ['Christine', 'Christian'],
  ['Léo', 'Léon'],
];
const TYPO_DOMAINS: ReadonlyArray<readonly [string, string]> = [
  ['gmail.com', 'gmial.com'],
  ['hotmail.fr', 'hotmial.fr'],
  ['orange.fr', 'orange.fe'],
  ['wanadoo.fr', 'wanadoo.fe'],
  ['laposte.net', 'lapost.net'],
  ['yahoo.fr', 'yahou.fr'],
];
const ISP_DOMAINS = ['orange.fr', 'free.fr', 'sfr.fr', 'laposte.net', 'wanadoo.fr', 'hotmail.fr'];

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

function isoDate(random: Random, fromYear: number, toYear: number): string {
  const year = random.int(fromYear, toYear);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Ten national digits, never a filler (no run of zeros). */
function nationalNumber(random: Random, prefix: string): string {
  let digits = prefix;
  while (digits.length < 10) digits += String(random.int(1, 9));
  return digits;
}

function spaced(national: string): string {
  return national.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** The same French number as people type it. */
function phoneFormats(national: string): string[] {
  const rest = national.slice(1);
  return [
    spaced(national),
    `+33 (0)${rest[0]} ${spaced(rest.slice(1))}`,
    `0033 ${rest[0]} ${spaced(rest.slice(1))}`,
    national.replace(/(\d{2})(?=\d)/g, '$1.'),
    `+33${rest}`,
    national.replace(/(\d{2})(?=\d)/g, '$1-'),
    `+33 ${rest[0]} ${spaced(rest.slice(1))}`,
  ];
}

/** The data set for `seed`, with `perClass` people (or pairs of people) per class. */
export function generateIdentityWorld(seed = 16, perClass = 12): IdentityWorld {
  const random = createRandom(seed, 'identity-world');
  const records: WorldRecord[] = [];
  const pairs: LabelledPair[] = [];
  let nextPerson = 0;
  const nextId = { contact: 1, shopCustomer: 1 };
  const usedSurnames = new Set<string>();
  const usedMobiles = new Set<string>();

  const surname = (): string => {
    // Each case gets its own family, so two cases never collide by accident.
    for (;;) {
      const base = random.pick(LAST_NAMES);
      const name = usedSurnames.has(base) ? `${base}-${random.pick(LAST_NAMES)}` : base;
      if (!usedSurnames.has(name)) {
        usedSurnames.add(name);
        return name;
      }
    }
  };
  const mobile = (): string => {
    for (;;) {
      const number = nationalNumber(random, random.pick(['06', '07']));
      if (!usedMobiles.has(number)) {
        usedMobiles.add(number);
        return number;
      }
    }
  };
  const person = (overrides: Partial<Person> = {}): Person => {
    const female = overrides.female ?? random.chance(0.5);
    const city = random.pick(CITIES);
    return {
      id: nextPerson++,
      female,
      firstName: random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES),
      lastName: surname(),
      birthDate: isoDate(random, 1940, 2002),
      number: random.int(1, 180),
      streetName: `${random.pick(['rue', 'avenue', 'boulevard', 'place'])} ${random.pick(STREET_NAMES)}`,
      postcode: random.pick(city.postcodes),
      city: city.name,
      landlineArea: city.landline,
      ...overrides,
    };
  };
  const record = (entity: WorldRecord['entity'], who: Person, fields: Partial<Omit<WorldRecord, 'entity' | 'id' | 'person'>> = {}): string => {
    const id = String(nextId[entity]++);
    records.push({
      entity,
      id,
      person: who.id,
      firstName: who.firstName,
      lastName: who.lastName,
      birthName: null,
      email: null,
      phone: null,
      mobile: null,
      street: `${who.number} ${who.streetName}`,
      postcode: who.postcode,
      city: who.city,
      birthDate: who.birthDate,
      ...fields,
    });
    return `${entity}:${id}`;
  };
  const emailOf = (who: Person, domain = random.pick(ISP_DOMAINS)): string => `${ascii(who.firstName)}.${ascii(who.lastName)}${random.int(1, 99)}@${domain}`;
  const samePair = (label: SamePersonClass, a: string, b: string) => pairs.push({ a, b, label, same: true });
  const apart = (label: DifferentPeopleClass, a: string, b: string) => pairs.push({ a, b, label, same: false });

  for (let i = 0; i < perClass; i += 1) {
    // --- one person, two records -----------------------------------------------------
    {
      const p = person();
      const email = emailOf(p);
      samePair('exactEmail', record('contact', p, { email, mobile: spaced(mobile()) }), record('shopCustomer', p, { email: email.toUpperCase() }));
    }
    {
      const p = person();
      const local = `${ascii(p.firstName)}.${ascii(p.lastName)}${i}`;
      samePair(
        'gmailDots',
        record('contact', p, { email: `${local}@gmail.com` }),
        record('shopCustomer', p, { email: `${local.replace(/\./g, '')}@gmail.com`, birthDate: null }),
      );
    }
    {
      const p = person();
      const local = `${ascii(p.firstName)}.${ascii(p.lastName)}${i}`;
      samePair(
        'plusTag',
        record('contact', p, { email: `${local}@gmail.com` }),
        record('shopCustomer', p, { email: `${local}+${random.pick(['boutique', 'promo', 'shop'])}@googlemail.com` }),
      );
    }
    {
      const p = person();
      const [domain, typo] = TYPO_DOMAINS[i % TYPO_DOMAINS.length]!;
      const local = `${ascii(p.firstName)}${ascii(p.lastName)}${i}`;
      samePair('domainTypo', record('contact', p, { email: `${local}@${domain}` }), record('shopCustomer', p, { email: `${local}@${typo}` }));
    }
    {
      const p = person();
      const formats = phoneFormats(mobile());
      samePair(
        'phoneFormat',
        record('contact', p, { mobile: formats[i % formats.length]! }),
        record('shopCustomer', p, { phone: formats[(i + 1) % formats.length]! }),
      );
    }
    {
      const [full, nick, female] = NICKNAMES[i % NICKNAMES.length]!;
      const p = person({ firstName: full, female });
      const email = emailOf(p);
      samePair('nickname', record('contact', p, { email }), record('shopCustomer', p, { email, firstName: nick }));
    }
    {
      const [full, short, female] = COMPOUNDS[i % COMPOUNDS.length]!;
      const p = person({ firstName: full, female });
      const number = spaced(mobile());
      samePair('compoundName', record('contact', p, { mobile: number }), record('shopCustomer', p, { phone: number, firstName: short }));
    }
    {
      const p = person({ female: true });
      const married = surname();
      const email = emailOf(p);
      samePair('maidenName', record('contact', p, { email, lastName: married, birthName: p.lastName }), record('shopCustomer', p, { email }));
    }
    {
      const p = person();
      const email = emailOf(p);
      const elsewhere = random.pick(CITIES.filter((city) => city.name !== p.city));
      samePair(
        'mover',
        record('contact', p, { email }),
        record('shopCustomer', p, {
          email,
          street: `${random.int(1, 90)} rue ${random.pick(STREET_NAMES)}`,
          postcode: random.pick(elsewhere.postcodes),
          city: elsewhere.name,
        }),
      );
    }
    {
      // No identifier in common: only names, birth date and address say it is one person.
      const p = person();
      samePair(
        'noSharedIdentifier',
        record('contact', p, { email: emailOf(p) }),
        record('shopCustomer', p, { street: `${p.number} ${p.streetName.replace(/^avenue/, 'av.').replace(/^boulevard/, 'bd')}` }),
      );
    }

    // --- two people sharing something -------------------------------------------------
    {
      const a = person({ female: false });
      const b = person({
        female: true,
        lastName: a.lastName,
        number: a.number,
        streetName: a.streetName,
        postcode: a.postcode,
        city: a.city,
        birthDate: isoDate(random, 1950, 1990),
      });
      const email = `famille.${ascii(a.lastName)}${i}@${random.pick(ISP_DOMAINS)}`;
      apart('householdEmail', record('contact', a, { email }), record('shopCustomer', b, { email }));
    }
    {
      const a = person({ female: true });
      const b = person({
        female: false,
        lastName: random.chance(0.5) ? a.lastName : surname(),
        number: a.number,
        streetName: a.streetName,
        postcode: a.postcode,
        city: a.city,
      });
      const landline = nationalNumber(random, `0${a.landlineArea.slice(1)}`);
      const formats = phoneFormats(landline);
      apart(
        'householdLandline',
        record('contact', a, { phone: formats[0]!, email: emailOf(a) }),
        record('shopCustomer', b, { phone: formats[1 + (i % 5)]!, email: emailOf(b) }),
      );
    }
    {
      const father = person({ female: false, birthDate: isoDate(random, 1940, 1955) });
      const son = person({
        female: false,
        firstName: father.firstName,
        lastName: father.lastName,
        number: father.number,
        streetName: father.streetName,
        postcode: father.postcode,
        city: father.city,
        birthDate: isoDate(random, 1970, 1985),
      });
      const landline = spaced(nationalNumber(random, `0${father.landlineArea.slice(1)}`));
      const family = `${ascii(father.firstName)}.${ascii(father.lastName)}${i}@wanadoo.fr`;
      apart(
        'parentChild',
        record('contact', father, { phone: landline, email: family }),
        record('shopCustomer', son, { phone: landline, email: i % 2 === 0 ? family : null }),
      );
    }
    {
      const [first, second] = TWIN_NAMES[i % TWIN_NAMES.length]!;
      const a = person({ firstName: first });
      const b = person({
        firstName: second,
        lastName: a.lastName,
        birthDate: a.birthDate,
        number: a.number,
        streetName: a.streetName,
        postcode: a.postcode,
        city: a.city,
      });
      const landline = spaced(nationalNumber(random, `0${a.landlineArea.slice(1)}`));
      apart('twins', record('contact', a, { phone: landline }), record('shopCustomer', b, { phone: landline }));
    }
    {
      const marseille = CITIES.find((city) => city.name === 'Marseille')!;
      const a = person({ firstName: 'Raphaël', city: 'Marseille', postcode: random.pick(marseille.postcodes) });
      const b = person({ firstName: 'Raphaël', lastName: a.lastName, city: 'Marseille', postcode: a.postcode, female: a.female });
      apart(
        'namesakes',
        record('contact', a, { email: emailOf(a, 'gmail.com'), mobile: spaced(mobile()) }),
        record('shopCustomer', b, { email: emailOf(b, 'orange.fr'), phone: spaced(mobile()) }),
      );
    }
    {
      const a = person({ female: false });
      const b = person({ female: false, firstName: a.firstName, lastName: a.lastName, city: a.city, postcode: a.postcode });
      apart(
        'namesakesNoBirthDate',
        record('contact', a, { email: emailOf(a, 'free.fr'), mobile: spaced(mobile()) }),
        record('shopCustomer', b, { email: emailOf(b, 'sfr.fr'), phone: spaced(mobile()), birthDate: null }),
      );
    }
    {
      const father = person({ female: false });
      const son = person({
        female: false,
        firstName: father.firstName,
        lastName: father.lastName,
        number: father.number,
        streetName: father.streetName,
        postcode: father.postcode,
        city: father.city,
      });
      const email = `${ascii(father.lastName)}.famille${i}@orange.fr`;
      apart(
        'generations',
        record('contact', father, { email, birthDate: null }),
        record('shopCustomer', son, { email, lastName: `${son.lastName} fils`, birthDate: null }),
      );
    }
  }
  return { records, pairs };
}

export const WORLD_COLUMNS = ['id', 'first_name', 'last_name', 'birth_name', 'email', 'phone', 'mobile', 'street', 'postcode', 'city', 'birth_date'] as const;

/** The rows of one entity's table, in WORLD_COLUMNS order. */
export function worldRows(world: IdentityWorld, entity: WorldRecord['entity']): Scalar[][] {
  return world.records
    .filter((record) => record.entity === entity)
    .map((r) => [Number(r.id), r.firstName, r.lastName, r.birthName, r.email, r.phone, r.mobile, r.street, r.postcode, r.city, r.birthDate]);
}

/** The canonical mapping of a world table. */
export function worldEntity(source: string, table: string, entity: WorldRecord['entity']): Record<string, unknown> {
  return {
    source,
    table,
    fields: {
      id: 'id',
      firstName: 'first_name',
      lastName: 'last_name',
      birthName: 'birth_name',
      email: 'email',
      phone: 'phone',
      ...(entity === 'contact' ? { mobile: 'mobile', kind: { const: 'PERSON' } } : {}),
      street: 'street',
      postcode: 'postcode',
      city: 'city',
      birthDate: 'birth_date',
    },
  };
}
