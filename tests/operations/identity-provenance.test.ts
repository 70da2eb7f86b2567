/**
 * Survivorship on the demo world: a customer whose CRM contact and shop account hold
 * different phones shows both in its provenance, and the configured strategy decides
 * which one is the golden phone; changing the config flips it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;

function configWith(survivorship: Record<string, unknown> | undefined): C360Config {
  const raw = demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 });
  return parseConfig(survivorship === undefined ? raw : { ...raw, identity: { ...raw.identity, survivorship } });
}

async function withGateway<T>(config: C360Config, run: (gateway: TestGateway) => Promise<T>): Promise<T> {
  const gateway = await startTestGateway(config);
  try {
    return await run(gateway);
  } finally {
    await gateway.stop();
  }
}

interface Alternative {
  readonly source: string;
  readonly entity: string;
  readonly key: string;
  readonly value: string | null;
  readonly updatedAt: string | null;
}

interface Provenance {
  readonly field: string;
  readonly value: string | null;
  readonly source: string | null;
  readonly entity: string | null;
  readonly key: string | null;
  readonly updatedAt: string | null;
  readonly strategy: string;
  readonly conflict: boolean;
  readonly alternatives: ReadonlyArray<Alternative>;
}

interface CustomerOut {
  readonly id: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly provenance: ReadonlyArray<Provenance>;
}

const PAGE = `query { customers(first: 100) { edges { node { id phone email provenance {
  field value source entity key updatedAt strategy conflict alternatives { source entity key value updatedAt }
} } } } }`;

const ONE = `query ($id: ID!) { customer(id: $id) { id phone provenance { field value entity key strategy conflict alternatives { entity key value updatedAt } } } }`;
const PHONE_ONLY = `query ($id: ID!) { customer(id: $id) { phone } }`;

function phoneOf(customer: { provenance: ReadonlyArray<Provenance> }): Provenance {
  const found = customer.provenance.find((entry) => entry.field === 'phone');
  if (found === undefined) throw new Error('no phone provenance');
  return found;
}

function millis(value: string | null): number {
  return value === null ? Number.NEGATIVE_INFINITY : Date.parse(value);
}

/** A contact-anchored customer whose CRM and shop phones differ and whose shop record is the newer. */
function conflicting(customers: ReadonlyArray<CustomerOut>): CustomerOut {
  const found = customers.find((customer) => {
    const phone = phoneOf(customer);
    const crm = phone.alternatives.find((alternative) => alternative.entity === 'contact');
    const shop = phone.alternatives.find((alternative) => alternative.entity === 'shopCustomer');
    return (
      phone.conflict &&
      crm !== undefined &&
      shop !== undefined &&
      crm.value !== shop.value &&
      millis(shop.updatedAt) > millis(crm.updatedAt) &&
      phone.alternatives.length === 2
    );
  });
  if (found === undefined) throw new Error('the demo world has no customer with two phones');
  return found;
}

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 400 });
}, 120_000);

afterAll(async () => {
  await seeded?.drop();
});

describe('survivorship and provenance on the demo world', () => {
  let defaults: ReadonlyArray<CustomerOut>;
  let customer: CustomerOut;
  beforeAll(async () => {
    defaults = await withGateway(configWith(undefined), async (gateway) => {
      const result = await gateway.query(PAGE, {});
      expect(result.errors).toBeUndefined();
      return (result.data as { customers: { edges: Array<{ node: CustomerOut }> } }).customers.edges.map((edge) => edge.node);
    });
    customer = conflicting(defaults);
  }, 60_000);

  it('names the winning record and every source of a conflicting phone; the CRM wins by default', () => {
    const phone = phoneOf(customer);
    const crm = phone.alternatives.find((alternative) => alternative.entity === 'contact')!;
    expect(phone.strategy).toBe('SOURCE_PRIORITY');
    expect(phone).toMatchObject({ entity: 'contact', key: crm.key, value: crm.value, source: 'crm', conflict: true });
    expect(phone.alternatives.map((alternative) => alternative.source).sort()).toEqual(['crm', 'shop']);
    expect(customer.phone).toBe(crm.value);
    expect(phone.updatedAt).toBe(crm.updatedAt);
  });

  it('gives provenance for every golden field of every customer, agreeing with the golden values', () => {
    for (const one of defaults) {
      expect(one.provenance.map((entry) => entry.field).slice(0, 6)).toEqual(['email', 'phone', 'name', 'address', 'kind', 'companyName']);
      expect(phoneOf(one).value).toBe(one.phone);
      expect(one.provenance.find((entry) => entry.field === 'email')!.value).toBe(one.email);
      for (const entry of one.provenance) {
        if (entry.value === null) expect(entry.alternatives).toEqual([]);
        else expect(entry.alternatives.some((alternative) => alternative.key === entry.key && alternative.entity === entry.entity)).toBe(true);
      }
    }
  });

  it('flips to the shop phone when the shop is ranked first, or the most recent record wins', async () => {
    const shop = phoneOf(customer).alternatives.find((alternative) => alternative.entity === 'shopCustomer')!;
    for (const rule of [{ strategy: 'sourcePriority', sources: ['shop', 'crm'] }, { strategy: 'mostRecent' }]) {
      await withGateway(configWith({ fields: { phone: rule } }), async (gateway) => {
        const result = await gateway.query(ONE, { id: customer.id });
        expect(result.errors).toBeUndefined();
        const flipped = (result.data as { customer: CustomerOut }).customer;
        expect(flipped.phone).toBe(shop.value);
        expect(phoneOf(flipped)).toMatchObject({ entity: 'shopCustomer', key: shop.key, value: shop.value, conflict: true });
        expect(phoneOf(flipped).strategy).toBe(rule.strategy === 'mostRecent' ? 'MOST_RECENT' : 'SOURCE_PRIORITY');
        // Without provenance selected, a most-recent rule reads updatedAt on its own.
        const bare = await gateway.query(PHONE_ONLY, { id: customer.id });
        expect(bare.errors).toBeUndefined();
        expect((bare.data as { customer: { phone: string | null } }).customer.phone).toBe(shop.value);
        // Other fields keep the default rule.
        expect(flipped.provenance.find((entry) => entry.field === 'email')!.strategy).toBe('SOURCE_PRIORITY');
      });
    }
  }, 60_000);
});
