/**
 * The role × field matrix, generated from the schema: every personal field has a policy,
 * every governed field can go null, and each role reads exactly what its scopes allow. A
 * new field whose name looks personal fails here until it gets @pii (or is listed below
 * with the reason it is not personal).
 */
import { describe, expect, it } from '@jest/globals';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { ROLES } from '../../src/config/privacy-config.js';
import { createSchema } from '../../src/gateway/server.js';
import { readFieldPolicies } from '../../src/privacy/policies.js';
import { scopesOf } from '../../src/privacy/principal.js';

const PERSONAL_LOOKING =
  /(email|phone|mobile|firstname|lastname|fullname|displayname|^name$|^first$|^last$|^full$|birth|street|postcode|^city$|address|^body$|subject|^query$|^agent$|^value$|^othervalue$|^note|comment|message|ipaddress|^ip$|iban|^ssn|password)/i;

/** Fields that look personal by name but are not, each with its reason. */
const NOT_PERSONAL: Readonly<Record<string, string>> = {
  'Product.name': 'a catalog product',
  'AnalyticsDimensionValue.value': 'a group of the analytics cube (a channel, a city, a segment), never one record; analysts see aggregates',
  'Account.name': 'a company',
  'PersonName.first': 'only reachable through a @pii(kind: NAME) field',
  'PersonName.last': 'only reachable through a @pii(kind: NAME) field',
  'PersonName.full': 'only reachable through a @pii(kind: NAME) field',
  'PostalAddress.street': 'only reachable through @pii(kind: ADDRESS) fields or a company head office',
  'PostalAddress.postcode': 'only reachable through @pii(kind: ADDRESS) fields or a company head office',
  'PostalAddress.city': 'only reachable through @pii(kind: ADDRESS) fields or a company head office',
  'DataQuality.emailValid': 'whether an email is valid, not the email',
  'DataQuality.phoneValid': 'whether a phone is valid, not the phone',
  'DataQuality.postcodeValid': 'whether a postcode is valid, not the postcode',
  'DataQuality.birthDateValid': 'whether a stored date of birth is a date, not the date',
  'DataQuality.unparseableBirthDates': 'how many stored dates of birth are not dates, not the dates',
  'Ticket.messages': 'each message body is @pii(kind: FREE_TEXT)',
};

function personalLookingFields(schema: GraphQLSchema): string[] {
  const coordinates: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (PERSONAL_LOOKING.test(field.name)) coordinates.push(`${type.name}.${field.name}`);
    }
  }
  return coordinates.sort();
}

const schema = createSchema();
const policies = readFieldPolicies(schema);

describe('field policies', () => {
  it('covers every personal-looking field of the schema', () => {
    const uncovered = personalLookingFields(schema).filter((coordinate) => !policies.has(coordinate) && NOT_PERSONAL[coordinate] === undefined);
    expect(uncovered).toEqual([]);
  });

  it('lists no field as not personal that has since disappeared', () => {
    const present = new Set(personalLookingFields(schema));
    expect(Object.keys(NOT_PERSONAL).filter((coordinate) => !present.has(coordinate))).toEqual([]);
  });

  it('governs only nullable fields, so a refusal costs the field and not the answer', () => {
    expect([...policies.values()].filter((policy) => !policy.nullable).map((policy) => policy.coordinate)).toEqual([]);
  });

  it('uses only scopes that some role holds', () => {
    const held = new Set(ROLES.flatMap((role) => [...scopesOf(role)]));
    for (const policy of policies.values()) for (const scope of policy.scopes) expect(held).toContain(scope);
  });
});

describe('role × field matrix', () => {
  const matrix = ROLES.flatMap((role) =>
    [...policies.values()].map((policy) => ({
      role,
      coordinate: policy.coordinate,
      pii: policy.pii,
      allowed: policy.scopes.every((scope) => scopesOf(role).has(scope)),
    })),
  );

  it('lets admins read every governed field', () => {
    expect(matrix.filter((cell) => cell.role === 'admin' && !cell.allowed)).toEqual([]);
  });

  it('lets agents read every personal field and no GDPR admin field', () => {
    expect(matrix.filter((cell) => cell.role === 'agent' && cell.pii !== undefined && !cell.allowed)).toEqual([]);
    expect(matrix.filter((cell) => cell.role === 'agent' && cell.pii === undefined && cell.allowed).map((cell) => cell.coordinate)).toEqual([]);
  });

  it('gives analysts and partners no personal field at all on /graphql', () => {
    expect(matrix.filter((cell) => (cell.role === 'analyst' || cell.role === 'partner') && cell.allowed)).toEqual([]);
  });

  it('governs the personal fields of the customer, the CRM, the shop and the helpdesk', () => {
    for (const coordinate of [
      'Customer.email',
      'Customer.phone',
      'Customer.address',
      'Contact.birthDate',
      'ShopCustomer.email',
      'TicketMessage.body',
      'Query.subjectAccessExport',
    ]) {
      expect(policies.has(coordinate)).toBe(true);
    }
  });
});
