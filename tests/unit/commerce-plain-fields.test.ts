/**
 * Order, OrderLine, Product and CRM fields without a resolver (src/resolvers/commerce.ts, crm.ts) answer
 * what their former resolvers (str, num, String(id)) gave, through the schema's own
 * serializers, for every value a connector can put in a canonical row: the typed value,
 * null, an unmapped field (absent), and a constant of another scalar type.
 */
import { describe, expect, it } from '@jest/globals';
import { getNamedType, isScalarType, type GraphQLScalarType } from 'graphql';
import { createSchema } from '../../src/gateway/server.js';
import type { Row } from '../../connectors/contract.js';
import { num, str } from '../../src/resolvers/rows.js';

const schema = createSchema();

const PLAIN: Readonly<Record<string, ReadonlyArray<string>>> = {
  Order: ['id', 'channelRaw', 'statusRaw', 'placedAt', 'total', 'currency', 'storeId'],
  OrderLine: ['id', 'sku', 'productName', 'quantity', 'unitPrice', 'lineTotal'],
  Product: ['id', 'sku', 'name', 'category', 'brand', 'price'],
  ShopCustomer: ['id', 'companyName', 'siret', 'createdAt', 'updatedAt'],
  WebEvent: ['id', 'occurredAt', 'sessionId', 'device'],
  Contact: ['id', 'companyName', 'createdAt', 'updatedAt'],
  Account: ['id', 'name', 'siren', 'siret', 'industry'],
  Interaction: ['id', 'occurredAt', 'storeId'],
  Consent: ['id', 'purpose', 'channel', 'recordedAt'],
};

/** The resolver each field had, as the reference. */
function formerValue(field: string, scalar: string, row: Row): unknown {
  if (field === 'id') return String(row.id);
  return scalar === 'Int' || scalar === 'Float' ? num(row, field) : str(row, field);
}

/** What graphql answers for a value: null for null/undefined, else the serializer's value or its refusal. */
function answer(scalar: GraphQLScalarType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return scalar.serialize(value);
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

const VALUES: Readonly<Record<string, ReadonlyArray<Row[string] | undefined>>> = {
  ID: ['o-17', 17, '00017'],
  String: ['CB-12', '', 'é', 5, true, null, undefined],
  DateTime: ['2026-03-04T12:34:56.000Z', null, undefined],
  Int: [3, 0, -2, null, undefined],
  Float: [12.5, 0, 7, null, undefined],
};

describe('plain fields of shop and CRM rows', () => {
  for (const [typeName, fields] of Object.entries(PLAIN)) {
    it(`${typeName}: no resolver, and the same answers as the former one`, () => {
      const type = schema.getType(typeName) as import('graphql').GraphQLObjectType;
      for (const field of fields) {
        const definition = type.getFields()[field]!;
        expect([typeName, field, definition.resolve]).toEqual([typeName, field, undefined]);
        const scalar = getNamedType(definition.type);
        if (!isScalarType(scalar)) throw new Error(`${typeName}.${field} is not a scalar`);
        for (const value of VALUES[scalar.name] ?? []) {
          const row: Row = value === undefined ? {} : { [field]: value };
          if (field === 'id' && value === undefined) continue;
          expect([field, value, answer(scalar, row[field])]).toEqual([field, value, answer(scalar, formerValue(field, scalar.name, row))]);
        }
      }
    });
  }
});
