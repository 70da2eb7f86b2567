/**
 * c360 as an Apollo Federation v2 subgraph (`server.federation: true`): the canonical SDL
 * (schema/*.graphql, unchanged) with a federation @link and `@key`s on Customer added here,
 * in code, so that the domain files carry no federation markup. A supergraph resolves a
 * Customer reference by `id` (the c360 id) or by `email` (the golden email, CRM first,
 * like customerBy). `_entities` resolves every representation through the request's
 * loaders, so N references cost the statements of one list, not N.
 */
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { Kind, parse, type ConstDirectiveNode, type DefinitionNode, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { analyticsSchemaFor } from '../analytics/schema-enums.js';
import type { C360Config } from '../config/types.js';
import { CustomerHandle } from '../identity/customer-handle.js';
import { applyFieldPolicies } from '../privacy/policies.js';
import { resolvers } from '../resolvers/index.js';
import { customerByEmail, customerById } from '../resolvers/query.js';
import type { RequestContext } from './context.js';
import { readSchemaFiles } from './project.js';

export const FEDERATION_VERSION = 'https://specs.apollo.dev/federation/v2.3';

/** Customer's keys: `fields` selections, in the order the directives are written. */
export const CUSTOMER_KEYS = ['id', 'email'] as const;

/** The canonical SDL as one subgraph document: the @link schema extension and Customer's @keys. */
export function subgraphDocument(): DocumentNode {
  const definitions: DefinitionNode[] = [...parse(`extend schema @link(url: "${FEDERATION_VERSION}", import: ["@key"])`).definitions];
  for (const text of readSchemaFiles()) {
    for (const definition of parse(text).definitions) {
      definitions.push(
        definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Customer'
          ? { ...definition, directives: [...(definition.directives ?? []), ...CUSTOMER_KEYS.map(keyDirective)] }
          : definition,
      );
    }
  }
  return { kind: Kind.DOCUMENT, definitions };
}

function keyDirective(fields: string): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'key' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: fields } }],
  };
}

type CustomerReference = { readonly __typename: 'Customer'; readonly id?: unknown; readonly email?: unknown };

async function resolveReference(reference: CustomerReference, ctx: RequestContext, info: GraphQLResolveInfo) {
  if (typeof reference.id === 'string') return customerById(ctx, reference.id, info);
  if (typeof reference.email === 'string') return customerByEmail(ctx, reference.email, info);
  return null;
}

export function createSubgraphSchema(config?: C360Config): GraphQLSchema {
  const map = { ...resolvers, Customer: { ...resolvers.Customer, __resolveReference: resolveReference } } as unknown as GraphQLResolverMap<RequestContext>;
  const schema = buildSubgraphSchema([{ typeDefs: subgraphDocument(), resolvers: map }]);
  settleEntitiesTogether(schema);
  return applyFieldPolicies(config === undefined ? schema : analyticsSchemaFor(schema, config));
}

/**
 * `_entities` returns once every reference is assembled, like a list field does
 * (Query.customers): the children of all references (orders, account…) then ask in the
 * same tick and share one statement per entity, whichever reference took longest to link.
 */
function settleEntitiesTogether(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (field === undefined || resolve === undefined) throw new Error('the subgraph schema has no Query._entities');
  field.resolve = async (source, args, context, info) => {
    const results: unknown[] = await Promise.all((await resolve(source, args, context, info)) as unknown[]);
    await Promise.allSettled(results.filter((result): result is CustomerHandle => result instanceof CustomerHandle).map((handle) => handle.assembly()));
    return results;
  };
}
