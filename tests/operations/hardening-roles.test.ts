/**
 * Limits per role, through the authentication seam: the principal's role picks its
 * limits, and a role without its own entry gets `default`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let gateway: TestGateway;
const AGENT_KEY = 'agent-key-0123456789abcdef0123456789';
const ANALYST_KEY = 'analyst-key-0123456789abcdef01234567';

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 40 });
  const raw = {
    ...demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 }),
    privacy: {
      auth: {
        apiKeys: [
          { id: 'agent-1', sha256: sha256Hex(AGENT_KEY), role: 'agent' },
          { id: 'analyst-1', sha256: sha256Hex(ANALYST_KEY), role: 'analyst' },
        ],
      },
      auditKey: 'k'.repeat(40),
      audit: { store: 'memory' },
    },
    limits: { roles: { default: { maxPageSize: 5, maxAliases: 1 }, agent: { maxPageSize: 50 } } },
  };
  gateway = await startTestGateway(parseConfig(raw));
});

afterAll(async () => {
  await gateway?.stop();
  await seeded?.drop();
});

const PAGE = 'query($n: Int) { customers(first: $n) { edges { node { id } } } }';

describe('limits per role', () => {
  it('gives the agent role its own page size', async () => {
    const result = await gateway.query(PAGE, { n: 50 }, { headers: { 'x-api-key': AGENT_KEY } });
    expect(result.errors).toBeUndefined();
    expect((result.data?.customers as { edges: unknown[] }).edges).toHaveLength(40);
    const over = await gateway.query(PAGE, { n: 51 }, { headers: { 'x-api-key': AGENT_KEY } });
    expect(over.errors?.[0]?.message).toBe('"first" must be between 0 and 50');
  });

  it('gives a role without an entry the default limits', async () => {
    const atDefault = await gateway.query(PAGE, { n: 5 }, { headers: { 'x-api-key': ANALYST_KEY } });
    expect(atDefault.errors).toBeUndefined();
    const over = await gateway.query(PAGE, { n: 6 }, { headers: { 'x-api-key': ANALYST_KEY } });
    expect(over.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('merges a role over default: the agent keeps the default alias limit', async () => {
    const two = await gateway.query('{ customers(first: 1) { edges { node { a: id b: id } } } }', undefined, { headers: { 'x-api-key': AGENT_KEY } });
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 1 });
  });
});
