/**
 * The REST connector against the demo helpdesk over real HTTP: batching, key order,
 * pagination, mapping and what onCall reports.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { compileRestSource } from '../../connectors/rest/config.js';
import { createRestConnector, getRestStats } from '../../connectors/rest/connector.js';
import { demoRestRawConfig } from '../../src/demo/rest-config.js';
import { startHelpdeskServer } from '../../src/demo/helpdesk/server.js';
import type { HelpdeskServer } from '../../src/demo/helpdesk/server.js';
import { HELPDESK_TOKEN, TICKET_FIELDS, callRecorder, helpdeskConfig, makeTicket, ticketsOfCustomers } from '../support/rest-fixtures.js';

const customers = ticketsOfCustomers(50);
const paged = Array.from({ length: 7 }, (_, n) => makeTicket({ id: 500 + n, requesterEmail: 'many@example.com' }));
const rich = makeTicket({
  id: 900,
  requesterEmail: 'Rich@Example.com',
  status: 'solved',
  priority: 'urgent',
  channel: 'chat',
  solvedAt: '2024-03-03T12:00:00Z',
  satisfaction: 4,
  messages: [
    { id: 'm1', author: 'customer', body: 'Bonjour', createdAt: '2024-03-01T09:00:00Z' },
    { id: 'm2', author: 'agent', body: 'Réglé', createdAt: '2024-03-03T12:00:00Z' },
  ],
});

let server: HelpdeskServer;
const connectors: Connector[] = [];

function connector(...args: Parameters<typeof helpdeskConfig> extends [string, ...infer Rest] ? Rest : never): Connector {
  const created = createRestConnector(helpdeskConfig(server.url, ...args));
  connectors.push(created);
  return created;
}

function byEmail(keys: ReadonlyArray<string>, extra: Partial<LoadRequest> = {}): LoadRequest {
  return { entity: 'ticket', keyField: 'requesterEmail', keyMatch: 'caseInsensitive', keys, projection: TICKET_FIELDS, ...extra };
}

const signal = new AbortController().signal;

beforeAll(async () => {
  server = await startHelpdeskServer({ tickets: [...customers.tickets, ...paged, rich], token: HELPDESK_TOKEN });
});
afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await server.stop();
});
beforeEach(() => server.reset());

describe('REST connector on the demo helpdesk', () => {
  it('fetches the tickets of 50 customers in ceil(50 / maxKeys) calls, not 50', async () => {
    const recorder = callRecorder();
    const rest = connector({ endpoint: { batch: { maxKeys: 20, separator: ',' } } });
    const result = await rest.load(byEmail(customers.emails), { signal, onCall: recorder.onCall });

    expect(server.counters.byRoute['GET /api/v2/tickets']).toBe(3);
    expect(recorder.calls).toHaveLength(3);
    expect(result).toHaveLength(50);
    result.forEach((rows, index) => expect(rows).toHaveLength(index % 3));
    expect(result.flat().length).toBe(customers.tickets.length);
  });

  it('reports statements with the number of keys and no email', async () => {
    const recorder = callRecorder();
    await connector({ endpoint: { batch: { maxKeys: 20, separator: ',' } } }).load(byEmail(customers.emails), { signal, onCall: recorder.onCall });

    expect(recorder.calls.map((call) => call.statement).sort()).toEqual([
      'GET /api/v2/tickets?requester_emails=<10 keys>&page=1&per_page=100',
      'GET /api/v2/tickets?requester_emails=<20 keys>&page=1&per_page=100',
      'GET /api/v2/tickets?requester_emails=<20 keys>&page=1&per_page=100',
    ]);
    for (const call of recorder.calls) {
      expect(call).toMatchObject({ source: 'helpdesk', entity: 'ticket' });
      expect(call.statement).not.toContain('@');
      expect(call.statement).not.toContain(HELPDESK_TOKEN);
    }
    expect(recorder.calls.reduce((sum, call) => sum + call.rows, 0)).toBe(customers.tickets.length);
  });

  it('returns one result per key in key order, [] for unknown emails, matching case and spaces', async () => {
    const keys = ['customer2@example.com', 'nobody@example.com', 'customer1@example.com', 'rich@example.com', 'customer2@example.com'];
    const result = await connector().load(byEmail(keys), { signal });

    expect(result.map((rows) => rows.length)).toEqual([2, 0, 1, 1, 2]);
    expect(result[3]?.[0]?.requesterEmail).toBe('Rich@Example.com');
    // customer5 typed its email once in capitals with spaces: still found.
    const [five] = await connector().load(byEmail(['customer5@example.com']), { signal });
    expect(five?.map((row) => row.requesterEmail)).toEqual([' CUSTOMER5@EXAMPLE.COM ', 'customer5@example.com']);
  });

  it('maps a ticket onto the canonical fields, with enums renamed and messages reshaped', async () => {
    const [[ticket]] = (await connector().load(byEmail(['rich@example.com']), { signal })) as [[Record<string, unknown>]];
    expect(ticket).toEqual({
      id: '900',
      requesterEmail: 'Rich@Example.com',
      subject: 'Ticket 900',
      status: 'SOLVED',
      priority: 'URGENT',
      channel: 'chat',
      createdAt: '2024-03-01T09:00:00Z',
      updatedAt: '2024-03-02T10:00:00Z',
      solvedAt: '2024-03-03T12:00:00Z',
      satisfaction: 4,
      messages: [
        { id: 'm1', author: 'customer', body: 'Bonjour', createdAt: '2024-03-01T09:00:00Z' },
        { id: 'm2', author: 'agent', body: 'Réglé', createdAt: '2024-03-03T12:00:00Z' },
      ],
    });
  });

  it('follows page numbers to the end of the matching tickets', async () => {
    const recorder = callRecorder();
    const rest = connector({ endpoint: { pagination: { style: 'page', perPage: 3, hasMorePath: 'next_page' } } });
    const [rows] = await rest.load(byEmail(['many@example.com']), { signal, onCall: recorder.onCall });

    expect(rows?.map((row) => row.id)).toEqual(['500', '501', '502', '503', '504', '505', '506']);
    expect(server.counters.byRoute['GET /api/v2/tickets']).toBe(3);
    expect(recorder.calls.map((call) => call.rows)).toEqual([3, 3, 1]);
  });

  it('follows next-page URLs as cursors', async () => {
    const rest = connector({
      endpoint: { query: { requester_emails: '{keys}', per_page: '{perPage}' }, pagination: { style: 'cursor', perPage: 2, cursorPath: 'next_page' } },
    });
    const [rows] = await rest.load(byEmail(['many@example.com']), { signal });
    expect(rows).toHaveLength(7);
    expect(server.counters.byRoute['GET /api/v2/tickets']).toBe(4);
  });

  it('batches through a read-only POST search with the keys in its body', async () => {
    const recorder = callRecorder();
    const rest = connector({
      endpoint: {
        method: 'POST',
        path: '/api/v2/tickets/search',
        query: {},
        body: { requester_emails: '{keys}', page: '{page}', per_page: '{perPage}' },
        idempotent: true,
        batch: { maxKeys: 25, separator: ',' },
        pagination: { style: 'page', perPage: 100 },
      },
    });
    const result = await rest.load(byEmail(customers.emails), { signal, onCall: recorder.onCall });
    expect(result.flat()).toHaveLength(customers.tickets.length);
    expect(server.counters.byRoute['POST /api/v2/tickets/search']).toBe(2);
    expect(recorder.calls[0]?.statement).toBe('POST /api/v2/tickets/search {"requester_emails":["<25 keys>"],"page":1,"per_page":100}');
  });

  it('applies projection, eq filters and limitPerKey after the fetch', async () => {
    const [rows] = await connector().load(
      byEmail(['many@example.com'], {
        projection: ['id'],
        filter: { op: 'in', field: 'id', values: ['501', '503', '505'] },
        orderBy: [{ field: 'id', direction: 'DESC' }],
        limitPerKey: 2,
      }),
      { signal },
    );
    expect(rows).toEqual([{ id: '505' }, { id: '503' }]);
  });

  it('looks an entity up through the endpoint whose keyField the request names', async () => {
    const raw = demoRestRawConfig({ helpdeskUrl: server.url, helpdeskToken: HELPDESK_TOKEN, registryUrl: 'http://127.0.0.1:1' });
    const { endpoint, ...ticket } = raw.entities.ticket;
    const byId = { ...endpoint, query: { ids: '{keys}' }, pagination: { style: 'none' as const }, keyField: 'id', keyMatch: 'exact' as const };
    const rest = createRestConnector(compileRestSource('helpdesk', raw.sources.helpdesk, { ticket: { ...ticket, endpoints: [endpoint, byId] } }));
    connectors.push(rest);

    const result = await rest.load(
      { entity: 'ticket', keyField: 'id', keyMatch: 'exact', keys: ['900', '1', '500'], projection: ['id', 'subject'] },
      { signal },
    );
    expect(result).toEqual([[{ id: '900', subject: 'Ticket 900' }], [], [{ id: '500', subject: 'Ticket 500' }]]);
    const [rows] = await rest.load(byEmail(['rich@example.com'], { projection: ['id'] }), { signal });
    expect(rows).toEqual([{ id: '900' }]);
  });

  it('refuses what it did not declare, by name', async () => {
    const rest = connector();
    await expect(rest.load(byEmail(['a@b.c'], { filter: { op: 'range', field: 'createdAt', gte: '2024' } }), { signal })).rejects.toMatchObject({
      name: 'UnsupportedRequestError',
    });
    await expect(rest.load({ ...byEmail(['1']), keyField: 'id' }, { signal })).rejects.toMatchObject({ name: 'UnsupportedRequestError' });
    // Scan only through the mapping's follow endpoint, and only in its shape (oldest first, a range on its time).
    expect(rest.capabilities).toMatchObject({ scan: true, aggregate: false, maxBatchSize: 50, filter: { operators: ['eq', 'in'] } });
    const newest = { entity: 'ticket', projection: ['id'], orderBy: [{ field: 'createdAt', direction: 'DESC' as const }], limit: 1 };
    await expect(rest.scan!(newest, { signal })).rejects.toMatchObject({ name: 'UnsupportedRequestError' });
    await expect(
      rest.scan!({ ...newest, orderBy: [{ field: 'createdAt', direction: 'ASC' }], filter: { op: 'eq', field: 'status', value: 'OPEN' } }, { signal }),
    ).rejects.toMatchObject({ name: 'UnsupportedRequestError' });
    expect(server.counters.total).toBe(0);
  });

  it("follows tickets from a time on, oldest first, reading pages until no ticket of the limit's instant is cut off, ties by numeric id", async () => {
    const recorder = callRecorder();
    const all = [...customers.tickets, ...paged, rich];
    const since = '2024-03-01T09:00:00Z'; // every fixture ticket was created then: one instant, so every page is read
    const rows = await connector().scan!(
      {
        entity: 'ticket',
        projection: ['id', 'createdAt'],
        filter: { op: 'range', field: 'createdAt', gte: since },
        orderBy: [
          { field: 'createdAt', direction: 'ASC' },
          { field: 'id', direction: 'ASC' },
        ],
        limit: 3,
      },
      { signal, onCall: recorder.onCall },
    );
    const ids = all
      .filter((ticket) => ticket.createdAt >= since)
      .map((ticket) => ticket.id)
      .sort((a, b) => a - b);
    expect(rows.map((row) => Number(row.id))).toEqual(ids.slice(0, 3));
    expect(recorder.calls.map((call) => call.statement)).toEqual(
      Array.from({ length: Math.ceil(ids.length / 100) }, (_, page) =>
        page === 0 ? 'GET /api/v2/tickets?created_since=<since>&page=1&per_page=100' : `GET /api/v2/tickets (page ${page + 1})`,
      ),
    );
  });

  it('sends the bearer token, and a wrong one is SOURCE_UNAVAILABLE without retries', async () => {
    await expect(connector({ token: 'wrong' }).load(byEmail(['rich@example.com']), { signal })).rejects.toMatchObject({
      name: 'SourceError',
      code: 'SOURCE_UNAVAILABLE',
      source: 'helpdesk',
      message: expect.stringContaining('refused our credentials') as unknown as string,
    });
    expect(server.counters.byStatus['401']).toBe(1);
  });

  it('checks the mapping with one call per endpoint and per follow endpoint and reports paths absent from the reply', async () => {
    const recorder = callRecorder();
    const rest = connector({ endpoint: { probeKey: 'rich@example.com' }, fields: { subject: 'title', channel: 'via.channel' } });
    const problems = await rest.checkMapping({ signal, onCall: recorder.onCall });
    expect(problems).toEqual([
      { entity: 'ticket', field: 'subject', message: expect.stringContaining('path "title" is absent from all') as unknown as string },
      // The endpoint without probeKey is called all the same: reachable, nothing to verify paths against.
      {
        entity: 'ticket',
        field: 'endpoint',
        severity: 'warning',
        message:
          'GET /api/v2/tickets?status=<1 keys>&page=1&per_page=100 (no probeKey) answered with no item: reachable, but the mapped paths were not verified (set probeKey to a key that exists)',
      },
      // The follow endpoint is called too, for its first page from the epoch: the same path is absent from its items.
      {
        entity: 'ticket',
        field: 'subject',
        message:
          'path "title" is absent from all 57 items of GET /api/v2/tickets?created_since=<since>&page=1&per_page=100 (follow, since 1970-01-01T00:00:00.000Z)',
      },
    ]);
    expect(recorder.calls).toHaveLength(3);
    expect(recorder.calls[2]?.statement).toBe('GET /api/v2/tickets?created_since=<since>&page=1&per_page=100');
  });

  it('answers health from a ping of the base URL and counts its calls in stats', async () => {
    const rest = connector();
    await expect(rest.health(signal)).resolves.toMatchObject({ state: 'up' });
    await rest.load(byEmail(['rich@example.com']), { signal });
    expect(getRestStats(rest)).toMatchObject({ calls: 1, retries: 0, breakerState: 'closed', cacheHits: 0 });
  });
});
