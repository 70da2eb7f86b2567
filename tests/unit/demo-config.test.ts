import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CANONICAL_ENTITIES, isCanonicalEntityName, type CanonicalEntity } from '../../src/config/canonical.js';
import { DEMO_ENTITIES, demoRawConfig } from '../../src/demo/config.js';
import { CRM_TABLES, SHOP_TABLES } from '../../src/demo/layout.js';

const tables = new Map([...CRM_TABLES, ...SHOP_TABLES].map((table) => [table.name, new Set(table.columns.map((c) => c.name))]));

describe('the demo config', () => {
  it('maps every canonical entity the CRM and shop databases hold', () => {
    // Tickets and registry companies come from REST sources, mapped by their own config.
    const sqlEntities = ['contact', 'account', 'interaction', 'consent', 'shopCustomer', 'order', 'orderLine', 'product', 'event'];
    expect(Object.keys(DEMO_ENTITIES).sort()).toEqual(sqlEntities.sort());
    for (const entity of sqlEntities) expect(isCanonicalEntityName(entity)).toBe(true);
  });

  it('maps only canonical fields onto columns of the demo layout, and every required field', () => {
    for (const [entity, mapping] of Object.entries(DEMO_ENTITIES)) {
      if (!isCanonicalEntityName(entity)) throw new Error(`not canonical: ${entity}`);
      const canonical: CanonicalEntity['fields'] = (CANONICAL_ENTITIES[entity] as CanonicalEntity).fields;
      const columns = tables.get(mapping.table);
      expect(columns).toBeDefined();
      for (const [field, target] of Object.entries(mapping.fields)) {
        const spec = canonical[field];
        expect(spec).toBeDefined();
        const column = typeof target === 'string' ? target : target.column;
        expect(columns?.has(column)).toBe(true);
        if (typeof target !== 'string') for (const value of Object.values(target.values)) expect(spec?.enum).toContain(value);
      }
      for (const [field, spec] of Object.entries(canonical)) if (spec.required) expect(mapping.fields[field]).toBeDefined();
    }
  });

  it('puts the CRM on postgres and the shop on the chosen kind', () => {
    const config = demoRawConfig({ crmUrl: 'postgres://a/crm', shopUrl: 'mysql://b/shop', shopKind: 'mysql', port: 4100 });
    expect(config.sources.crm).toMatchObject({ kind: 'postgres', url: 'postgres://a/crm' });
    expect(config.sources.shop).toMatchObject({ kind: 'mysql', url: 'mysql://b/shop' });
    expect(config.server.port).toBe(4100);
    expect(config.identity.blocklist).toContain('noemail@noemail.com');
  });

  it('is the mapping c360.example.yaml documents', () => {
    const example = parse(readFileSync(new URL('../../c360.example.yaml', import.meta.url), 'utf8')) as { entities: unknown; identity: { blocklist: unknown } };
    expect(example.entities).toEqual(DEMO_ENTITIES);
    expect(example.identity.blocklist).toEqual(demoRawConfig({ crmUrl: '', shopUrl: '', shopKind: 'mysql', port: 0 }).identity.blocklist);
  });
});
