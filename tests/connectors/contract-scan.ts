/** Keyset paging with scan, and GROUP BY aggregates in canonical terms. */
import { describe, expect, it } from '@jest/globals';
import type { Filter } from '../../connectors/contract.js';
import { recordCalls } from './calls.js';
import type { ContractContext } from './calls.js';
import { canonicalChannel, liveOrders } from './fixtures.js';

export function defineScanAndAggregateTests(context: ContractContext): void {
  describe('scan and aggregate', () => {
    it('pages through rows in order with keyset filters, one statement per page', async () => {
      const { calls, options } = recordCalls();
      const seen: string[] = [];
      let last: string | undefined;
      for (;;) {
        const filters: Filter[] = [{ op: 'eq', field: 'channel', value: 'WEB' }];
        if (last !== undefined) filters.push({ op: 'range', field: 'id', gt: last });
        const page = await context.connector().scan!(
          { entity: 'order', projection: ['id'], filter: { op: 'and', filters }, orderBy: [{ field: 'id', direction: 'ASC' }], limit: 7 },
          options,
        );
        seen.push(...page.map((row) => String(row.id)));
        if (page.length < 7) break;
        last = seen.at(-1);
      }
      const expected = liveOrders()
        .filter((order) => canonicalChannel(order.sourceChannel) === 'WEB')
        .map((order) => String(order.id));
      expect(seen).toEqual(expected);
      expect(calls).toHaveLength(Math.floor(expected.length / 7) + 1);
    });

    it('aggregates without groups into one row, counting distinct canonical values', async () => {
      const rows = await context.connector().aggregate!(
        {
          entity: 'order',
          groupBy: [],
          aggregations: [
            { as: 'orders', fn: 'count' },
            { as: 'channels', fn: 'countDistinct', field: 'channel' },
          ],
        },
        recordCalls().options,
      );
      // "web" and "W" are both WEB: three channels, not four source codes.
      expect(rows).toEqual([{ orders: liveOrders().length, channels: new Set(liveOrders().map((order) => canonicalChannel(order.sourceChannel))).size }]);
    });

    it('aggregates by canonical group, enum codes merged, numbers as numbers', async () => {
      const rows = await context.connector().aggregate!(
        {
          entity: 'order',
          groupBy: ['channel', 'currency'],
          aggregations: [
            { as: 'orders', fn: 'count' },
            { as: 'customers', fn: 'countDistinct', field: 'customerId' },
            { as: 'revenue', fn: 'sum', field: 'total' },
            { as: 'average', fn: 'avg', field: 'total' },
            { as: 'first', fn: 'min', field: 'placedAt' },
            { as: 'last', fn: 'max', field: 'placedAt' },
          ],
        },
        recordCalls().options,
      );
      const groups = [...new Set(liveOrders().map((order) => canonicalChannel(order.sourceChannel)))].sort();
      expect([...rows].sort((a, b) => (String(a.channel) < String(b.channel) ? -1 : 1))).toEqual(
        groups.map((group) => {
          const orders = liveOrders().filter((order) => canonicalChannel(order.sourceChannel) === group);
          const revenue = orders.reduce((sum, order) => sum + order.total, 0);
          const placed = orders.map((order) => order.placedAt).sort();
          return {
            channel: group,
            currency: 'EUR',
            orders: orders.length,
            customers: new Set(orders.map((order) => order.customerId)).size,
            revenue: expect.closeTo(revenue, 2),
            average: expect.closeTo(revenue / orders.length, 4),
            first: placed[0],
            last: placed.at(-1),
          };
        }),
      );
    });
  });
}
