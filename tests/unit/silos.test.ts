/** How an entity mapped in several sources is read as one: routes, prefixes and filters per part. */
import { describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../src/config/load.js';
import { Silos } from '../../src/loading/silos.js';

const config = parseConfigText(
  `
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop" }
  loyalty: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/loyalty" }
entities:
  shopCustomer:
    - { source: shop, table: customers, fields: { id: id, email: email, externalId: crm_ref } }
    - { source: loyalty, table: cards, fields: { id: card, email: email } }
  order:
    - { source: shop, table: orders, fields: { id: id, customerId: customer_id, placedAt: placed_at } }
    - { source: loyalty, table: receipts, fields: { id: id, customerId: card, placedAt: placed_at } }
  orderLine:
    - { source: shop, table: lines, fields: { id: id, orderId: order_id, productId: product_id } }
    - { source: loyalty, table: receipt_lines, fields: { id: id, orderId: receipt_id, productId: product_id } }
  product: { source: shop, table: products, fields: { id: id, name: name } }
`,
  {},
);
const silos = new Silos(config.entities);

describe('Silos', () => {
  it('compiles a list of mappings into parts, the first primary, fields the union', () => {
    expect(config.entities.shopCustomer!.source).toBe('shop');
    expect(config.entities.shopCustomer!.parts.map((part) => part.source)).toEqual(['shop', 'loyalty']);
    expect([...config.entities.shopCustomer!.fields].sort()).toEqual(['email', 'externalId', 'id']);
    expect(silos.isSplit('product')).toBe(false);
  });

  it('routes a key or a reference to the part that holds it, a plain field to every part that maps it', () => {
    expect(silos.route('shopCustomer', 'id', 'loyalty:LC1')).toEqual([{ part: 1, key: 'LC1' }]);
    expect(silos.route('shopCustomer', 'id', '42')).toEqual([{ part: 0, key: '42' }]);
    expect(silos.route('order', 'customerId', 'loyalty:LC1')).toEqual([{ part: 1, key: 'LC1' }]);
    expect(silos.route('order', 'customerId', 42)).toEqual([{ part: 0, key: 42 }]);
    // Receipt lines name the web shop's products: a product id reaches the lines of both parts.
    expect(silos.route('orderLine', 'productId', '31')).toEqual([
      { part: 0, key: '31' },
      { part: 1, key: '31' },
    ]);
    expect(silos.route('shopCustomer', 'email', 'a@b.fr')).toEqual([
      { part: 0, key: 'a@b.fr' },
      { part: 1, key: 'a@b.fr' },
    ]);
    // Only the shop maps the CRM reference.
    expect(silos.route('shopCustomer', 'externalId', '7')).toEqual([{ part: 0, key: '7' }]);
  });

  it('prefixes the key and same-source references of every part but the primary, never another source’s', () => {
    expect(silos.outward('orderLine', 1, { id: 3, orderId: 8, productId: 31 })).toEqual({ id: 'loyalty:3', orderId: 'loyalty:8', productId: 31 });
    const primary = { id: 3, orderId: 8, productId: 31 };
    expect(silos.outward('orderLine', 0, primary)).toBe(primary);
    expect(silos.sourceOfRow('order', { id: 'loyalty:8' })).toBe('loyalty');
    expect(silos.sourceOfRow('order', { id: 8 })).toBe('shop');
  });

  it('reads a keyset filter in each part: its own keys unprefixed, another part’s as a constant', () => {
    const after = (key: string) => ({ op: 'range' as const, field: 'id', gt: key });
    // A cursor in the shop's part: the rest of the shop, then every card.
    expect(silos.filterFor('shopCustomer', 0, after('42'))).toEqual({ op: 'range', field: 'id', gt: '42' });
    expect(silos.filterFor('shopCustomer', 1, after('42'))).toBe(true);
    // A cursor among the cards: nothing of the shop is left.
    expect(silos.filterFor('shopCustomer', 0, after('loyalty:LC5'))).toBe(false);
    expect(silos.filterFor('shopCustomer', 1, after('loyalty:LC5'))).toEqual({ op: 'range', field: 'id', gt: 'LC5' });
    // An order cursor (placedAt, id) after a receipt: constants fold away inside and/or.
    const cursor = {
      op: 'or' as const,
      filters: [
        { op: 'range' as const, field: 'placedAt', lt: '2024-06-01' },
        {
          op: 'and' as const,
          filters: [
            { op: 'eq' as const, field: 'placedAt', value: '2024-06-01' },
            { op: 'range' as const, field: 'id', lt: 'loyalty:8' },
          ],
        },
      ],
    };
    // Every shop order sorts before a receipt of the same instant: all of them are after the cursor in newest-first order.
    expect(silos.filterFor('order', 0, cursor)).toEqual({
      op: 'or',
      filters: [
        { op: 'range', field: 'placedAt', lt: '2024-06-01' },
        { op: 'eq', field: 'placedAt', value: '2024-06-01' },
      ],
    });
    expect(silos.filterFor('order', 1, cursor)).toEqual({
      op: 'or',
      filters: [
        { op: 'range', field: 'placedAt', lt: '2024-06-01' },
        {
          op: 'and',
          filters: [
            { op: 'eq', field: 'placedAt', value: '2024-06-01' },
            { op: 'range', field: 'id', lt: '8' },
          ],
        },
      ],
    });
    expect(silos.filterFor('order', 0, { op: 'in', field: 'customerId', values: ['loyalty:LC1', 4] })).toEqual({ op: 'in', field: 'customerId', values: [4] });
    expect(silos.filterFor('order', 1, { op: 'eq', field: 'customerId', value: 4 })).toBe(false);
  });

  it('reads a field a part does not map as null: only isNull holds there, and ordering by it is dropped', () => {
    expect(silos.filterFor('shopCustomer', 1, { op: 'prefix', field: 'externalId', value: 'A' })).toBe(false);
    expect(silos.filterFor('shopCustomer', 1, { op: 'isNull', field: 'externalId' })).toBe(true);
    expect(silos.filterFor('shopCustomer', 1, { op: 'not', filter: { op: 'eq', field: 'externalId', value: 'A' } })).toBe(true);
    expect(silos.filterFor('shopCustomer', 0, { op: 'prefix', field: 'externalId', value: 'A' })).toEqual({ op: 'prefix', field: 'externalId', value: 'A' });
    expect(
      silos.orderFor('shopCustomer', 1, [
        { field: 'externalId', direction: 'ASC' },
        { field: 'id', direction: 'ASC' },
      ]),
    ).toEqual([{ field: 'id', direction: 'ASC' }]);
  });

  it('puts nulls last in either direction, as SQL does', () => {
    const newest = silos.compareRows('order', [{ field: 'placedAt', direction: 'DESC' }]);
    expect([{ placedAt: null }, { placedAt: '2024-01-01' }, { placedAt: '2024-06-01' }].sort(newest)).toEqual([
      { placedAt: '2024-06-01' },
      { placedAt: '2024-01-01' },
      { placedAt: null },
    ]);
  });

  it('routes a load of an unsplit entity whose key names a split one (events of shop accounts, not of cards)', () => {
    const withEvents = parseConfigText(
      `
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop" }
  loyalty: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/loyalty" }
entities:
  shopCustomer:
    - { source: shop, table: customers, fields: { id: id } }
    - { source: loyalty, table: cards, fields: { id: card } }
  event: { source: shop, table: events, fields: { id: id, customerId: customer_id } }
`,
      {},
    );
    const routed = new Silos(withEvents.entities);
    expect(routed.routes('event', 'customerId')).toBe(true);
    expect(routed.routes('event', 'id')).toBe(false);
    expect(routed.route('event', 'customerId', 'loyalty:LC1')).toEqual([]);
    expect(routed.route('event', 'customerId', '101')).toEqual([{ part: 0, key: '101' }]);
  });

  it('refuses a second source of orders that does not hold their accounts', () => {
    expect(() =>
      parseConfigText(
        `
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop" }
  market: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/market" }
entities:
  shopCustomer: { source: shop, table: customers, fields: { id: id } }
  order:
    - { source: shop, table: orders, fields: { id: id, customerId: customer_id } }
    - { source: market, table: orders, fields: { id: id, customerId: buyer } }
`,
        {},
      ),
    ).toThrow(
      'entities.order.1.source (line 9): a second source of order must map shopCustomer too (the accounts its orders belong to): source "market" does not',
    );
  });

  it('reports an empty list and a list item without a source with their paths, all at once', () => {
    let message = '';
    try {
      parseConfigText(
        `
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop" }
entities:
  order: []
  shopCustomer:
    - { source: shop, table: customers, fields: { id: id } }
    - cards
`,
        {},
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('entities.order (line 5): expected at least one mapping');
    expect(message).toContain('entities.shopCustomer.1.source (line 8): expected an entity mapping with a source');
  });

  it('orders rows of several parts by the parts’ order for keys, by value otherwise', () => {
    const byId = silos.compareRows('order', [{ field: 'id', direction: 'ASC' }]);
    expect([{ id: 'loyalty:2' }, { id: 10 }, { id: 9 }, { id: 'loyalty:10' }].sort(byId)).toEqual([
      { id: 9 },
      { id: 10 },
      { id: 'loyalty:2' },
      { id: 'loyalty:10' },
    ]);
    const newest = silos.compareRows('order', [{ field: 'placedAt', direction: 'DESC' }]);
    expect([{ placedAt: '2024-05-01' }, { placedAt: '2024-06-01' }].sort(newest)).toEqual([{ placedAt: '2024-06-01' }, { placedAt: '2024-05-01' }]);
  });
});
