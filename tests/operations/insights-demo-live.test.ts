/** The demo as `npm start` serves it: generated up to now, so "now" has intent and window-shoppers. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 400, seed: 360, live: true });
  gateway = await startTestGateway(seeded.config());
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

describe('the live demo world', () => {
  it('is generated up to the moment it starts', () => {
    expect(Date.now() - Date.parse(seeded.world.asOf)).toBeLessThan(10 * 60_000);
    const lastEvent = Math.max(...seeded.world.events.map((event) => Date.parse(event.occurredAt)));
    expect(Date.now() - lastEvent).toBeLessThan(2 * 86_400_000);
  });

  it('shows intent levels above NONE and window-shoppers today, with no asOf given', async () => {
    const result = await gateway.query(`{ intentDistribution { levels { level shopAccounts } } segments { segment { id } customers } }`);
    expect(result.errors).toBeUndefined();
    const data = result.data as {
      intentDistribution: { levels: Array<{ level: string; shopAccounts: number }> };
      segments: Array<{ segment: { id: string }; customers: number }>;
    };
    const levels = Object.fromEntries(data.intentDistribution.levels.map((entry) => [entry.level, entry.shopAccounts]));
    expect(levels.HIGH! + levels.MEDIUM! + levels.LOW!).toBeGreaterThan(0);
    expect(levels.HIGH).toBeGreaterThan(0);
    expect(data.segments.find((summary) => summary.segment.id === 'window_shoppers')!.customers).toBeGreaterThan(0);
    expect(data.segments.find((summary) => summary.segment.id === 'champions')!.customers).toBeGreaterThan(0);
  }, 60_000);
});
