/**
 * The contract every SQL connector keeps, run against real servers. A test file creates
 * its database and calls `describeSqlConnectorContract`; the suite seeds the operator
 * layout from fixtures.ts and checks behaviour against the same data in canonical form.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SqlKind } from '../../connectors/admin.js';
import { UnsupportedRequestError } from '../../connectors/contract.js';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { createSqlConnector } from '../../connectors/index.js';
import type { EntityMapping } from '../../connectors/mapping.js';
import { loadCustomerOrders, recordCalls } from './calls.js';
import type { ContractContext } from './calls.js';
import { defineFailureTests } from './contract-failures.js';
import { defineFilterTests } from './contract-filters.js';
import { defineScanAndAggregateTests } from './contract-scan.js';
import { CUSTOMER_IDS, canonicalOrder, layoutFor, liveOrders, mappings, ordersOf, seed } from './fixtures.js';
import type { Layout } from './fixtures.js';

export interface ContractTarget {
  readonly kind: SqlKind;
  /** The database the test file created in its beforeAll. */
  database(): { readonly url: string; readonly name: string };
}

export function describeSqlConnectorContract(target: ContractTarget): void {
  describe(`${target.kind} connector contract`, () => {
    const opened: Connector[] = [];
    let layout: Layout | undefined;
    let connector: Connector | undefined;
    const context: ContractContext = {
      kind: target.kind,
      connector: () => connector ?? fail('the suite has not opened its connector'),
      quote: (name) => (target.kind === 'postgres' ? `"${name}"` : `\`${name}\``),
      layout: () => layout ?? fail('the suite has not seeded its database'),
      url: () => target.database().url,
      open(overrides = {}) {
        const opening = createSqlConnector({
          name: 'shop',
          kind: target.kind,
          url: target.database().url,
          poolMax: 4,
          timeoutMillis: 5000,
          connectTimeoutMillis: 2000,
          entities: mappings(context.layout()),
          ...overrides,
        });
        opened.push(opening);
        return opening;
      },
    };
    beforeAll(async () => {
      layout = layoutFor(target.kind, target.database().name);
      await seed(layout, target.database().url);
      connector = context.open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((each) => each.close()));
    });

    const q = context.quote;
    const loadOrders = (request: Partial<LoadRequest>, options = recordCalls().options) => loadCustomerOrders(context, request, options);

    describe('load', () => {
      it('returns one row set per key in key order, [] for a key without rows, and its rows again for a repeated key', async () => {
        const keys = ['C002', 'C999', 'C001', 'C002', 'C004'];
        const result = await loadOrders({ keys });
        expect(result.map((rows) => rows.map((row) => String(row.id)).sort((a, b) => Number(a) - Number(b)))).toEqual(
          keys.map((key) =>
            liveOrders()
              .filter((order) => order.customerId === key)
              .map((order) => String(order.id)),
          ),
        );
      });

      it('answers a batch of 50 keys with exactly one statement', async () => {
        const { calls, options } = recordCalls();
        const result = await loadOrders({ keys: CUSTOMER_IDS.slice(0, 50) }, options);
        expect(calls).toHaveLength(1);
        expect(calls[0]).toMatchObject({ source: 'shop', entity: 'order', rows: result.flat().length });
        expect(result.map((rows) => rows.length)).toEqual(
          CUSTOMER_IDS.slice(0, 50).map((key) => liveOrders().filter((order) => order.customerId === key).length),
        );
      });

      it('selects only the projected columns, aliased to their canonical names, and returns only those fields', async () => {
        const { calls, options } = recordCalls();
        const [rows] = await loadOrders({ keys: ['C001'], projection: ['id', 'total'] }, options);
        const text = calls[0]?.statement ?? '';
        const selectList = text.slice(text.indexOf('SELECT') + 'SELECT'.length, text.indexOf(' FROM ')).replace(/^\s*(\/\*.*?\*\/)?\s*/, '');
        expect(selectList.split(', ')).toEqual([`${q('CUST_NO')} AS ${q('__key')}`, `${q('order_no')} AS ${q('id')}`, `${q('amount')} AS ${q('total')}`]);
        expect(rows?.map((row) => Object.keys(row).sort())).toEqual(Array.from({ length: 15 }, () => ['id', 'total']));
      });

      it('binds every key as a parameter and never writes values into the statement', async () => {
        const { calls, options } = recordCalls();
        await loadOrders({ keys: ['C001', "C0' OR '1'='1"], filter: { op: 'eq', field: 'storeId', value: 'S3' } }, options);
        expect(calls[0]?.statement).not.toContain('C001');
        expect(calls[0]?.statement).not.toContain('S3');
        expect(calls[0]?.statement).toMatch(target.kind === 'postgres' ? /= ANY\(\$1\)/ : /IN \(\?, \?\)/);
      });

      it('returns the last 10 orders of each of 50 customers in one statement', async () => {
        const { calls, options } = recordCalls();
        const keys = CUSTOMER_IDS.slice(0, 50);
        const result = await loadOrders(
          { keys, projection: ['id', 'placedAt'], orderBy: [{ field: 'placedAt', direction: 'DESC' }], limitPerKey: 10 },
          options,
        );
        expect(calls).toHaveLength(1);
        expect(calls[0]?.statement).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY/);
        expect(result.map((rows) => rows.map((row) => row.id))).toEqual(
          keys.map((key) =>
            liveOrders()
              .filter((order) => order.customerId === key)
              .sort((a, b) => b.placedAt.localeCompare(a.placedAt))
              .slice(0, 10)
              .map((order) => String(order.id)),
          ),
        );
      });

      it('orders each key’s rows without a limit', async () => {
        const [rows] = await loadOrders({ keys: ['C001'], projection: ['id', 'total'], orderBy: [{ field: 'total', direction: 'DESC' }] });
        expect(rows?.map((row) => row.total)).toEqual(
          ordersOf('C001')
            .map((order) => order.total)
            .sort((a, b) => b - a),
        );
      });

      it('splits a batch above maxBatchSize into one statement per chunk, results still in key order', async () => {
        const { calls, options } = recordCalls();
        const keys = [...Array.from({ length: context.connector().capabilities.maxBatchSize }, (_unused, index) => `X${index}`), 'C002'];
        const result = await loadOrders({ keys }, options);
        expect(calls).toHaveLength(2);
        expect(result).toHaveLength(keys.length);
        expect(result.at(-1)?.map((row) => row.id)).toEqual(expect.arrayContaining(ordersOf('C002').map((order) => String(order.id))));
      });

      it('sends no statement when no key can match', async () => {
        const { calls, options } = recordCalls();
        expect(await loadOrders({ keys: [null] }, options)).toEqual([[]]);
        expect(calls).toHaveLength(0);
      });

      it('matches string keys against an integer column', async () => {
        const result = await loadOrders({ keyField: 'id', keys: ['3', '1', '999'] });
        expect(result.map((rows) => rows.map((row) => row.id))).toEqual([['3'], ['1'], []]);
      });
    });

    describe('key matching', () => {
      const loadContacts = (keyField: string, keyMatch: LoadRequest['keyMatch'], keys: ReadonlyArray<string>) =>
        context.connector().load({ entity: 'contact', keyField, keyMatch, keys, projection: ['id'] }, recordCalls().options);

      it('matches trimmed, lower-cased keys case- and space-insensitively (caseInsensitive)', async () => {
        const result = await loadContacts('email', 'caseInsensitive', ['alice@example.com', 'bob@example.com', 'nobody@example.com']);
        expect(result.map((rows) => rows.map((row) => row.id))).toEqual([['C001'], ['C002'], []]);
      });

      it('matches digit-only keys against formatted phone numbers (digits)', async () => {
        const result = await loadContacts('phone', 'digits', ['33612345678', '0612345679', '999']);
        expect(result.map((rows) => rows.map((row) => row.id))).toEqual([['C001'], ['C002'], []]);
      });
    });

    describe('reading values', () => {
      it('coerces decimals to numbers, datetimes to ISO 8601 UTC, dates unshifted, booleans, and maps enum codes', async () => {
        const result = await context.connector().load(
          {
            entity: 'contact',
            keyField: 'id',
            keyMatch: 'exact',
            keys: ['C001', 'C003'],
            projection: ['id', 'email', 'phone', 'kind', 'birthDate', 'createdAt', 'vip'],
          },
          recordCalls().options,
        );
        expect(result).toEqual([
          [
            {
              id: 'C001',
              email: ' Alice@Example.COM ',
              phone: '+33 6 12-34-56-78',
              kind: 'PERSON',
              birthDate: '1990-01-01',
              createdAt: '2024-03-01T10:00:00.000Z',
              vip: true,
            },
          ],
          // 'X' is not in the mapping's values, so it passes through.
          [{ id: 'C003', email: '50%_off@promo.example', phone: null, kind: 'X', birthDate: null, createdAt: '2024-03-01T10:00:00.000Z', vip: false }],
        ]);
      });

      it('returns every order field in canonical form, the const currency without a column', async () => {
        const { calls, options } = recordCalls();
        const projection = ['id', 'customerId', 'channel', 'status', 'placedAt', 'total', 'storeId', 'currency'];
        const [rows] = await loadOrders({ keys: ['C003'], projection, orderBy: [{ field: 'id', direction: 'ASC' }] }, options);
        expect(rows).toEqual(ordersOf('C003').map(canonicalOrder));
        expect(calls[0]?.statement).not.toMatch(/currency/i);
      });
    });

    describe('mapping and health', () => {
      it('finds every mapped table and column, schema-qualified or not, and names the stored enum values no map covers', async () => {
        // The fixture keeps one unmapped value per enum on purpose (pass-through tests): the check names each, with its rows.
        expect(await context.connector().checkMapping(recordCalls().options)).toEqual([
          {
            entity: 'contact',
            field: 'kind',
            message: '1 stored value is not mapped and read as null on 1 row (25%): "X" (1 row); map it under values, or set otherwise',
          },
          {
            entity: 'order',
            field: 'channel',
            message: '1 stored value is not mapped and read as null on 1 row (1%): "kiosk" (1 row); map it under values, or set otherwise',
          },
        ]);
      });

      it('reports a missing table and a missing column with the canonical field they serve', async () => {
        const order = mappings(context.layout())[1] as EntityMapping;
        const broken = context.open({
          entities: [
            { ...order, entity: 'contact', table: 'nowhere' },
            { ...order, fields: { ...order.fields, total: { kind: 'column', column: 'amuont', type: 'float' } } },
          ],
        });
        expect(await broken.checkMapping(recordCalls().options)).toEqual([
          { entity: 'contact', field: 'table', message: 'table "nowhere" does not exist (mapped from contact)' },
          { entity: 'order', field: 'total', message: 'table "cust orders" has no column "amuont" (mapped from order.total)' },
        ]);
      });

      it('quotes names with spaces, reserved words and schema-qualified tables per part', async () => {
        const { calls, options } = recordCalls();
        await context.connector().load({ entity: 'contact', keyField: 'phone', keyMatch: 'digits', keys: ['1'], projection: ['id'] }, options);
        const [schema = '', table = ''] = context.layout().contactTable.split('.');
        expect(calls[0]?.statement).toContain(`FROM ${q(schema)}.${q(table)}`);
        expect(calls[0]?.statement).toContain(q('Phone Number'));
      });

      it('carries the statement timeout the server enforces', async () => {
        const { calls, options } = recordCalls();
        await loadOrders({ keys: ['C001'] }, options);
        expect(calls[0]?.statement).toMatch(
          target.kind === 'postgres' ? /^SELECT / : /^(SET STATEMENT max_statement_time=5\.000 FOR SELECT |SELECT \/\*\+ MAX_EXECUTION_TIME\(5000\) \*\/ )/,
        );
      });

      it('is up with its latency when SELECT 1 answers', async () => {
        expect(await context.connector().health(new AbortController().signal)).toEqual({ state: 'up', latencyMillis: expect.any(Number) });
      });

      it('refuses an unmapped entity or field with UnsupportedRequestError', async () => {
        await expect(loadOrders({ entity: 'ticket' })).rejects.toBeInstanceOf(UnsupportedRequestError);
        await expect(loadOrders({ projection: ['id', 'colour'] })).rejects.toBeInstanceOf(UnsupportedRequestError);
      });
    });

    defineFilterTests(context);
    defineScanAndAggregateTests(context);
    defineFailureTests(context);
  });
}

function fail(message: string): never {
  throw new Error(message);
}
