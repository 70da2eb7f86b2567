/** Filter pushdown: every operator, enum values both ways, const fields, static conditions. */
import { describe, expect, it } from '@jest/globals';
import type { Filter } from '../../connectors/contract.js';
import { idsOf, loadCustomerOrders, recordCalls } from './calls.js';
import type { ContractContext } from './calls.js';
import { ORDERS, canonicalChannel, liveOrders } from './fixtures.js';
import type { OrderFixture } from './fixtures.js';

export function defineFilterTests(context: ContractContext): void {
  const loadOrders = (request: Parameters<typeof loadCustomerOrders>[1], options = recordCalls().options) => loadCustomerOrders(context, request, options);
  describe('filters', () => {
    const expectFilter = async (filter: Filter, predicate: (order: OrderFixture) => boolean): Promise<void> => {
      expect(idsOf(await loadOrders({ filter }))).toEqual(
        liveOrders()
          .filter(predicate)
          .map((order) => String(order.id)),
      );
    };
    const channel = (order: OrderFixture): string => canonicalChannel(order.sourceChannel);

    it('pushes down eq', () => expectFilter({ op: 'eq', field: 'storeId', value: 'S3' }, (order) => order.storeId === 'S3'));
    it('pushes down in', () =>
      expectFilter({ op: 'in', field: 'customerId', values: ['C002', 'C003'] }, (order) => ['C002', 'C003'].includes(order.customerId)));
    it('pushes down range on a decimal', () =>
      expectFilter({ op: 'range', field: 'total', gte: 50, lt: 100 }, (order) => order.total >= 50 && order.total < 100));
    it('pushes down range on a datetime given as ISO 8601 UTC', () =>
      expectFilter(
        { op: 'range', field: 'placedAt', gt: '2024-03-10T10:00:00.000Z', lte: '2024-03-20T10:00:00.000Z' },
        (order) => order.placedAt > '2024-03-10T10:00:00.000Z' && order.placedAt <= '2024-03-20T10:00:00.000Z',
      ));
    it('pushes down isNull', () => expectFilter({ op: 'isNull', field: 'storeId' }, (order) => order.storeId === null));
    it('pushes down and, or and not', () =>
      expectFilter(
        {
          op: 'and',
          filters: [
            {
              op: 'or',
              filters: [
                { op: 'eq', field: 'channel', value: 'STORE' },
                { op: 'eq', field: 'status', value: 'CANCELLED' },
              ],
            },
            { op: 'not', filter: { op: 'range', field: 'total', lt: 100 } },
          ],
        },
        (order) => (channel(order) === 'STORE' || order.sourceStatus === 9) && !(order.total < 100),
      ));
    it('keeps rows whose column is NULL under not(eq)', () =>
      expectFilter({ op: 'not', filter: { op: 'eq', field: 'storeId', value: 'S3' } }, (order) => order.storeId !== 'S3'));
    it('translates canonical enum values to every source value mapped to them', () =>
      expectFilter({ op: 'eq', field: 'channel', value: 'WEB' }, (order) => order.sourceChannel === 'web' || order.sourceChannel === 'W'));
    it('compares an unmapped source value as itself', () =>
      expectFilter({ op: 'in', field: 'channel', values: ['kiosk'] }, (order) => order.sourceChannel === 'kiosk'));
    it('translates enum values on an integer column', () =>
      expectFilter({ op: 'in', field: 'status', values: ['PAID', 'CANCELLED'] }, (order) => order.sourceStatus !== 2));
    it('decides a filter on a const field without sending it', async () => {
      const { calls, options } = recordCalls();
      await expectFilter({ op: 'eq', field: 'currency', value: 'EUR' }, () => true);
      expect(idsOf(await loadOrders({ filter: { op: 'eq', field: 'currency', value: 'USD' } }, options))).toEqual([]);
      expect(calls[0]?.statement).toContain('1 = 0');
    });
    it('always applies the mapping’s static conditions', async () => {
      const deleted = ORDERS.filter((order) => order.deleted).map((order) => String(order.id));
      expect(deleted).toHaveLength(1);
      expect(idsOf(await loadOrders({}))).not.toEqual(expect.arrayContaining(deleted));
    });

    const scanContacts = (value: string) =>
      context.connector().scan!(
        { entity: 'contact', projection: ['id'], filter: { op: 'prefix', field: 'email', value }, orderBy: [], limit: 100 },
        recordCalls().options,
      );
    it('pushes down prefix on the trimmed, lower-cased value', async () => {
      expect(await scanContacts('alice@')).toEqual([{ id: 'C001' }]);
    });
    it('takes % and _ in a prefix literally', async () => {
      expect(await scanContacts('50%_')).toEqual([{ id: 'C003' }]);
      expect(await scanContacts('50%')).toEqual([{ id: 'C003' }]);
      expect(await scanContacts('5_')).toEqual([]);
    });
    it('pushes down an or of prefixes on one field with the folded column written once, matching what each prefix matches', async () => {
      const values = ['Àlice@', '50%_', 'BOB@', '5_', 'nobody@', '!x'];
      const one = new Set<string>();
      for (const value of values) for (const row of await scanContacts(value)) one.add(String(row.id));
      const { calls, options } = recordCalls();
      const rows = await context.connector().scan!(
        {
          entity: 'contact',
          projection: ['id'],
          filter: {
            op: 'or',
            filters: [...values.map((value) => ({ op: 'prefix' as const, field: 'email', value })), { op: 'eq', field: 'id', value: 'C004' }],
          },
          orderBy: [],
          limit: 100,
        },
        options,
      );
      expect(rows.map((row) => String(row.id)).sort()).toEqual([...one, 'C004'].sort());
      expect([...one].sort()).toEqual(['C001', 'C002', 'C003']);
      expect(calls).toHaveLength(1);
      // PostgreSQL folds the column (TRANSLATE) once for all six prefixes; MySQL compares the
      // bare column, and tests once for a leading space before trimming (not once per prefix).
      const folds = calls[0]!.statement.match(context.kind === 'postgres' ? /TRANSLATE\(/g : /LIKE ' %'/g) ?? [];
      expect(folds).toHaveLength(1);
    });
    it('keeps two prefixes an or of index-served comparisons and makes three one comparison against a list, with the same rows', async () => {
      for (const values of [
        ['Àlice@', 'BOB@'],
        ['Àlice@', 'BOB@', '50%_'],
      ]) {
        const one = new Set<string>();
        for (const value of values) for (const row of await scanContacts(value)) one.add(String(row.id));
        const { calls, options } = recordCalls();
        const rows = await context.connector().scan!(
          {
            entity: 'contact',
            projection: ['id'],
            filter: { op: 'or', filters: values.map((value) => ({ op: 'prefix' as const, field: 'email', value })) },
            orderBy: [],
            limit: 100,
          },
          options,
        );
        expect(rows.map((row) => String(row.id)).sort()).toEqual([...one].sort());
        expect(calls).toHaveLength(1);
        if (context.kind === 'postgres') expect(/LIKE ANY/.test(calls[0]!.statement)).toBe(values.length >= 3);
      }
    });
  });
}
