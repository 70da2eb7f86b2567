/**
 * The binding table (src/resolvers/bindings.ts) against the schema: every field of a type
 * that shows source data says which canonical fields it reads.
 */
import { describe, expect, it } from '@jest/globals';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { bindingProblems, needsOf, SCHEMA_BINDINGS } from '../../src/resolvers/bindings.js';
import { projectRoot, readSchemaFiles } from '../../src/gateway/project.js';
import { CANONICAL_ENTITIES } from '../../src/config/canonical.js';

function schemaOf(dir: string) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  return buildSchema(files.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n'));
}

describe('schema bindings', () => {
  it('binds every field of the bound types of schema/*.graphql, to canonical fields that exist', () => {
    expect(bindingProblems(buildSchema(readSchemaFiles().join('\n')))).toEqual([]);
  });

  it('fails on a schema field the table does not bind (a temp copy of schema/ with one more Contact field)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-schema-'));
    try {
      cpSync(join(projectRoot(), 'schema'), dir, { recursive: true });
      appendFileSync(join(dir, 'crm.graphql'), '\nextend type Contact {\n  nickname: String\n}\n');
      expect(bindingProblems(schemaOf(dir))).toEqual(['Contact.nickname: no binding in src/resolvers/bindings.ts (which canonical fields does it read?)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a binding of a field the schema no longer has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-schema-'));
    try {
      cpSync(join(projectRoot(), 'schema'), dir, { recursive: true });
      const file = join(dir, 'commerce.graphql');
      const text = readFileSync(file, 'utf8');
      const without = text.replace('  storeId: String\n  lines: [OrderLine!]!', '  lines: [OrderLine!]!');
      expect(without).not.toBe(text);
      rmSync(file);
      appendFileSync(file, without);
      expect(bindingProblems(schemaOf(dir))).toEqual(['Order.storeId: bound but not in the schema']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a binding to a canonical field that does not exist', () => {
    const schema = buildSchema(readSchemaFiles().join('\n'));
    const typo = {
      ...SCHEMA_BINDINGS,
      Order: { ...SCHEMA_BINDINGS.Order, fields: { ...SCHEMA_BINDINGS.Order.fields, total: { kind: 'fields', fields: ['totl'] } } },
    } as const;
    expect(bindingProblems(schema, typo)).toEqual(['Order.total: "totl" is not a field of the canonical order']);
  });

  it('the projection tables resolvers load with are the table: every canonical field a Contact field reads, and nothing for the key', () => {
    const needs = needsOf('Contact');
    expect(needs.id).toBeUndefined();
    expect(needs.address).toEqual(['street', 'postcode', 'city', 'country']);
    for (const fields of Object.values(needs)) for (const field of fields) expect(Object.keys(CANONICAL_ENTITIES.contact.fields)).toContain(field);
    expect(Object.keys(SCHEMA_BINDINGS.Order.fields)).toContain('channelRaw');
  });
});
