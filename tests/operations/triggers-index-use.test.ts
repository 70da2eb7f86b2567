/**
 * A trigger poll's re-evaluation on the indexes an operator has (keys, the event table's
 * customer and time indexes): the intent aggregate of the touched customers is answered
 * from the event table's customer index (EXPLAIN), not by scanning every event of the
 * lookback window; and an evaluation with segment rules costs the same statements for one
 * touched customer as for five (one identity link lookup per side, one intent aggregate
 * per asOf).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Scalar, SourceCall } from '../../connectors/contract.js';
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import { compileAnalytics } from '../../connectors/sql/analytics.js';
import { createPostgresDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { createEntityScope } from '../../connectors/sql/scope.js';
import { defaultInsightsConfig } from '../../src/config/insights-config.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createRuntime } from '../../src/gateway/runtime.js';
import { createSchema } from '../../src/gateway/server.js';
import { evaluate, evaluatorDepsOf, needsOf } from '../../src/triggers/evaluate.js';
import { createTriggerWorld, WEBHOOK_SECRET, type TriggerWorld } from '../support/trigger-world.js';

const DAY = 86_400_000;
let world: TriggerWorld;

beforeEach(async () => {
  world = await createTriggerWorld();
  await world.admin.exec('CREATE INDEX web_event_customer ON web_event (customer_id, occurred_at); CREATE INDEX web_event_time ON web_event (occurred_at, id)');
  for (let id = 1; id <= 5; id++) {
    await world.addCustomer(id, { profiling: 'GRANTED' });
    await world.addEvents(id, ['view', 'cart'], new Date(Date.now() - id * DAY), 1);
    await world.addOrder(id, id, 20 * id, new Date(Date.now() - 40 * DAY));
  }
});

afterEach(async () => {
  await world.drop();
});

const destinations = { desk: { kind: 'webhook', url: 'http://127.0.0.1:9/never-called', secret: WEBHOOK_SECRET, role: 'agent' } };

describe('the intent aggregate of the touched customers', () => {
  it("is served by the event table's customer index: the customer ids are compared as the column holds them, not cast to text", async () => {
    const config = world.config({ destinations, rules: { buy: { when: { aboutToBuy: {} }, consent: 'profiling', destinations: ['desk'] } } });
    const source = config.sources.shop as SqlSourceConfig;
    const dialect = createPostgresDialect();
    const scopeOf = (entity: string) =>
      createEntityScope(
        source.name,
        source.entities.find((mapping) => mapping.entity === entity)!,
        dialect,
      );
    const { lookbackDays, halfLifeDays, weights } = defaultInsightsConfig().intent;
    const compiled = compileAnalytics(
      { order: () => scopeOf('order'), event: () => scopeOf('event') },
      { kind: 'intent', asOf: new Date().toISOString(), customerIds: ['1', '3'], lookbackDays, halfLifeDays, weights },
    );
    const { text, params } = render(compiled.statement, dialect.placeholder);
    expect(text).toContain('"customer_id" = ANY(');
    expect(text).not.toContain('CAST("customer_id" AS TEXT)');
    // Five customers' events are cheaper to scan; forbid that, to see which index serves the condition.
    await world.admin.exec('SET enable_seqscan = off');
    const plan = (await world.admin.query(`EXPLAIN ${text}`, params as Scalar[])).map((row) => String(Object.values(row)[0])).join('\n');
    await world.admin.exec('RESET enable_seqscan');
    expect(plan).toMatch(/Index Cond: \(\(customer_id = ANY/);
    expect(plan).toMatch(/web_event_customer/);
    // The same answer as before: customer 1 and 3's carted product.
    const rows = await world.admin.query(text, params as Scalar[]);
    expect(rows.map((row) => Number(row.cid)).sort()).toEqual([1, 3]);
  });
});

describe('an evaluation with segment rules', () => {
  it('costs the same statements for one touched customer as for five, with one link lookup per side', async () => {
    const rules = {
      buy: { when: { aboutToBuy: {} }, consent: 'profiling', destinations: ['desk'] },
      welcome: { when: { segment: { id: 'first_time_buyers', on: 'enter' } }, consent: 'profiling', destinations: ['desk'] },
    };
    const config = world.config({ destinations, rules });
    const needs = needsOf(Object.values(config.triggers!.rules), false);
    const runtime = createRuntime(config, createLogger({ level: 'error' }));
    try {
      const calls: SourceCall[] = [];
      const deps = { ...evaluatorDepsOf(runtime, createSchema(config), 30_000), onCall: (call: SourceCall) => void calls.push(call) };
      const earlierAt = new Date(Date.now() - 60_000).toISOString();
      await evaluate(deps, [{ entity: 'shopCustomer', key: '5' }], needs, earlierAt); // the RFM boundaries, cached after
      calls.length = 0;
      const one = await evaluate(deps, [{ entity: 'shopCustomer', key: '1' }], needs, earlierAt);
      const oneCalls = calls.splice(0);
      const five = await evaluate(
        deps,
        [1, 2, 3, 4, 5].map((id) => ({ entity: 'shopCustomer' as const, key: String(id) })),
        needs,
        earlierAt,
      );
      expect(five.views.size).toBe(5);
      expect([...five.views.values()].every((view) => (view.intent?.score ?? 0) > 0)).toBe(true); // each one's events were found
      expect(five.statements).toBe(one.statements);
      const byEntity = (list: SourceCall[]) => list.map((call) => call.entity).sort();
      expect(byEntity(calls)).toEqual(byEntity(oneCalls));
      // The e-mail links: one lookup by mailbox key on each side for the whole batch.
      const mailboxLookups = calls.filter((call) => call.statement.includes('SPLIT_PART'));
      expect(mailboxLookups.map((call) => call.entity).sort()).toEqual(['contact', 'shopCustomer']);
      // The intent aggregate: one per asOf (now, and just before the batch).
      expect(calls.filter((call) => call.entity === 'event')).toHaveLength(2);
    } finally {
      await runtime.close();
    }
  });
});
