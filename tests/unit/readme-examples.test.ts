/** Every example operation in README.md and docs/*.md is valid against the schema c360 serves. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { createSchema } from '../../src/gateway/server.js';

const root = new URL('../../', import.meta.url).pathname;
const files = [
  'README.md',
  ...readdirSync(`${root}docs`)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

function operationsIn(file: string): string[] {
  const text = readFileSync(`${root}${file}`, 'utf8');
  return [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!.trim()).filter((block) => /^(\{|query\b|mutation\b)/.test(block));
}

const examples = files.flatMap((file) => operationsIn(file).map((operation, index) => [`${file} #${index + 1}`, operation] as const));

describe('documented example operations', () => {
  const schema = createSchema();
  it('finds examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });
  it.each(examples)('%s is valid against the schema', (_name, operation) => {
    expect(validate(schema, parse(operation)).map((error) => error.message)).toEqual([]);
  });
});
