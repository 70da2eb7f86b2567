/**
 * c360 as an Apollo Federation v2 subgraph, composed with another team's subgraph (loyalty
 * points keyed by the c360 customer id) by @apollo/gateway (IntrospectAndCompose), every
 * piece a real HTTP server on 127.0.0.1. One query crosses both; c360's `_entities` is
 * one request whose statements are those of one customer, however many references.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { SourceCall } from '../../connectors/contract.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';
import { startTestGateway, statementsByEntity, type TestGateway } from '../support/gateway.js';

let seeded: SeededWorld;
let c360: TestGateway;
let loyalty: ApolloServer;
let supergraph: ApolloServer;
let supergraphUrl: string;
let gateway: ApolloGateway;
/** What c360 was asked by the gateway, with the trace of source calls of each answer. */
const subgraphCalls: Array<{ query: string; trace: ReadonlyArray<SourceCall> }> = [];
const leaders: Array<{ id: string; points: number }> = [];

const LOYALTY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Customer @key(fields: "id") {
    id: ID!
    loyaltyPoints: Int!
  }
  type Query {
    loyaltyLeaders(first: Int!): [Customer!]!
  }
`;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 40, seed: 5 });
  const config = seeded.config();
  c360 = await startTestGateway({ ...config, server: { ...config.server, federation: true } });
  // The loyalty team knows c360's ids: here, the first customers c360 lists.
  const listed = await c360.query('{ customers(first: 6) { edges { node { id } } } }');
  const ids = (listed.data!.customers as { edges: Array<{ node: { id: string } }> }).edges.map((edge) => edge.node.id);
  for (const [index, id] of ids.entries()) leaders.push({ id, points: 1_000 - index * 100 });
  loyalty = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(LOYALTY_SDL),
        resolvers: {
          Query: { loyaltyLeaders: (_root: unknown, { first }: { first: number }) => leaders.slice(0, first).map(({ id }) => ({ id })) },
          Customer: { loyaltyPoints: ({ id }: { id: string }) => leaders.find((leader) => leader.id === id)?.points ?? 0 },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: loyaltyUrl } = await startStandaloneServer(loyalty, { listen: { port: 0, host: '127.0.0.1' } });
  gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: 'c360', url: c360.url },
        { name: 'loyalty', url: loyaltyUrl },
      ],
    }),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          if (name === 'c360') request.http?.headers.set('x-c360-trace', '1');
        },
        didReceiveResponse({ request, response }) {
          const trace = (response.extensions as { trace?: SourceCall[] } | undefined)?.trace;
          if (name === 'c360' && !(request.query ?? '').includes('_service')) subgraphCalls.push({ query: request.query ?? '', trace: trace ?? [] });
          return response;
        },
      }),
  });
  supergraph = new ApolloServer({ gateway });
  ({ url: supergraphUrl } = await startStandaloneServer(supergraph, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await supergraph?.stop();
  await loyalty?.stop();
  await c360?.stop();
  await seeded?.drop();
});

async function ask(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[]; extensions?: { trace?: SourceCall[] } };
}

const CROSSING = `query Leaders($first: Int!) {
  loyaltyLeaders(first: $first) { id loyaltyPoints displayName email orders(first: 2) { nodes { id total } } }
}`;

describe('c360 in an Apollo supergraph', () => {
  it('answers one query that crosses the loyalty subgraph and c360', async () => {
    const reply = await ask(supergraphUrl, CROSSING, { first: 5 });
    expect(reply.errors).toBeUndefined();
    const rows = reply.data!.loyaltyLeaders as Array<{ id: string; loyaltyPoints: number; displayName: string | null; email: string | null }>;
    expect(rows.map((row) => [row.id, row.loyaltyPoints])).toEqual(leaders.slice(0, 5).map((leader) => [leader.id, leader.points]));
    // The same customers asked of c360 directly: the supergraph adds nothing and loses nothing.
    for (const row of rows) {
      const direct = await c360.query('query($id: ID!) { customer(id: $id) { displayName email } }', { id: row.id });
      expect({ displayName: row.displayName, email: row.email }).toEqual(direct.data!.customer);
    }
  });

  it('resolves five references in one _entities request, batched like a page of five customers', async () => {
    subgraphCalls.length = 0;
    await ask(supergraphUrl, CROSSING, { first: 5 });
    const entities = subgraphCalls.filter((call) => call.query.includes('_entities'));
    expect(entities).toHaveLength(1);
    expect(subgraphCalls).toHaveLength(1);
    // The same five customers and fields as c360's own list: the same statements per entity.
    const page = await c360.query('{ customers(first: 5) { edges { node { id displayName email orders(first: 2) { nodes { id total } } } } } }', undefined, {
      trace: true,
    });
    const counts = statementsByEntity(entities[0]!.trace);
    expect(counts).toEqual(statementsByEntity(page.extensions!.trace));
    // Whatever the planner does (main's planned execution reads the orders with the shop
    // accounts), five references never cost more statements than five listed customers.
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });

  it('resolves a reference by email to the customer customerBy(email) finds', async () => {
    const contact = seeded.world.contacts.find((c) => c.email !== null)!;
    const reply = await ask(c360.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id email } } }', {
      r: [{ __typename: 'Customer', email: `  ${contact.email!.toUpperCase()} ` }],
    });
    const direct = await c360.query('query($e: String!) { customerBy(email: $e) { id email } }', { e: contact.email });
    expect(reply.data!._entities).toEqual([direct.data!.customerBy]);
  });

  it('publishes Customer with its keys in the subgraph SDL', async () => {
    const reply = await ask(c360.url, '{ _service { sdl } }');
    const sdl = (reply.data!._service as { sdl: string }).sdl;
    expect(sdl).toMatch(/type Customer @key\(fields: "id"\) @key\(fields: "email"\)/);
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
  });
});
