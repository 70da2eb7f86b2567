import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { reserveMillisOf } from '../../src/gateway/deadline-reserve.js';

const VALID = `
sources:
  crm:
    kind: postgres
    url: postgres://postgres:\${CRM_PASSWORD}@127.0.0.1:5432/crm
  shop:
    kind: mysql
    url: mysql://root@127.0.0.1:3306/shop
    pool: { max: 4 }
    timeoutMillis: 2000
entities:
  contact:
    source: crm
    table: res_partner
    where: { active: true }
    fields:
      id: id
      email: email
      kind: { column: company_type, values: { person: PERSON, company: COMPANY } }
      country: { const: FR }
  order:
    source: shop
    table: ps_orders
    key: id
    fields:
      id: id_order
      customerId: id_customer
`;

function problemsOf(text: string, env: Record<string, string> = { CRM_PASSWORD: 'secret' }) {
  try {
    parseConfigText(text, env, 'c360.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    return configError.problems;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseConfig', () => {
  it('compiles a valid mapping with env interpolation, enum values, constants and static conditions', () => {
    const config = parseConfigText(VALID, { CRM_PASSWORD: 's3cr3t' });
    const crm = config.sources.crm!;
    if (crm.kind === 'rest') throw new Error('expected a SQL source');
    expect(crm.url).toBe('postgres://postgres:s3cr3t@127.0.0.1:5432/crm');
    expect(crm.poolMax).toBe(10);
    expect(config.sources.shop!.timeoutMillis).toBe(2000);
    const contact = crm.entities.find((e) => e.entity === 'contact')!;
    expect(contact.table).toBe('res_partner');
    expect(contact.where).toEqual([{ column: 'active', op: 'eq', value: true }]);
    expect(contact.fields.kind).toEqual({
      kind: 'column',
      column: 'company_type',
      type: 'string',
      values: { person: 'PERSON', company: 'COMPANY' },
      enum: { canonical: ['PERSON', 'COMPANY'], open: false },
    });
    expect(contact.fields.country).toEqual({ kind: 'const', value: 'FR', type: 'string' });
    expect(config.entities.order?.source).toBe('shop');
    expect([...config.entities.contact!.fields].sort()).toEqual(['country', 'email', 'id', 'kind']);
    expect(config.identity.defaultRegion).toBe('FR');
  });

  it('reports a typo in a key with its path, its line and a suggestion', () => {
    const problems = problemsOf(VALID.replace('entities:', 'entites:'));
    expect(problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'entites', message: expect.stringContaining('did you mean "entities"') })]),
    );
    expect(problems.find((p) => p.path === 'entites')?.line).toBe(11);
  });

  it('reports a missing environment variable at the path that uses it', () => {
    const problems = problemsOf(VALID, {});
    expect(problems).toEqual([{ path: 'sources.crm.url', message: 'environment variable CRM_PASSWORD is not set', line: 5 }]);
  });

  it('reports an unknown source, an unknown field and a missing required field all at once', () => {
    const broken = VALID.replace('source: shop\n    table: ps_orders', 'source: shopp\n    table: ps_orders').replace(
      '      id: id\n      email: email',
      '      emial: email',
    );
    const problems = problemsOf(broken);
    expect(problems.map((p) => p.path).sort()).toEqual(['entities.contact.fields.emial', 'entities.contact.fields.id', 'entities.order.source']);
    expect(problems.find((p) => p.path === 'entities.order.source')?.message).toContain('unknown source "shopp"');
    expect(problems.find((p) => p.path === 'entities.contact.fields.emial')?.message).toContain('did you mean "email"');
    expect(problems.find((p) => p.path === 'entities.contact.fields.id')?.message).toContain('required field "id"');
  });

  it('refuses an enum value mapped to a value the canonical model does not know', () => {
    const problems = problemsOf(VALID.replace('company: COMPANY', 'company: FIRM'));
    expect(problems).toEqual([
      expect.objectContaining({ path: 'entities.contact.fields.kind.values.company', message: expect.stringContaining('PERSON, COMPANY') }),
    ]);
  });

  it('refuses an unknown source kind, a bad URL and an out-of-range pool', () => {
    const problems = problemsOf(
      VALID.replace('kind: mysql', 'kind: oracle').replace('url: postgres://', 'url: http://').replace('pool: { max: 4 }', 'pool: { max: 0 }'),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['sources.crm.url', 'sources.shop.kind']);
    const pool = problemsOf(VALID.replace('pool: { max: 4 }', 'pool: { max: 0 }'));
    expect(pool.map((p) => p.path)).toEqual(['sources.shop.pool.max']);
  });

  it('refuses a deadline reserve that is not below the request deadline, and defaults it to a quarter', () => {
    const problems = problemsOf(`${VALID}limits:\n  requestDeadlineMillis: 4000\n  deadlineReserveMillis: 4000\n`);
    expect(problems).toEqual([
      expect.objectContaining({ path: 'limits.deadlineReserveMillis', message: expect.stringContaining('below requestDeadlineMillis') }),
    ]);
    const config = parseConfigText(`${VALID}limits:\n  requestDeadlineMillis: 4000\n`, { CRM_PASSWORD: 'secret' }, 'c360.yaml');
    expect(reserveMillisOf(config.limits!)).toBe(1000);
    const set = parseConfigText(`${VALID}limits:\n  requestDeadlineMillis: 4000\n  deadlineReserveMillis: 500\n`, { CRM_PASSWORD: 'secret' }, 'c360.yaml');
    expect(reserveMillisOf(set.limits!)).toBe(500);
  });

  it('refuses an entity the canonical model does not have', () => {
    const problems = problemsOf(VALID.replace('  order:\n', '  orders:\n'));
    expect(problems).toEqual([expect.objectContaining({ path: 'entities.orders', message: expect.stringContaining('unknown entity "orders"') })]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('sources:\n  crm: [unclosed\n');
    expect(problems[0]?.message).toMatch(/^YAML: /);
    expect(problems[0]?.line).toBeGreaterThan(0);
  });
});

const REST = `${VALID}
  ticket:
    source: helpdesk
    endpoint:
      path: /api/v2/tickets
      query: { requester_emails: "{keys}" }
      batch: { maxKeys: 50 }
      list: tickets
      keyField: requesterEmail
      keyMatch: caseInsensitive
    fields:
      id: id
      requesterEmail: requester.email
      status: { path: status, values: { open: OPEN, solved: SOLVED } }
`.replace(
  'entities:\n',
  `  helpdesk:
    kind: rest
    baseUrl: http://127.0.0.1:9000
    timeoutMillis: 3000
    headers: { Authorization: "Bearer \${HELPDESK_TOKEN}" }
entities:
`,
);

describe('parseConfig: the entity key and the identity hints', () => {
  const lines = (text: string) => problemsOf(text).map((problem) => `${problem.path}: ${problem.message}`);
  const product = (fields: string) => `
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop" }
entities:
  product:
    source: shop
    table: products
    key: sku
    fields: ${fields}
`;

  it("reads id from the key's column, so every resolver reading ids reads the key", () => {
    const config = parseConfigText(product('{ sku: reference, name: title }'), {});
    const source = config.sources.shop;
    const mapping = source?.kind === 'mysql' ? source.entities[0] : undefined;
    expect(mapping?.key).toBe('sku');
    expect(mapping?.fields.id).toEqual({ kind: 'column', column: 'reference', type: 'string' });
  });

  it('refuses an id mapped to another column than the key, and a key that is a constant', () => {
    expect(lines(product('{ id: id_product, sku: reference }'))).toEqual([
      expect.stringContaining('entities.product.fields.id: "id" is mapped to another column than the key "sku" (reference)'),
    ]);
    expect(lines(product('{ sku: { const: X } }'))).toEqual([
      'entities.product.key: the key "sku" must be mapped to a column, not a constant',
      expect.stringContaining('required field "id" of product is not mapped (nor its key "sku")'),
    ]);
  });

  it('hints from the keys allowed where a word stands: identity under a source is no typo of identity', () => {
    const problems = lines(`
sources:
  shop: { kind: mysql, url: "mysql://root@127.0.0.1:3306/shop", identity: { defaultRegion: FR }, timeoutMilis: 10 }
entities: {}
`);
    expect(problems).toEqual([
      'sources.shop.identity: unknown key "identity"',
      'sources.shop.timeoutMilis: unknown key "timeoutMilis" (did you mean "timeoutMillis"?)',
    ]);
  });
});

describe('parseConfig with REST sources', () => {
  const env = { CRM_PASSWORD: 'secret', HELPDESK_TOKEN: 't0k3n' };

  it('compiles a REST source and the entities mapped onto it', () => {
    const config = parseConfigText(REST, env);
    const helpdesk = config.sources.helpdesk!;
    if (helpdesk.kind !== 'rest') throw new Error('expected a REST source');
    expect(helpdesk.baseUrl).toBe('http://127.0.0.1:9000');
    expect(helpdesk.headers).toEqual({ Authorization: 'Bearer t0k3n' });
    expect(helpdesk.entities.map((e) => e.entity)).toEqual(['ticket']);
    expect(helpdesk.entities[0]?.endpoints[0]).toMatchObject({ keyField: 'requesterEmail', keyMatch: 'caseInsensitive', batch: { maxKeys: 50 } });
    expect(config.entities.ticket).toMatchObject({ source: 'helpdesk', key: 'id' });
    expect([...config.entities.ticket!.fields].sort()).toEqual(['id', 'requesterEmail', 'status']);
  });

  it('reports a typo in a REST source with its path, line and a suggestion', () => {
    const problems = problemsOf(REST.replace('timeoutMillis: 3000\n    headers', 'timeoutMilis: 3000\n    headers'), env);
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'sources.helpdesk.timeoutMilis',
        message: expect.stringContaining('did you mean "timeoutMillis"'),
        line: expect.any(Number),
      }),
    ]);
  });

  it('reports a typo in a REST endpoint key at its path', () => {
    const problems = problemsOf(REST.replace('batch: { maxKeys: 50 }', 'batch: { maxKeys: 50, maxkeys: 2 }'), env);
    expect(problems).toEqual([
      expect.objectContaining({ path: 'entities.ticket.endpoint.batch.maxkeys', message: expect.stringContaining('unknown key "maxkeys"') }),
    ]);
  });

  it('reports every REST problem at once, schema and canonical checks together', () => {
    const broken = REST.replace('baseUrl: http://127.0.0.1:9000', 'baseUrl: ftp://127.0.0.1')
      .replace('timeoutMillis: 3000\n    headers', 'timeoutMillis: 3000\n    retries: 2\n    headers')
      .replace('requesterEmail: requester.email', 'requesterEmial: requester.email')
      .replace('solved: SOLVED', 'solved: DONE');
    const paths = problemsOf(broken, env)
      .map((p) => p.path)
      .sort();
    // The missing requesterEmail is reported twice: unmapped required field, and unmapped keyField.
    expect(paths).toEqual([
      'entities.ticket.endpoint.keyField',
      'entities.ticket.fields',
      'entities.ticket.fields.requesterEmial',
      'entities.ticket.fields.status.values.solved',
      'sources.helpdesk.baseUrl',
      'sources.helpdesk.retries',
    ]);
  });
});
