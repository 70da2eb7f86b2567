/**
 * The company mapping against the demo registry (shaped like recherche-entreprises):
 * the real API's field names, its 7 requests per second, and the reply cache.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Connector, LoadRequest } from '../../connectors/contract.js';
import { createRestConnector, getRestStats } from '../../connectors/rest/connector.js';
import { startRegistryServer } from '../../src/demo/registry/server.js';
import type { RegistryServer } from '../../src/demo/registry/server.js';
import { COMPANY_FIELDS, callRecorder, companies, elapsedSince, makeCompany, registryConfig } from '../support/rest-fixtures.js';

const closed = makeCompany({
  siren: '401234567',
  legalName: 'ANCIENNE BRASSERIE SARL',
  nafCode: '56.10A',
  state: 'C',
  closedDate: '2021-06-30',
  address: { street: '3 AVENUE FOCH', postcode: '69006', city: 'LYON' },
});
const open = makeCompany();
const many = companies(20);
const signal = new AbortController().signal;

let server: RegistryServer;
const connectors: Connector[] = [];

function connector(source: Parameters<typeof registryConfig>[1] = {}): Connector {
  const created = createRestConnector(registryConfig(server.url, source));
  connectors.push(created);
  return created;
}

function bySiren(keys: ReadonlyArray<string>, projection: ReadonlyArray<string> = COMPANY_FIELDS): LoadRequest {
  return { entity: 'company', keyField: 'siren', keyMatch: 'exact', keys, projection };
}

beforeAll(async () => {
  server = await startRegistryServer({ companies: [open, closed, ...many] });
});
afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await server.stop();
});
beforeEach(async () => {
  // Let the registry's sliding second forget the previous test.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  server.reset();
});

describe('REST connector on the demo company registry', () => {
  it('answers GET /search with the field names of the real API', async () => {
    const response = await fetch(`${server.url}/search?q=${closed.siren}&page=1&per_page=1`);
    const body = (await response.json()) as { results: Array<Record<string, unknown>>; total_results: number; total_pages: number };
    expect(body).toMatchObject({ total_results: 1, page: 1, per_page: 1, total_pages: 1 });
    expect(body.results[0]).toMatchObject({
      siren: '401234567',
      nom_complet: 'ANCIENNE BRASSERIE SARL',
      etat_administratif: 'C',
      date_fermeture: '2021-06-30',
      activite_principale: '56.10A',
      siege: { siret: '40123456700013', code_postal: '69006', libelle_commune: 'LYON', numero_voie: '3', type_voie: 'AV', libelle_voie: 'FOCH' },
      dirigeants: [{ nom: 'MARTIN', prenoms: 'Claire', qualite: 'Gérant', type_dirigeant: 'personne physique' }],
      finances: { '2023': { ca: 4_200_000, resultat_net: 150_000 } },
    });
    expect((await fetch(`${server.url}/search`)).status).toBe(400);
  });

  it('maps companies, closed ones included, and [] for an unknown SIREN', async () => {
    const result = await connector().load(bySiren([closed.siren, '999999999', open.siren]), { signal });
    expect(result.map((rows) => rows.length)).toEqual([1, 0, 1]);
    expect(result[0]?.[0]).toEqual({
      siren: '401234567',
      siret: '40123456700013',
      legalName: 'ANCIENNE BRASSERIE SARL',
      nafCode: '56.10A',
      nafLabel: 'Restauration traditionnelle',
      headcountBand: '12',
      creationDate: '2009-05-14',
      state: 'CLOSED',
      closedDate: '2021-06-30',
      street: '3 AV FOCH',
      postcode: '69006',
      city: 'LYON',
      executives: [{ firstName: 'Claire', lastName: 'MARTIN', role: 'Gérant' }],
      finances: [
        { year: 2022, revenue: 3_900_000, netIncome: 120_000 },
        { year: 2023, revenue: 4_200_000, netIncome: 150_000 },
      ],
    });
    expect(result[2]?.[0]?.state).toBe('ACTIVE');
  });

  it('is slowed, not failed, by 429s: 20 lookups without a client-side limit all succeed', async () => {
    const rest = connector({
      rateLimit: undefined,
      cache: undefined,
      maxConcurrency: 8,
      retry: { maxAttempts: 6, initialDelayMillis: 50, maxDelayMillis: 500 },
    });
    const startedAt = performance.now();
    const result = await rest.load(
      bySiren(
        many.map((company) => company.siren),
        ['siren'],
      ),
      { signal },
    );

    expect(result.map((rows) => rows[0]?.siren)).toEqual(many.map((company) => company.siren));
    expect(server.counters.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(getRestStats(rest)?.rateLimitedReplies).toBe(server.counters.byStatus['429']);
    // 20 calls at 7 per second cannot end within the first two seconds.
    expect(elapsedSince(startedAt)).toBeGreaterThanOrEqual(2_000);
  });

  it('paces calls at 7 per second with the client-side rate limit', async () => {
    const recorder = callRecorder();
    const rest = connector({ cache: undefined });
    const startedAt = performance.now();
    const result = await rest.load(
      bySiren(
        many.slice(0, 15).map((company) => company.siren),
        ['siren'],
      ),
      { signal, onCall: recorder.onCall },
    );

    expect(result.every((rows) => rows.length === 1)).toBe(true);
    // 15 calls evenly spaced at 1/7 s: at least 14/7 s.
    expect(elapsedSince(startedAt)).toBeGreaterThanOrEqual(1_950);
    expect(getRestStats(rest)?.rateLimitWaitMillis).toBeGreaterThan(1_500);
    expect(recorder.calls.every((call) => call.statement === 'GET /search?q=<key>&page=1&per_page=5')).toBe(true);
  });

  it('answers a repeated lookup from the cache without calling', async () => {
    const rest = connector();
    await rest.load(bySiren([open.siren]), { signal });
    const callsAfterFirst = server.counters.total;
    const [rows] = await rest.load(bySiren([open.siren]), { signal });

    expect(rows?.[0]?.siren).toBe(open.siren);
    expect(server.counters.total).toBe(callsAfterFirst);
    expect(getRestStats(rest)).toMatchObject({ cacheHits: 1, cacheMisses: 1, cacheEntries: 1, calls: 1 });
  });

  it('calls again once the cached reply is older than ttlSeconds', async () => {
    const rest = connector({ cache: { ttlSeconds: 0.2, maxEntries: 10 } });
    await rest.load(bySiren([open.siren]), { signal });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await rest.load(bySiren([open.siren]), { signal });
    expect(server.counters.total).toBe(2);
  });

  it('turns a field of the wrong type into SOURCE_BAD_RESPONSE naming the path, and does not cache that reply', async () => {
    server.knobs.malformedRate = 1;
    server.knobs.malformedKind = 'wrongType';
    const rest = connector();
    await expect(rest.load(bySiren([open.siren]), { signal })).rejects.toMatchObject({
      code: 'SOURCE_BAD_RESPONSE',
      source: 'registry',
      path: '$.results[0].date_creation',
    });
    server.knobs.malformedRate = 0;
    const [rows] = await rest.load(bySiren([open.siren]), { signal });
    expect(rows).toHaveLength(1);
    expect(server.counters.total).toBe(2);
  });
});
