/**
 * How a SQL connector fails: only SourceErrors, with the right code, quickly, reported to
 * onCall, and with messages that name the source and entity but never a value.
 */
import { describe, expect, it } from '@jest/globals';
import { SourceError } from '../../connectors/contract.js';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { recordCalls } from './calls.js';
import type { ContractContext } from './calls.js';
import { orderMapping } from './fixtures.js';

const ORDERS_OF_C001: LoadRequest = { entity: 'order', keyField: 'customerId', keyMatch: 'exact', keys: ['C001'], projection: ['id'] };

async function failureOf(work: Promise<unknown>): Promise<SourceError> {
  const error = await work.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; millis: number }> {
  const startedAt = performance.now();
  const result = await work();
  return { result, millis: performance.now() - startedAt };
}

export function defineFailureTests(context: ContractContext): void {
  describe('failures', () => {
    // `slow orders` is a view that sleeps 2 s before returning the orders.
    const openSlow = (timeoutMillis: number): Connector => context.open({ timeoutMillis, entities: [orderMapping('slow orders')] });

    it('gives SOURCE_TIMEOUT when a statement outlives timeoutMillis, and still reports the call', async () => {
      const slow = openSlow(300);
      const { calls, options } = recordCalls();
      const { result: error, millis } = await timed(() => failureOf(slow.load(ORDERS_OF_C001, options)));
      expect(error.code).toBe('SOURCE_TIMEOUT');
      expect(error.source).toBe('shop');
      expect(error.cause).toBeDefined();
      expect(millis).toBeLessThan(1800);
      expect(calls).toEqual([expect.objectContaining({ source: 'shop', entity: 'order', rows: 0 })]);
    });

    it('gives SOURCE_TIMEOUT as soon as the caller aborts, before the server gives up', async () => {
      const slow = openSlow(3000);
      // Learn the server's flavour first, so only the statement races the signal.
      await slow.health(new AbortController().signal);
      const { result: error, millis } = await timed(() => failureOf(slow.load(ORDERS_OF_C001, recordCalls(AbortSignal.timeout(150)).options)));
      expect(error.code).toBe('SOURCE_TIMEOUT');
      expect(millis).toBeLessThan(1000);
    });

    it('gives SOURCE_UNAVAILABLE quickly when nothing listens on the port', async () => {
      const url = new URL(context.url());
      url.port = '1';
      const nowhere = context.open({ url: url.toString() });
      const { calls, options } = recordCalls();
      const { result: error, millis } = await timed(() => failureOf(nowhere.load(ORDERS_OF_C001, options)));
      expect(error.code).toBe('SOURCE_UNAVAILABLE');
      expect(millis).toBeLessThan(2500);
      expect(await nowhere.health(new AbortController().signal)).toEqual({ state: 'down', detail: expect.stringContaining('"shop"') });
      // MySQL fails while learning the flavour, before any statement is sent.
      expect(calls.every((call) => call.rows === 0)).toBe(true);
    });

    it('gives SOURCE_UNAVAILABLE once the connector is closed', async () => {
      const closed = context.open();
      await closed.close();
      expect((await failureOf(closed.load(ORDERS_OF_C001, recordCalls().options))).code).toBe('SOURCE_UNAVAILABLE');
    });

    it('names the source and entity in the message but never a parameter value', async () => {
      const base = orderMapping('cust orders');
      const broken = context.open({ entities: [{ ...base, fields: { ...base.fields, total: { kind: 'column', column: 'amuont', type: 'float' } } }] });
      const error = await failureOf(
        broken.load(
          { ...ORDERS_OF_C001, keys: ['secret-key-42'], projection: ['id', 'total'], filter: { op: 'eq', field: 'storeId', value: 'secret-store-7' } },
          recordCalls().options,
        ),
      );
      expect(error.code).toBe('SOURCE_BAD_RESPONSE');
      expect(error.message).toContain('"shop"');
      expect(error.message).toContain('order');
      expect(error.message).not.toMatch(/secret/);
    });
  });
}
