/**
 * A REST source's breaker shared by two replicas through Redis: once it opens on one,
 * the other refuses calls with CIRCUIT_OPEN without calling the failing source, and both
 * call it again once halfOpenAfterMillis has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { createRestConnector, getRestStats } from '../../connectors/rest/connector.js';
import { startHelpdeskServer, type HelpdeskServer } from '../../src/demo/helpdesk/server.js';
import { openRedis, type RedisConnection } from '../../src/state/redis-connection.js';
import { createRedisStore } from '../../src/state/redis-store.js';
import { HELPDESK_TOKEN, TICKET_FIELDS, helpdeskConfig, makeTicket } from '../support/rest-fixtures.js';
import { capturingLogger, dropKeys, redisConfig, uniqueKeyPrefix, waitUntil } from '../support/redis.js';

const prefix = uniqueKeyPrefix('breaker');
const signal = new AbortController().signal;
const request: LoadRequest = {
  entity: 'ticket',
  keyField: 'requesterEmail',
  keyMatch: 'caseInsensitive',
  keys: ['alice@example.com'],
  projection: TICKET_FIELDS,
};
let server: HelpdeskServer;
const connections: RedisConnection[] = [];
const connectors: Connector[] = [];

function replica(): Connector {
  const connection = openRedis(redisConfig(prefix), capturingLogger().logger);
  connections.push(connection);
  const connector = createRestConnector(
    helpdeskConfig(server.url, { source: { retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMillis: 1_500 } } }),
    createRedisStore(connection),
  );
  connectors.push(connector);
  return connector;
}

beforeAll(async () => {
  server = await startHelpdeskServer({ tickets: [makeTicket({ id: 1, requesterEmail: 'alice@example.com' })], token: HELPDESK_TOKEN });
});

afterAll(async () => {
  await Promise.all(connectors.map((connector) => connector.close()));
  await Promise.all(connections.map((connection) => connection.close()));
  await server.stop();
  await dropKeys(prefix);
});

describe('a circuit breaker shared in Redis', () => {
  it('opens on the replica that saw the failures, and the other refuses without calling', async () => {
    const a = replica();
    const b = replica();
    await waitUntil(() => connections.every((connection) => connection.available));
    // B reads the shared state once while all is well (its copy is refreshed in the background).
    expect((await b.load(request, { signal })).flat()).toHaveLength(1);
    server.knobs.errorRate = 1;
    for (let n = 0; n < 2; n++) await expect(a.load(request, { signal })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(getRestStats(a)?.breakerState).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const callsBefore = server.counters.total;
    // The first call after the refresh interval starts a refresh; the next ones see it.
    await b.load(request, { signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const callsAfterRefresh = server.counters.total;
    await expect(b.load(request, { signal })).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', source: 'helpdesk' });
    expect(server.counters.total).toBe(callsAfterRefresh);
    expect(callsAfterRefresh - callsBefore).toBeLessThanOrEqual(1);
    expect(getRestStats(b)?.breakerState).toBe('closed');

    server.knobs.errorRate = 0;
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await b.load(request, { signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await b.load(request, { signal })).flat()).toHaveLength(1);
  });
});
