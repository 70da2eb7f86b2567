/** The decisions behind "no false merge, every variant links": mailboxes, given names, the shared-identifier guard, block ranking, text dates. */
import { describe, expect, it } from '@jest/globals';
import { parseDateInFormat, formatIsoDate } from '../../connectors/sql/date-format.js';
import { canonicalEmail, mailboxKey, mailboxLookupKeys } from '../../src/identity/email-canonical.js';
import fc from 'fast-check';
import { distinctKnownNames, givenNamesCompatible, otherSexForm, typoApart } from '../../src/identity/given-names.js';
import { identifierSlip } from '../../src/identity/similarity.js';
import { closestInBlock, evidenceAgainst, matchRecordOf, scoreEitherWay } from '../../src/identity/probabilistic.js';
import { fitPersonModel } from '../../src/identity/fit-model.js';
import { DEFAULT_PERSON_MODEL } from '../../src/identity/person-model.js';
import type { Row } from '../../connectors/contract.js';
import { sharedIdentifierConflict } from '../../src/identity/shared-identifier-guard.js';

describe('canonicalEmail', () => {
  it('folds Gmail dots, +tags and googlemail.com into one mailbox', () => {
    expect(canonicalEmail('Marie.Dupont+promo@GoogleMail.com')).toBe('mariedupont@gmail.com');
    expect(canonicalEmail('mariedupont@gmail.com')).toBe('mariedupont@gmail.com');
  });

  it('reads frequent domain typos as the domain meant, and keeps dots where the provider keeps them', () => {
    expect(canonicalEmail('jean.martin@orange.fe')).toBe('jean.martin@orange.fr');
    expect(canonicalEmail('jean.martin@gmial.com')).toBe('jeanmartin@gmail.com');
    expect(canonicalEmail('jean.martin@orange.fr')).not.toBe(canonicalEmail('jeanmartin@orange.fr'));
  });

  it('looks a mailbox up by one loose key per spelling of its domain', () => {
    expect(mailboxKey('marie.dupont+x', 'gmail.com')).toBe('mariedupont@gmail.com');
    expect(mailboxLookupKeys('jean.martin@orange.fr')).toEqual(expect.arrayContaining(['jeanmartin@orange.fr', 'jeanmartin@orange.fe', 'jeanmartin@orage.fr']));
  });
});

describe('givenNamesCompatible', () => {
  it.each([
    ['Jean-Pierre', 'JP'],
    ['Jean-Pierre', 'J.-P.'],
    ['Jean-Pierre', 'Jean Pierre'],
    ['Emmanuel', 'Manu'],
    ['Véronique', 'Veronqiue'],
    ['Anne-Sophie', 'Annesophie'],
    // Typos Jaro–Winkler puts below its cut-off on short names: one slip (two in long names).
    ['Pia', 'Pai'],
    ['Jade', 'Jare'],
    ['Wil', 'Wio'],
    ['Christophe', 'Chirstohpe'],
  ])('takes %s and %s for one person', (a, b) => expect(givenNamesCompatible(a, b)).toBe(true));

  it.each([
    ['Laurent', 'Véronique'],
    ['Jean', 'Jeanne'],
    ['Louis', 'Louise'],
    ['Frédéric', 'Frédérique'],
    ['Daniel', 'Danielle'],
    ['Lucas', 'Léa'],
    ['Hugo', 'Théo'],
    ['Emma', 'Chloé'],
    ['Simon', 'Simone'],
    ['Joshua', 'Benjamin'],
  ])('takes %s and %s for two people', (a, b) => expect(givenNamesCompatible(a, b)).toBe(false));

  // Twins and siblings carry real names, and short real names are often one letter apart:
  // two names in common use are two people even when a typo rule would take them for one.
  it.each([
    ['Tom', 'Tim'],
    ['Anna', 'Anne'],
    ['Marie', 'Mario'],
    ['Léo', 'Léon'],
    ['Christine', 'Christian'],
    ['Laurent', 'Laurence'],
    ['Jules', 'Julie'],
    ['Marine', 'Martine'],
    ['Lina', 'Lino'],
    ['Jean-Pierre', 'Jean-Paul'],
  ])('takes %s and %s, two names in common use one or two letters apart, for two people', (a, b) => {
    expect(givenNamesCompatible(a, b)).toBe(false);
    expect(givenNamesCompatible(b, a)).toBe(false);
  });

  it.each([
    ['Rémi', 'Rémy'],
    ['Sarah', 'Sara'],
    ['Mickaël', 'Michael'],
    ['Mathieu', 'Matthieu'],
    // A slip that makes no other name in common use is still a slip of the real one.
    ['Thoams', 'Thomas'],
    ['Mrie', 'Marie'],
    ['Camile', 'Camille'],
    ['Christian', 'Chrsitian'],
  ])('takes %s and %s, one name spelled two ways or mistyped, for one person', (a, b) => {
    expect(givenNamesCompatible(a, b)).toBe(true);
    expect(givenNamesCompatible(b, a)).toBe(true);
  });

  it('answers the same whichever name comes first', () => {
    const names = [
      'Tom',
      'Tim',
      'Thoams',
      'Lina',
      'Lino',
      'Enzo',
      'Enza',
      'Marie',
      'Mario',
      'Maria',
      'Jean',
      'Jeanne',
      'Jean-Pierre',
      'JP',
      'Manu',
      'Emmanuel',
      'Rémy',
      'Rémi',
      'Pia',
      'Pai',
      'Anne-Sophie',
      'Annesophie',
      'Louis',
      'Louise',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...names), (a, b) => {
        expect(givenNamesCompatible(a, b)).toBe(givenNamesCompatible(b, a));
        expect(otherSexForm(a.toLowerCase(), b.toLowerCase())).toBe(otherSexForm(b.toLowerCase(), a.toLowerCase()));
        expect(typoApart(a.toLowerCase(), b.toLowerCase())).toBe(typoApart(b.toLowerCase(), a.toLowerCase()));
      }),
    );
  });

  it('reads the other sex ending both ways round when the two names have one length', () => {
    expect(otherSexForm('lino', 'lina')).toBe(true);
    expect(otherSexForm('lina', 'lino')).toBe(true);
    expect(distinctKnownNames('tom', 'tim')).toBe(true);
    expect(distinctKnownNames('remi', 'remy')).toBe(false);
    expect(distinctKnownNames('tom', 'thoams')).toBe(false);
  });
});

describe('identifierSlip', () => {
  it.each([
    ['8529720', '8520720'],
    ['5872915', '5873915'],
    ['2211171', '2211117'],
    ['9579446', '9574946'],
    ['AB12345C', 'AB12354C'],
  ])('reads %s and %s (one digit wrong or two adjacent swapped) as one number mistyped', (a, b) => {
    expect(identifierSlip(a, b)).toBe(true);
    expect(identifierSlip(b, a)).toBe(true);
  });

  it.each([
    // Neighbours issued in sequence: what twins registered one after the other hold.
    ['8520720', '8520721'],
    ['8520720', '8520729'],
    ['1234512', '1234521'],
    ['1234569', '1234570'],
    ['AB12345C', 'AB12345D'],
    // Two slips, another length, a short code, the same number.
    ['8529720', '8520730'],
    ['852972', '8529720'],
    ['12345', '12354'],
    ['8529720', '8529720'],
  ])('does not read %s and %s as one slip', (a, b) => {
    expect(identifierSlip(a, b)).toBe(false);
    expect(identifierSlip(b, a)).toBe(false);
  });
});

describe('sharedIdentifierConflict', () => {
  const jean = { id: '1', firstName: 'Jean', lastName: 'Dupont', birthDate: '1946-05-02' };
  it('says a father and a son of one name born 29 years apart are two people', () => {
    expect(sharedIdentifierConflict(jean, { ...jean, id: '2', birthDate: '1975-09-14' })).toBe('BIRTH_DATES_DIFFER');
  });
  it('says a mistyped birth date (one digit, day and month swapped) is one person', () => {
    expect(sharedIdentifierConflict(jean, { ...jean, id: '2', birthDate: '1946-05-03' })).toBeNull();
    expect(sharedIdentifierConflict(jean, { ...jean, id: '2', birthDate: '1946-02-05' })).toBeNull();
  });
  it('says twins, a couple, generations and a company are not one person', () => {
    expect(sharedIdentifierConflict(jean, { ...jean, id: '2', firstName: 'Jeanne' })).toBe('GIVEN_NAMES_DIFFER');
    expect(sharedIdentifierConflict({ id: '1', firstName: 'Jean', lastName: 'Dupont' }, { id: '2', firstName: 'Jean', lastName: 'Dupont fils' })).toBe(
      'GENERATIONS_DIFFER',
    );
    expect(sharedIdentifierConflict(jean, { id: '3', kind: 'COMPANY', companyName: 'Dupont SARL' })).toBe('PERSON_AND_COMPANY');
  });
  it('lets a married name, a nickname and a missing birth date through', () => {
    expect(
      sharedIdentifierConflict({ id: '1', firstName: 'Marie', lastName: 'Durand', birthName: 'Martin' }, { id: '2', firstName: 'Marie', lastName: 'Martin' }),
    ).toBeNull();
    expect(
      sharedIdentifierConflict({ id: '1', firstName: 'Emmanuel', lastName: 'Roux' }, { id: '2', firstName: 'Manu', lastName: 'Roux', birthDate: '1980-01-01' }),
    ).toBeNull();
  });
});

describe('twins and a personal identification number', () => {
  const lucy: Row = { id: '1', firstName: 'Lucy', lastName: 'Capel', birthDate: '1971-05-27', street: '32 lorimer place', postcode: '5167', city: 'Northmead' };
  const against = (a: Row, b: Row) => evidenceAgainst(a, b, scoreEitherWay(matchRecordOf(a), matchRecordOf(b), DEFAULT_PERSON_MODEL));
  it('keeps twins apart: one birth date, two given names, no number or two different numbers', () => {
    expect(against(lucy, { ...lucy, id: '2', firstName: 'Liam' })).toBe('TWINS');
    expect(against({ ...lucy, nationalId: '2 71 05 75 112 084 36' }, { ...lucy, id: '2', firstName: 'Liam', nationalId: '1 71 05 75 112 085 09' })).toBe(
      'TWINS',
    );
    expect(against({ ...lucy, nationalId: '2710575112084' }, { ...lucy, id: '2', firstName: 'Liam' })).toBe('TWINS');
  });
  it('reads another given name under one number (however it is spaced) as a replaced name, not a twin', () => {
    expect(against({ ...lucy, nationalId: '2 71 05 75 112 084 36' }, { ...lucy, id: '2', firstName: 'Liam', nationalId: '271057511208436' })).toBeNull();
  });
  it('reads a number one typing slip apart as the same number mistyped, and neighbouring numbers as twins', () => {
    expect(against({ ...lucy, nationalId: '8529720' }, { ...lucy, id: '2', firstName: 'Liam', nationalId: '8520720' })).toBeNull();
    expect(against({ ...lucy, id: '2', firstName: 'Liam', nationalId: '2211117' }, { ...lucy, nationalId: '2211171' })).toBeNull();
    expect(against({ ...lucy, nationalId: '8520720' }, { ...lucy, id: '2', firstName: 'Liam', nationalId: '8520721' })).toBe('TWINS');
    expect(against({ ...lucy, nationalId: '2710575112084' }, { ...lucy, id: '2', firstName: 'Liam', nationalId: '2710575112085' })).toBe('TWINS');
  });
  it('keeps twins with real names one letter apart apart, whatever their numbers say when they are not one', () => {
    expect(against(lucy, { ...lucy, id: '2', firstName: 'Lucie' })).toBeNull();
    expect(against({ ...lucy, firstName: 'Tom' }, { ...lucy, id: '2', firstName: 'Tim' })).toBe('TWINS');
    expect(against({ ...lucy, firstName: 'Anna' }, { ...lucy, id: '2', firstName: 'Anne' })).toBe('TWINS');
  });
  it('is a field of the fitted model only when records of both sides carry a number', () => {
    const people = Array.from({ length: 40 }, (_, i): Row => ({
      id: String(i),
      firstName: ['Anne', 'Paul', 'Luc', 'Marie'][i % 4]!,
      lastName: `Nom${i % 10}`,
      birthDate: `19${50 + (i % 30)}-0${1 + (i % 9)}-1${i % 9}`,
      postcode: `750${10 + (i % 5)}`,
    }));
    const numbered = people.map((row, i) => ({ ...row, nationalId: String(1000000 + i) }));
    const fields = (left: Row[], right: Row[]) => fitPersonModel(left, right, { randomPairs: 2000 }).model.fields.map((field) => field.field);
    expect(fields(people, people)).not.toContain('nationalId');
    expect(fields(numbered, people)).not.toContain('nationalId');
    expect(fields(numbered, numbered)).toContain('nationalId');
  });
});

describe('closestInBlock', () => {
  it('keeps the most similar rows of a block larger than the cap, never just the first keys', () => {
    const block = Array.from({ length: 300 }, (_, i) => ({
      id: String(i + 1),
      firstName: ['Paul', 'Anne', 'Luc'][i % 3]!,
      lastName: 'Martin',
      birthDate: `19${50 + (i % 40)}-01-01`,
      postcode: '75011',
    }));
    block.push({ id: '999', firstName: 'Camille', lastName: 'Martin', birthDate: '1984-06-12', postcode: '35000' });
    const kept = closestInBlock({ id: 'x', firstName: 'Camile', lastName: 'Martin', birthDate: '1984-06-12', postcode: '35000' }, block, 50);
    expect(kept).toHaveLength(50);
    expect(kept[0]!.id).toBe('999');
  });
});

describe('dates stored as text', () => {
  it('reads each declared format, and only calendar dates', () => {
    expect(parseDateInFormat('04/03/1985', 'DD/MM/YYYY')).toBe('1985-03-04');
    expect(parseDateInFormat('03/04/1985', 'MM/DD/YYYY')).toBe('1985-03-04');
    expect(parseDateInFormat('19850304', 'YYYYMMDD')).toBe('1985-03-04');
    expect(parseDateInFormat('31/02/1985', 'DD/MM/YYYY')).toBeNull();
    expect(parseDateInFormat('1985-03-04', 'DD/MM/YYYY')).toBeNull();
    expect(formatIsoDate('1985-03-04', 'DD.MM.YYYY')).toBe('04.03.1985');
  });
});
