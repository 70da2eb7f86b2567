/**
 * Search never matches on a field the caller may not read. The attack it stops: an analyst
 * (Customer.email FORBIDDEN) rebuilding an email address one character at a time by watching
 * which prefixes return the customer. The same loop run by an agent, who may read emails,
 * shows the oracle is real; run by the analyst it learns nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { KEYS, privacyTestConfig } from './privacy-support.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 120 });
  gateway = await startTestGateway(privacyTestConfig(seeded.config()));
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const SEARCH = 'query($text: String!) { customerSearch(text: $text, first: 50) { edges { node { id } } } }';

async function hitIds(key: string, text: string): Promise<string[]> {
  const result = await gateway.query(SEARCH, { text }, { headers: { 'x-api-key': key } });
  expect(result.errors).toBeUndefined();
  return (result.data as { customerSearch: { edges: Array<{ node: { id: string } }> } }).customerSearch.edges.map((edge) => edge.node.id);
}

/** Extends `known` one character at a time while some next character still returns the target. */
async function rebuild(key: string, target: string, known: string, alphabet: ReadonlyArray<string>, steps: number): Promise<string> {
  let guess = known;
  for (let step = 0; step < steps; step++) {
    let extended = false;
    for (const character of alphabet) {
      if ((await hitIds(key, guess + character)).includes(target)) {
        guess += character;
        extended = true;
        break;
      }
    }
    if (!extended) break;
  }
  return guess;
}

describe('search and field policies', () => {
  const victim = () => seeded.world.contacts.find((contact) => contact.kind === 'person' && contact.email !== null && /^[a-z]{6}/.test(contact.email))!;
  const alphabet = () => [...new Set(seeded.world.contacts.flatMap((contact) => [...(contact.email ?? '').toLowerCase()]))].sort();

  it('lets an agent, who may read emails, find a customer by every prefix of the email (the oracle is real)', async () => {
    const contact = victim();
    const email = contact.email!.toLowerCase();
    const target = encodeCustomerId({ entity: 'contact', key: String(contact.id) });
    for (let length = 3; length <= email.length; length++)
      expect({ prefix: email.slice(0, length), found: (await hitIds(KEYS.agent, email.slice(0, length))).includes(target) }).toEqual({
        prefix: email.slice(0, length),
        found: true,
      });
  }, 60_000);

  it('gives an analyst, for whom Customer.email is FORBIDDEN, nothing to rebuild an email from', async () => {
    const contact = victim();
    const email = contact.email!.toLowerCase();
    const target = encodeCustomerId({ entity: 'contact', key: String(contact.id) });
    const rebuilt = await rebuild(KEYS.analyst, target, email.slice(0, 3), alphabet(), 3);
    expect(rebuilt).toBe(email.slice(0, 3));
    for (let length = 3; length <= email.length; length++) expect(await hitIds(KEYS.analyst, email.slice(0, length))).not.toContain(target);
    // Not even the whole address finds the customer.
    expect(await hitIds(KEYS.analyst, email)).toEqual([]);
    expect(await hitIds(KEYS.analyst, email.split('@')[0]!)).not.toContain(target);
  }, 60_000);

  it('does not match an analyst on names or cities either, which the analyst may not read', async () => {
    const contact = victim();
    expect(await hitIds(KEYS.analyst, `${contact.firstName} ${contact.lastName}`)).toEqual([]);
    expect(await hitIds(KEYS.agent, `${contact.firstName} ${contact.lastName}`)).toContain(encodeCustomerId({ entity: 'contact', key: String(contact.id) }));
  });
});
