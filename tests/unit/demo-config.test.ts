import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CANONICAL_ENTITIES, isCanonicalEntityName, type CanonicalEntity } from '../../src/config/canonical.js';
import { parseConfig } from '../../src/config/parse.js';
import { DEMO_ENTITIES, DEMO_LOYALTY_ENTITIES, demoRawConfig, type RawEntityMapping } from '../../src/demo/config.js';
import { CRM_TABLES, LOYALTY_TABLES, SHOP_TABLES, type TableSpec } from '../../src/demo/layout.js';

const columnsOf = (specs: ReadonlyArray<TableSpec>) => new Map(specs.map((table) => [table.name, new Set(table.columns.map((c) => c.name))]));
const tablesOf = { crm: columnsOf(CRM_TABLES), shop: columnsOf(SHOP_TABLES), loyalty: columnsOf(LOYALTY_TABLES) };
const LOYALTY = { crmUrl: 'postgres://a/crm', shopUrl: 'mysql://b/shop', shopKind: 'mysql', port: 4100, loyaltyUrl: 'postgres://c/loyalty' } as const;

/** Each field onto a column of the mapping's own source's table, canonical values only; every required field. */
function expectMapsOntoLayout(entity: string, mapping: RawEntityMapping): void {
  if (!isCanonicalEntityName(entity)) throw new Error(`not canonical: ${entity}`);
  const canonical: CanonicalEntity['fields'] = (CANONICAL_ENTITIES[entity] as CanonicalEntity).fields;
  const columns = tablesOf[mapping.source].get(mapping.table);
  expect(columns).toBeDefined();
  for (const [field, target] of Object.entries(mapping.fields)) {
    const spec = canonical[field];
    expect(spec).toBeDefined();
    if (typeof target !== 'string' && 'const' in target) {
      if (spec?.enum !== undefined) expect(spec.enum).toContain(target.const);
      continue;
    }
    const column = typeof target === 'string' ? target : target.column;
    expect(columns?.has(column)).toBe(true);
    if (typeof target !== 'string') for (const value of Object.values(target.values)) expect(spec?.enum).toContain(value);
  }
  for (const [field, spec] of Object.entries(canonical)) if (spec.required) expect(mapping.fields[field]).toBeDefined();
}

describe('the demo config', () => {
  it('maps every canonical entity the CRM and shop databases hold', () => {
    // Tickets and registry companies come from REST sources, mapped by their own config.
    const sqlEntities = ['contact', 'account', 'interaction', 'consent', 'shopCustomer', 'order', 'orderLine', 'product', 'event'];
    expect(Object.keys(DEMO_ENTITIES).sort()).toEqual(sqlEntities.sort());
    for (const entity of sqlEntities) expect(isCanonicalEntityName(entity)).toBe(true);
  });

  it('maps only canonical fields onto columns of the demo layout, and every required field', () => {
    for (const [entity, mapping] of Object.entries(DEMO_ENTITIES)) expectMapsOntoLayout(entity, mapping);
    for (const [entity, mapping] of Object.entries(DEMO_LOYALTY_ENTITIES)) expectMapsOntoLayout(entity, mapping);
  });

  it('is exactly the CRM and shop config without a loyalty URL', () => {
    const config = demoRawConfig({ crmUrl: 'postgres://a/crm', shopUrl: 'mysql://b/shop', shopKind: 'mysql', port: 4100 });
    expect(Object.keys(config.sources)).toEqual(['crm', 'shop']);
    expect(config.entities).toBe(DEMO_ENTITIES);
  });

  it('maps card holders, receipts and their lines after the shop, as lists whose primary is the shop', () => {
    const config = demoRawConfig(LOYALTY);
    expect(config.sources.loyalty).toMatchObject({ kind: 'postgres', url: 'postgres://c/loyalty' });
    expect(Object.keys(config.sources)).toEqual(['crm', 'shop', 'loyalty']);
    expect(config.entities.shopCustomer).toEqual([DEMO_ENTITIES.shopCustomer, DEMO_LOYALTY_ENTITIES.shopCustomer]);
    expect(config.entities.order).toEqual([DEMO_ENTITIES.order, DEMO_LOYALTY_ENTITIES.order]);
    expect(config.entities.orderLine).toEqual([DEMO_ENTITIES.orderLine, DEMO_LOYALTY_ENTITIES.orderLine]);
    // Every other entity, products included (receipt lines hold the shop's product ids), stays the shop's or the CRM's alone.
    for (const entity of ['contact', 'account', 'interaction', 'consent', 'product', 'event']) expect(config.entities[entity]).toBe(DEMO_ENTITIES[entity]);
  });

  it('maps the loyalty tables in forms the config already accepts, each mapping on its own', () => {
    const { shopCustomer, order, orderLine } = DEMO_LOYALTY_ENTITIES;
    const alone = { ...demoRawConfig(LOYALTY), entities: { shopCustomer, order, orderLine, product: DEMO_ENTITIES.product } };
    const config = parseConfig(alone);
    expect(Object.keys(config.sources).sort()).toEqual(['crm', 'loyalty', 'shop']);
  });

  it('parses with the loyalty system mapped (the list form of an entity, src/config)', () => {
    const config = parseConfig(demoRawConfig(LOYALTY));
    expect(Object.keys(config.sources).sort()).toEqual(['crm', 'loyalty', 'shop']);
  });

  it('puts the CRM on postgres and the shop on the chosen kind', () => {
    const config = demoRawConfig({ crmUrl: 'postgres://a/crm', shopUrl: 'mysql://b/shop', shopKind: 'mysql', port: 4100 });
    expect(config.sources.crm).toMatchObject({ kind: 'postgres', url: 'postgres://a/crm' });
    expect(config.sources.shop).toMatchObject({ kind: 'mysql', url: 'mysql://b/shop' });
    expect(config.server.port).toBe(4100);
    expect(config.identity.blocklist).toContain('noemail@noemail.com');
  });

  it('is the mapping c360.example.yaml documents, the loyalty system included', () => {
    const example = parse(readFileSync(new URL('../../c360.example.yaml', import.meta.url), 'utf8')) as { entities: unknown; identity: { blocklist: unknown } };
    expect(example.entities).toEqual(demoRawConfig(LOYALTY).entities);
    expect(example.identity.blocklist).toEqual(demoRawConfig({ crmUrl: '', shopUrl: '', shopKind: 'mysql', port: 0 }).identity.blocklist);
  });
});
