/**
 * Golden operations: each tests/operations/golden/NAME.graphql runs against a seeded demo
 * world and must give NAME.json: the data, the errors, and the SQL each source was sent
 * (sorted, without timings), so that a change in behaviour or in statements shows in review.
 * UPDATE_GOLDEN=1 rewrites the files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const dir = new URL('./golden/', import.meta.url).pathname;
const operations = readdirSync(dir)
  .filter((name) => name.endsWith('.graphql'))
  .sort();

let seeded: SeededWorld;
let gateway: TestGateway;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 120, seed: 2026 });
  gateway = await startTestGateway(seeded.config());
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

describe('golden operations', () => {
  it.each(operations)('%s', async (name) => {
    const query = readFileSync(join(dir, name), 'utf8');
    const result = await gateway.query(query, {}, { trace: true });
    const actual = {
      data: result.data ?? null,
      errors: result.errors ?? [],
      statements: (result.extensions?.trace ?? []).map((call) => `${call.source}.${call.entity}: ${call.statement}`).sort(),
    };
    const file = join(dir, name.replace(/\.graphql$/, '.json'));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
