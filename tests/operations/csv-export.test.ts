/** /export/csv: a GraphQL connection streamed as CSV, page after page, quoted for Excel. */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csvLine, flatten } from '../../src/gateway/csv-export.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createInsightsShop, type InsightsShop } from '../support/insights-shop.js';

// Golden names collapse whitespace, so newlines are checked on the writer itself below.
const TRICKY = ['Dupont, Marie', 'O"Brien', 'say "hi", then go', 'Élodie Müller', 'plain'];
const CUSTOMERS = 1_234;

const QUERY = `query($first: Int, $after: String) {
  customers(first: $first, after: $after) { edges { node { id name { last } } } pageInfo { hasNextPage endCursor } }
}`;

/** A reader written apart from the writer: RFC 4180, CRLF or LF record ends. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

let shop: InsightsShop;
let gateway: TestGateway;

beforeAll(async () => {
  shop = await createInsightsShop('mysql');
  await shop.admin.insert(
    'shop_customer',
    ['id', 'email', 'last_name'],
    Array.from({ length: CUSTOMERS }, (_, index) => [index + 1, null, TRICKY[index % TRICKY.length]!]),
  );
  // Customer 250 alone has an order: its RFM is first non-null on page 3 of 100.
  await shop.admin.insert('shop_order', ['id', 'customer_id', 'placed_at', 'total', 'state'], [[1, 250, '2024-05-01 10:00:00', '42.00', 'paid']]);
  gateway = await startTestGateway(shop.config(undefined, { limits: { roles: { admin: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } } }));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await shop?.drop();
});

function exportUrl(): string {
  return gateway.url.replace(/\/graphql$/, '/export/csv');
}

describe('CSV export', () => {
  it('streams every customer once across pages, with flattened headers and quoted commas, quotes and newlines', async () => {
    const response = await fetch(exportUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { first: 100 }, path: 'customers' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['id', 'name.last']);
    expect(rows).toHaveLength(CUSTOMERS);
    expect(new Set(rows.map((row) => row[0])).size).toBe(CUSTOMERS);
    expect(rows.slice(0, TRICKY.length).map((row) => row[1])).toEqual(TRICKY);
    expect(text).toContain('"Dupont, Marie"');
    expect(text).toContain('"O""Brien"');
    expect(text).toContain('"say ""hi"", then go"');
  }, 60_000);

  it('takes the query by GET too', async () => {
    const url = `${exportUrl()}?${new URLSearchParams({ query: QUERY, variables: JSON.stringify({ first: 7 }), path: 'customers' })}`;
    const response = await fetch(url);
    // fetch's text() drops the BOM itself.
    const body = await response.text();
    const [header, ...rows] = parseCsv(body);
    expect(header).toEqual(['id', 'name.last']);
    expect(rows).toHaveLength(CUSTOMERS);
    expect(new Set(rows.map((row) => row[0])).size).toBe(CUSTOMERS);
  }, 60_000);

  it('answers 400 with the GraphQL errors when the first page fails', async () => {
    const response = await fetch(exportUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customers { nope } }', path: 'customers' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: unknown[] };
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('takes its columns from the selection, so a column first filled on page 3 is in the header', async () => {
    const query = `query($first: Int, $after: String) {
      customers(first: $first, after: $after) { edges { node { id rfm(asOf: "2024-06-01T00:00:00Z") { code frequency } } } pageInfo { hasNextPage endCursor } }
    }`;
    const response = await fetch(exportUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { first: 100 }, path: 'customers' }),
    });
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(['id', 'rfm.code', 'rfm.frequency']);
    expect(rows).toHaveLength(CUSTOMERS);
    expect(rows.filter((row) => row[1] !== '')).toEqual([[rows[249]![0], '111', '1']]);
  }, 60_000);

  it('refuses with 400 a paged query whose connection does not take $after', async () => {
    const query = `query($first: Int) { customers(first: $first) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const response = await fetch(exportUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { first: 10 }, path: 'customers' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.message).toContain('after: $after');
  });

  it('refuses a request without a path', async () => {
    const response = await fetch(exportUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    expect(response.status).toBe(400);
  });
});

describe('CSV writer', () => {
  it('quotes newlines, carriage returns, commas and quotes, and reads back the same fields', () => {
    const fields = ['a\nb', 'c\r\nd', 'e,f', 'g"h', 'plain', '', ' spaced '];
    const line = csvLine(fields);
    expect(line).toBe('"a\nb","c\r\nd","e,f","g""h",plain,, spaced \r\n');
    expect(parseCsv(line)).toEqual([fields]);
  });

  it('flattens nested objects to dotted columns and keeps lists in one JSON cell', () => {
    expect([...flatten({ id: '1', name: { first: 'A', last: null }, tags: ['x', 'y'], n: 2 }).entries()]).toEqual([
      ['id', '1'],
      ['name.first', 'A'],
      ['name.last', ''],
      ['tags', '["x","y"]'],
      ['n', '2'],
    ]);
  });
});

describe('a large CSV export', () => {
  const ROWS = 12_000;
  const NAME_LENGTH = 1_500;
  let bigShop: InsightsShop;
  let bigGateway: TestGateway;

  beforeAll(async () => {
    bigShop = await createInsightsShop('mysql');
    await bigShop.admin.insert(
      'shop_customer',
      ['id', 'email', 'last_name'],
      Array.from({ length: ROWS }, (_, index) => [index + 1, null, `${index}`.padEnd(NAME_LENGTH, 'x')]),
    );
    // 120 pages in a few seconds: above the default per-caller rate limit.
    bigGateway = await startTestGateway(
      bigShop.config(undefined, { limits: { roles: { admin: { rateLimit: { operationsPerMinute: 100_000, burst: 10_000 } } } } }),
    );
  }, 120_000);

  afterAll(async () => {
    await bigGateway?.stop();
    await bigShop?.drop();
  });

  it('retains far less heap than the ~18 MB it streams out, page after page', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const retained = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const baseline = retained();
    const response = await fetch(bigGateway.url.replace(/\/graphql$/, '/export/csv'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { first: 100 }, path: 'customers' }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let bytes = 0;
    let newlines = 0;
    const samples: Array<{ bytes: number; heap: number }> = [];
    let nextSample = 2_000_000;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 0x0a) newlines += 1;
      if (bytes >= nextSample) {
        samples.push({ bytes, heap: retained() });
        nextSample += 2_000_000;
      }
    }
    expect(newlines).toBe(ROWS + 1);
    expect(bytes).toBeGreaterThan(ROWS * NAME_LENGTH);
    // Holding the result, on either side, would retain at least the text itself at some
    // sample. What does grow is not the export's: without a privacy section the audit log
    // is kept in memory, one record per page (~16 KB for 100 customers).
    // From the first sample on: the first 2 MB also compile the export's code path, which
    // counts in heapUsed when this suite runs alone (3.9 MB from the start, against 3.6).
    const warm = Math.max(baseline, samples[0]?.heap ?? baseline);
    const peak = Math.max(...samples.map((sample) => sample.heap));
    expect(samples.length).toBeGreaterThanOrEqual(8);
    expect(peak - warm).toBeLessThan(0.2 * bytes);
  }, 120_000);
});
