/**
 * Query limits per role, checked once the operation is parsed and before anything runs,
 * so a refused query never reaches a source. Aliases and directives are counted by
 * graphql-armor's rules (both memoize fragments); depth, expanded fields,
 * cost and page size by ./query-cost.ts in one linear walk, because armor's depth rule expands
 * every spread (exponential) and its cost does not know that a list costs its page size times its children.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { LimitsConfig, RoleLimits } from '../config/limits-config.js';
import { badUserInput } from '../errors/codes.js';
import type { RequestContext } from './context.js';
import { measureOperation } from './query-cost.js';

export type LimitName = 'depth' | 'cost' | 'aliases' | 'directives' | 'tokens' | 'fields';

/** The code of every refused query; `extensions.limit` says which limit, `extensions.max` its value. */
export const LIMIT_CODE = 'GRAPHQL_VALIDATION_FAILED';

export function limitError(limit: LimitName, max: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: LIMIT_CODE, limit, max, http: { status: 400 } } });
}

/**
 * The role whose limits apply. The seam with authentication (docs/operations.md): the
 * principal's role when the request has one, else `default`; an unknown role gets `default`.
 */
export function roleOf(context: RequestContext): string {
  return context.privacy?.principal.role ?? 'default';
}

export function limitsFor(limits: LimitsConfig, role: string): RoleLimits {
  return limits.roles[role] ?? limits.roles.default!;
}

/** Tokens in the query text, counting no further than `max + 1`. */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

function armorRules(limits: RoleLimits, rejections: GraphQLError[]): ValidationRule[] {
  const collect = { propagateOnRejection: false, onReject: [(_context: unknown, error: GraphQLError) => void rejections.push(error)] };
  return [
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, ...collect }),
    maxDirectivesRule({ n: limits.maxDirectives, exposeLimits: true, ...collect }),
  ];
}

const ARMOR_LIMITS: ReadonlyArray<[RegExp, LimitName, keyof RoleLimits]> = [
  [/alias/i, 'aliases', 'maxAliases'],
  [/directive/i, 'directives', 'maxDirectives'],
];

/** The first limit the operation breaks, or undefined. Page sizes are checked per field (withPageLimits). */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  query: string | undefined,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: RoleLimits,
): GraphQLError | undefined {
  const fixed = fixedChecks(schema, document, query, operationName, limits);
  if (fixed !== undefined) return fixed;
  // Depth, expanded fields and cost in one linear walk (./query-cost.ts); armor's depth rule expanded every spread.
  const measured = measureOperation(schema, document, operationName, variables ?? {}, limits.maxPageSize);
  if (measured.fields > limits.maxFields) {
    return limitError(
      'fields',
      limits.maxFields,
      `Query expands to ${measured.fields} fields, above the maximum of ${limits.maxFields} (fragments counted at every spread).`,
    );
  }
  if (measured.depth > limits.maxDepth) {
    return limitError('depth', limits.maxDepth, `Query depth limit of ${limits.maxDepth} exceeded, found ${measured.depth}.`);
  }
  if (measured.cost > limits.maxCost) {
    return limitError(
      'cost',
      limits.maxCost,
      `Query cost ${measured.cost} exceeds the maximum of ${limits.maxCost} (objects it may fetch, a list counting its page size).`,
    );
  }
  return undefined;
}

/**
 * The checks that do not depend on variables, passed once per document (Apollo's document
 * store hands every request of one query text the same DocumentNode), schema and limits:
 * re-lexing and re-validating each request cost more than executing a CRM page.
 */
const passedByDocument = new WeakMap<DocumentNode, Map<string, { schema: GraphQLSchema; limits: RoleLimits }>>();

function fixedChecks(
  schema: GraphQLSchema,
  document: DocumentNode,
  query: string | undefined,
  operationName: string | undefined,
  limits: RoleLimits,
): GraphQLError | undefined {
  let byKey = passedByDocument.get(document);
  if (byKey === undefined) passedByDocument.set(document, (byKey = new Map()));
  // The text is the document's (the store is keyed by its hash); without one (a persisted query) tokens are not counted.
  const key = `${operationName ?? ''}\u0000${query === undefined ? 0 : 1}`;
  const passed = byKey.get(key);
  if (passed !== undefined && passed.schema === schema && passed.limits === limits) return undefined;
  // Only a pass is kept: a refusal is a fresh error each time (Apollo may add to it).
  const error = uncachedFixedChecks(schema, document, query, operationName, limits);
  if (error === undefined) byKey.set(key, { schema, limits });
  return error;
}

function uncachedFixedChecks(
  schema: GraphQLSchema,
  document: DocumentNode,
  query: string | undefined,
  operationName: string | undefined,
  limits: RoleLimits,
): GraphQLError | undefined {
  const selected = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || d.name?.value === operationName),
  );
  if (selected !== undefined && schema.getRootType(selected.operation) == null) {
    return new GraphQLError(`This gateway has no ${selected.operation} operations.`, { extensions: { code: LIMIT_CODE, http: { status: 400 } } });
  }
  if (query !== undefined && countTokens(query, limits.maxTokens) > limits.maxTokens) {
    return limitError('tokens', limits.maxTokens, `Query has more than ${limits.maxTokens} tokens.`);
  }
  const rejections: GraphQLError[] = [];
  validate(schema, document, armorRules(limits, rejections));
  const rejection = rejections[0];
  if (rejection !== undefined) {
    const [, name, key] = ARMOR_LIMITS.find(([pattern]) => pattern.test(rejection.message)) ?? ARMOR_LIMITS[0]!;
    return limitError(name, limits[key] as number, rejection.message.replace(/^Syntax Error: /, ''));
  }
  return undefined;
}

/** Refuses an operation over its role's limits before execution; the rate limit runs after it (./rate-limit.ts). */
export function limitsPlugin(limits: LimitsConfig): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, request, operationName, schema }) {
          const error = checkOperation(schema, document, request.query, operationName ?? undefined, request.variables, limitsFor(limits, roleOf(contextValue)));
          if (error !== undefined) throw error;
        },
      };
    },
  };
}

/**
 * Every field with a `first` argument refuses a page above its caller's role maximum with
 * BAD_USER_INPUT before its resolver runs: that field fails and calls no source, and the
 * other fields of the operation still answer, as any other bad argument does.
 */
export function withPageLimits(schema: GraphQLSchema, limits: LimitsConfig): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      if (field.args === undefined || !Object.hasOwn(field.args, 'first')) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const returnsList = isListType(getNullableType(field.type));
      return {
        ...field,
        resolve: (source, args: Record<string, unknown>, context: RequestContext, info) => {
          const first = args.first;
          const max = limitsFor(limits, roleOf(context)).maxPageSize;
          // Rejected, not thrown: a synchronous throw from a non-null root field would stop its siblings from running at all.
          if (typeof first === 'number' && (first > max || first < 0)) return Promise.reject(badUserInput(`"first" must be between 0 and ${max}`, 'first'));
          // A list of none is answered here: sources load pages per key and cannot be asked for 0 rows each.
          if (first === 0 && returnsList) return Promise.resolve([]);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
