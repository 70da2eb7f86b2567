/**
 * Who sees what, end to end over HTTP on the demo world (real PostgreSQL and MariaDB):
 * authentication, field policies, marketing consent, GDPR export and erasure plan, and
 * the audit record each access leaves. The partner endpoint is in privacy-partner.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCustomerId } from '../../src/identity/customer-id.js';
import type { AuditRecord } from '../../src/privacy/audit/chain.js';
import { chainKeyFrom, entriesOf, verifyChain } from '../../src/privacy/audit/chain.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { latestConsent, privacyTestConfig, KEYS } from './privacy-support.js';

let seeded: SeededWorld;
let gateway: TestGateway;
const auditPath = join(mkdtempSync(join(tmpdir(), 'c360-privacy-')), 'audit.jsonl');

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 200 });
  gateway = await startTestGateway(privacyTestConfig(seeded.config(), { store: 'file', path: auditPath }));
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const as = (key: string, purpose?: string) => ({ headers: { 'x-api-key': key, ...(purpose === undefined ? {} : { 'x-c360-purpose': purpose }) } });
const idOf = (contactId: number) => encodeCustomerId({ entity: 'contact', key: String(contactId) });
const CARD = `query CustomerCard($id: ID!) { customer(id: $id) { id kind email phone name { full } address { city } contact { firstName birthDate } consents { purpose status } } }`;

function auditRecords(): AuditRecord[] {
  return readFileSync(auditPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditRecord);
}

describe('authentication', () => {
  it('answers 401 UNAUTHENTICATED without a credential, and the very same to a wrong one', async () => {
    const none = await gateway.query('{ customers(first: 1) { edges { node { id } } } }');
    const wrong = await gateway.query('{ customers(first: 1) { edges { node { id } } } }', {}, as('not-a-key'));
    const wrongToken = await gateway.query('{ customers(first: 1) { edges { node { id } } } }', {}, { headers: { authorization: 'Bearer a.b.c' } });
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong).toEqual(none);
    expect(wrongToken).toEqual(none);
  });

  it('sends partners to their own endpoint with 403 FORBIDDEN', async () => {
    const result = await gateway.query('{ customers(first: 1) { edges { node { id } } } }', {}, as(KEYS.acme));
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('source traces', () => {
  it('are shown to admins only, since a REST path may carry an email', async () => {
    const query = '{ customers(first: 1) { edges { node { id } } } }';
    const analyst = await gateway.query(query, {}, { trace: true, ...as(KEYS.analyst) });
    const admin = await gateway.query(query, {}, { trace: true, ...as(KEYS.admin) });
    expect(analyst.extensions?.trace).toBeUndefined();
    expect(admin.extensions?.trace?.length).toBeGreaterThan(0);
  });
});

describe('field policies', () => {
  const contact = () => seeded.world.contacts.find((c) => c.email !== null && c.birthDate !== null && c.kind === 'person')!;

  it('lets an agent read the personal fields of a customer', async () => {
    const result = await gateway.query(CARD, { id: idOf(contact().id) }, as(KEYS.agent, 'support-call'));
    expect(result.errors).toBeUndefined();
    expect((result.data?.customer as { email: string }).email).toBe(contact().email!.trim().toLowerCase());
  });

  it('gives an analyst null with FORBIDDEN and its path for each personal field, and the rest intact', async () => {
    const result = await gateway.query(CARD, { id: idOf(contact().id) }, as(KEYS.analyst));
    expect(result.status).toBe(200);
    expect(result.data?.customer).toMatchObject({
      id: idOf(contact().id),
      kind: 'PERSON',
      email: null,
      phone: null,
      name: null,
      address: null,
      contact: { firstName: null, birthDate: null },
    });
    expect((result.data?.customer as { consents: unknown[] }).consents.length).toBeGreaterThan(0);
    const refused = (result.errors ?? []).map((error) => ({ code: error.extensions?.code, path: error.path?.join('.') }));
    expect(refused).toEqual(
      expect.arrayContaining([
        { code: 'FORBIDDEN', path: 'customer.email' },
        { code: 'FORBIDDEN', path: 'customer.phone' },
        { code: 'FORBIDDEN', path: 'customer.name' },
        { code: 'FORBIDDEN', path: 'customer.address' },
        { code: 'FORBIDDEN', path: 'customer.contact.firstName' },
        { code: 'FORBIDDEN', path: 'customer.contact.birthDate' },
      ]),
    );
    expect(refused.every((r) => r.code === 'FORBIDDEN')).toBe(true);
  });

  it('returns web behaviour only for customers whose latest profiling consent is granted', async () => {
    const query = `query($id: ID!) { customer(id: $id) { events(first: 5) { type } } }`;
    const consenting = seeded.world.contacts.find((c) => latestConsent(seeded.world, c.id, 'profiling') === 'granted')!;
    const refusing = seeded.world.contacts.find((c) => latestConsent(seeded.world, c.id, 'profiling') !== 'granted')!;
    const yes = await gateway.query(query, { id: idOf(consenting.id) }, as(KEYS.agent));
    expect(yes.errors).toBeUndefined();
    expect(Array.isArray((yes.data?.customer as { events: unknown }).events)).toBe(true);
    const no = await gateway.query(query, { id: idOf(refusing.id) }, as(KEYS.agent));
    expect(no.data?.customer).toEqual({ events: null });
    expect(no.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'customer.events']]);
  });
});

describe('GDPR', () => {
  const person = () => seeded.world.contacts.find((c) => c.email !== null && c.shopCustomerRef !== null)!;
  const EXPORT = `query($id: ID!) { subjectAccessExport(customerId: $id) { customerId data unavailable accesses { at principal role purpose fields } } }`;

  it('refuses the subject access export and the erasure plan to anyone but an admin', async () => {
    for (const key of [KEYS.agent, KEYS.analyst]) {
      const result = await gateway.query(
        `query($id: ID!) { subjectAccessExport(customerId: $id) { customerId } erasurePlan(customerId: $id) { source } }`,
        { id: idOf(person().id) },
        as(key),
      );
      expect(result.data).toEqual({ subjectAccessExport: null, erasurePlan: null });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });

  it('exports everything the sources hold on a person, with the dates and purposes of past accesses', async () => {
    await gateway.query(CARD, { id: idOf(person().id) }, as(KEYS.agent, 'complaint-42'));
    const result = await gateway.query(EXPORT, { id: idOf(person().id) }, as(KEYS.admin, 'dsar'));
    expect(result.errors).toBeUndefined();
    const exported = result.data?.subjectAccessExport as { data: string; accesses: Array<{ principal: string; purpose: string; fields: string[] }> };
    const data = JSON.parse(exported.data) as { contact: { email: string }; shopAccounts: unknown[]; consents: unknown[] };
    expect(data.contact.email).toBe(person().email);
    expect(data.shopAccounts.length).toBeGreaterThan(0);
    expect(exported.accesses).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal: 'desk-1', purpose: 'complaint-42', fields: expect.arrayContaining(['Customer.email']) })]),
    );
  });

  it('lists the records to erase in each source', async () => {
    const result = await gateway.query(`query($id: ID!) { erasurePlan(customerId: $id) { source entity keys } }`, { id: idOf(person().id) }, as(KEYS.admin));
    expect(result.errors).toBeUndefined();
    const plan = result.data?.erasurePlan as Array<{ source: string; entity: string; keys: string[] }>;
    expect(plan).toEqual(expect.arrayContaining([{ source: 'crm', entity: 'contact', keys: [String(person().id)] }]));
    expect(plan.find((t) => t.entity === 'shopCustomer')).toMatchObject({ source: 'shop' });
    const consents = seeded.world.consents
      .filter((c) => c.contactId === person().id)
      .map((c) => String(c.id))
      .sort();
    expect([...(plan.find((t) => t.entity === 'consent')?.keys ?? [])].sort()).toEqual(consents);
  });
});

describe('audit log', () => {
  it('writes one chained record per request touching personal data, with no raw personal value', async () => {
    const target = seeded.world.contacts.find((c) => c.email !== null && c.phone !== null)!;
    const before = auditRecords().length;
    await gateway.query(CARD, { id: idOf(target.id) }, as(KEYS.analyst, 'churn-study'));
    await gateway.query('query Plain { customers(first: 2) { edges { node { id kind } } } }', {}, as(KEYS.agent));
    const records = auditRecords();
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({
      principal: 'bi-1',
      role: 'analyst',
      purpose: 'churn-study',
      operation: 'query CustomerCard',
      outcome: 'denied',
      endpoint: 'graphql',
    });
    expect(records.at(-1)!.fields).toEqual(expect.arrayContaining(['Customer.email', 'Contact.birthDate']));
    expect(records.at(-1)!.customers).toHaveLength(1);
    expect(verifyChain(entriesOf(records), chainKeyFrom('audit-key-0123456789abcdef0123456789'))).toEqual({ ok: true, records: records.length, head: 'none' });
    const text = readFileSync(auditPath, 'utf8');
    for (const contact of seeded.world.contacts.slice(0, 200)) {
      for (const value of [contact.email, contact.phone, contact.lastName, idOf(contact.id)])
        if (value !== null && value.length > 4) expect(text).not.toContain(value);
    }
  });
});
