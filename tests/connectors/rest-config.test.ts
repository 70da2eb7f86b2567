/** The REST config: defaults, and every problem reported with its path in c360.yaml. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { RestConfigError, compileRestSource, parseRestSource } from '../../connectors/rest/config.js';
import { demoRestRawConfig } from '../../src/demo/rest-config.js';

const demo = demoRestRawConfig({ helpdeskUrl: 'http://127.0.0.1:4010', helpdeskToken: 't', registryUrl: 'https://recherche-entreprises.api.gouv.fr' });

function problemsOf(source: unknown, entities: Record<string, unknown>): ReadonlyArray<{ path: string; message: string }> {
  const result = parseRestSource('helpdesk', source, entities);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((problem) => ({ path: problem.path.join('.'), message: problem.message }));
}

describe('REST source config', () => {
  it('compiles the demo mapping with its defaults', () => {
    const helpdesk = compileRestSource('helpdesk', demo.sources.helpdesk, { ticket: demo.entities.ticket });
    expect(helpdesk).toMatchObject({ cache: null, rateLimit: null, attemptTimeoutMillis: 3_000, maxConcurrency: 4 });
    expect(helpdesk.entities[0]?.endpoints[0]).toMatchObject({
      method: 'GET',
      idempotent: true,
      batch: { maxKeys: 50, separator: ',' },
      keyMatch: 'caseInsensitive',
    });

    const registry = compileRestSource('registry', demo.sources.registry, { company: demo.entities.company });
    expect(registry).toMatchObject({ cache: { ttlSeconds: 86_400, maxEntries: 10_000 }, rateLimit: { requestsPerSecond: 7, burst: 1 } });
  });

  it('fills retry and breaker defaults when the source leaves them out', () => {
    const config = compileRestSource('helpdesk', { kind: 'rest', baseUrl: 'http://127.0.0.1:1/', retry: { maxAttempts: 2 } }, {});
    expect(config).toMatchObject({
      baseUrl: 'http://127.0.0.1:1',
      timeoutMillis: 5_000,
      retry: { maxAttempts: 2, initialDelayMillis: 100, maxDelayMillis: 2_000 },
      circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMillis: 10_000 },
    });
  });

  it('reports every problem at once, each with its path', () => {
    const ticket = demo.entities.ticket;
    const problems = problemsOf(
      { ...demo.sources.helpdesk, timeoutMilis: 10, baseUrl: 'ftp://x' },
      {
        ticket: {
          ...ticket,
          endpoint: { ...ticket.endpoint, query: { emails: '{emails}' }, list: 'tickets..all' },
          fields: { ...ticket.fields, stauts: 'status', status: { path: 'status', values: { open: 'OPENED' } } },
        },
      },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'sources.helpdesk', message: expect.stringContaining('timeoutMilis') as unknown as string },
        { path: 'sources.helpdesk.baseUrl', message: 'expected an http:// or https:// URL' },
        { path: 'entities.ticket.endpoint.list', message: expect.stringContaining('invalid JSON path') as unknown as string },
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('checks fields against the canonical model', () => {
    const ticket = demo.entities.ticket;
    const { requesterEmail: _left, ...fields } = ticket.fields;
    const problems = problemsOf(demo.sources.helpdesk, {
      ticket: { ...ticket, fields: { ...fields, stauts: 'status', status: { path: 'status', values: { open: 'OPENED' } } } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'entities.ticket.fields.stauts', message: expect.stringContaining('no canonical field "stauts"') as unknown as string },
        { path: 'entities.ticket.fields.status.values.open', message: '"OPENED" is not one of OPEN, PENDING, SOLVED, CLOSED' },
        { path: 'entities.ticket.fields', message: 'the required field "requesterEmail" is not mapped' },
      ]),
    );
  });

  it('refuses templates that cannot work', () => {
    const ticket = demo.entities.ticket;
    const problems = problemsOf(demo.sources.helpdesk, {
      ticket: { ...ticket, endpoint: { ...ticket.endpoint, query: { emails: '{email}', page: '{page}' } } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'entities.ticket.endpoint', message: expect.stringContaining('unknown placeholder {email}') as unknown as string },
        { path: 'entities.ticket.endpoint.batch', message: 'a batched endpoint takes {keys} in its path, query or body' },
      ]),
    );
  });

  it('throws one RestConfigError listing the problems', () => {
    expect(() => compileRestSource('helpdesk', { kind: 'rest' }, {})).toThrow(RestConfigError);
  });

  it('accepts the YAML of docs/rest-mapping.md, demo and production variants', async () => {
    const markdown = await readFile(new URL('../../docs/rest-mapping.md', import.meta.url), 'utf8');
    const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (match) => parse(match[1] ?? '') as { sources: Record<string, unknown>; entities?: Record<string, { source: string }> },
    );
    expect(blocks).toHaveLength(2);
    const [demoYaml, production] = blocks;
    const entitiesOf = (source: string) => Object.fromEntries(Object.entries(demoYaml?.entities ?? {}).filter(([, entity]) => entity.source === source));
    for (const yaml of [demoYaml, production]) {
      for (const [name, source] of Object.entries(yaml?.sources ?? {})) {
        const result = parseRestSource(name, source, entitiesOf(name));
        expect(result).toMatchObject({ ok: true, config: { entities: [{ entity: name === 'helpdesk' ? 'ticket' : 'company' }] } });
      }
    }
  });
});
