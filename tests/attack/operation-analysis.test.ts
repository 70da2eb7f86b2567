/**
 * Issue 13, item 6: a 665-byte document of fragments each spreading the one before four
 * times, ten deep, froze the gateway for 8.7 s in the cost analysis (25 levels of doubling:
 * ~80 s). The analysis now measures each fragment once, and a hard cap on the expanded
 * field count refuses such documents; the jest timeout (5 s) is what the old code missed.
 */
import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { DEFAULT_ROLE_LIMITS } from '../../src/config/limits-config.js';
import { checkOperation } from '../../src/gateway/limits.js';
import { measureOperation } from '../../src/gateway/query-cost.js';
import { createSchema } from '../../src/gateway/server.js';

const schema = createSchema();

/** `fragment F<d> on Customer { ...F<d-1> × fan }`, F0 selecting `id`. */
function fanOut(depth: number, fan: number): string {
  let text = `query Q { customer(id: "x") { ...F${depth} } }\nfragment F0 on Customer { id }\n`;
  for (let d = 1; d <= depth; d++) text += `fragment F${d} on Customer { ${Array.from({ length: fan }, () => `...F${d - 1}`).join(' ')} }\n`;
  return text;
}

describe('operation analysis', () => {
  it('measures the 665-byte freeze (4 spreads, 10 deep) without expanding it, and refuses it on the field cap', () => {
    const text = fanOut(10, 4);
    expect(text.length).toBeLessThan(700);
    const document = parse(text);
    // customer + 4^10 `id`s, counted, not walked.
    expect(measureOperation(schema, document, undefined, {}, 100)).toEqual({ cost: 1, depth: 2, fields: 1 + 4 ** 10 });
    expect(checkOperation(schema, document, text, undefined, {}, DEFAULT_ROLE_LIMITS)?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'fields',
      max: DEFAULT_ROLE_LIMITS.maxFields,
    });
  });

  it('refuses 25 levels of doubling (1.1 KB, 2^25 fields) the same way', () => {
    const text = fanOut(25, 2);
    const error = checkOperation(schema, parse(text), text, undefined, {}, DEFAULT_ROLE_LIMITS);
    expect(error?.extensions).toMatchObject({ limit: 'fields' });
    expect(error?.message).toContain(String(1 + 2 ** 25));
  });

  it('counts a fragment spread twice as twice its fields, and its depth where it is spread', () => {
    const text =
      'query { customers(first: 2) { edges { node { ...C } } } } fragment C on Customer { id orders(first: 3) { nodes { id } } ...D } fragment D on Customer { email }';
    // customers, edges, node, id, orders, nodes, id, email
    expect(measureOperation(schema, parse(text), undefined, {}, 100)).toMatchObject({ depth: 6, fields: 8 });
    const twice = 'query { a: customer(id: "x") { ...D } b: customer(id: "y") { ...D ...D } } fragment D on Customer { email phone }';
    expect(measureOperation(schema, parse(twice), undefined, {}, 100)).toMatchObject({ depth: 2, fields: 2 + 6 });
  });
});
