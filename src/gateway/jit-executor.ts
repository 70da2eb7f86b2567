/**
 * graphql-jit behind Apollo Server 5's executor seam (the `gateway` option): each operation
 * compiled once into JavaScript, then run instead of graphql-js's execute. Apollo Server
 * stays the server: parsing, validation and every plugin are unchanged.
 *
 * What the compiled executor does differently from graphql-js, and is put right here:
 * - its errors are its own GraphQLError function, whose `extensions` is undefined when the
 *   cause has none (Apollo's error normalizer then throws reading `extensions.code`, and the
 *   client got a masked INTERNAL_SERVER_ERROR instead of the source's code): each is remade
 *   as graphql-js's GraphQLError, same message, locations, path and cause;
 * - its compiled variable parser accepts values graphql-js refuses (`[]` for a Boolean) and
 *   refuses an omitted non-null variable that has a default: the variables are checked by
 *   graphql-js's own coercion first, with graphql-js's messages, and defaults filled in;
 * - it reads a null `@skip(if: $flag)` as false where graphql-js fails the field: such a
 *   request is answered by graphql-js;
 * - an operation it cannot compile runs on graphql-js's execute.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SourceLocation,
  type VariableDefinitionNode,
  valueFromASTUntyped,
  Kind,
  visit,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

interface Compiled {
  readonly operation: OperationDefinitionNode;
  readonly query: CompiledQuery;
  /** Variables given to `@skip(if:)` / `@include(if:)`, which graphql-jit reads as false when null. */
  readonly conditions: ReadonlyArray<string>;
}

/** Which executor answers operations: graphql-jit unless C360_EXECUTOR=graphql-js. */
export function executorName(env: NodeJS.ProcessEnv = process.env): 'jit' | 'graphql-js' {
  return env.C360_EXECUTOR === 'graphql-js' ? 'graphql-js' : 'jit';
}

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  // Per document (Apollo keeps one DocumentNode per query text in its document store), per operation of it.
  const compiled = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Compiled | undefined>>();
  const compile = (document: DocumentNode, operation: OperationDefinitionNode): Compiled | undefined => {
    let byOperation = compiled.get(document);
    if (byOperation === undefined) compiled.set(document, (byOperation = new Map()));
    if (!byOperation.has(operation)) {
      let query: CompiledQuery | undefined;
      try {
        const result = compileQuery(schema, document, operation.name?.value, { disablingCapturingStackErrors: true });
        if (isCompiledQuery(result)) query = result;
      } catch {
        // graphql-js answers what graphql-jit cannot compile.
      }
      byOperation.set(operation, query === undefined ? undefined : { operation, query, conditions: conditionVariables(document) });
    }
    return byOperation.get(operation);
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return {
        executor: async (requestContext) => {
          const { document, operation, context, request } = requestContext as unknown as {
            document: DocumentNode;
            /** Apollo's resolution of `request.operationName`; undefined when it names none of the document's. */
            operation: OperationDefinitionNode | undefined;
            context: unknown;
            request: { variables?: Record<string, unknown>; operationName?: string | null };
          };
          const variables = request.variables ?? {};
          const byGraphqlJs = async () =>
            (await execute({ schema, document, operationName: request.operationName ?? null, contextValue: context, variableValues: variables })) as never;
          const entry = operation === undefined ? undefined : compile(document, operation);
          // graphql-js says what is wrong with a document it cannot run (no such operation, several unnamed).
          if (entry === undefined) return byGraphqlJs();
          let given = variables;
          const definitions = entry.operation.variableDefinitions ?? [];
          if (definitions.length > 0) {
            const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
            if (coerced.errors !== undefined) return { errors: coerced.errors } as never;
            // A null condition is the client's error under graphql-js (the field that holds it fails); graphql-js answers it.
            if (entry.conditions.some((name) => coerced.coerced[name] == null)) return byGraphqlJs();
            given = withDefaults(definitions, variables);
          }
          const result = await entry.query.query(undefined, context, given);
          return asGraphqlJsErrors(result) as never;
        },
      };
    },
    async stop() {},
  };
}

/** The variables named by the `if` of a `@skip` or `@include` anywhere in the document. */
function conditionVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(directive) {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') return;
      for (const argument of directive.arguments ?? []) {
        if (argument.name.value === 'if' && argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
      }
    },
  });
  return [...names];
}

/**
 * The variables with each omitted one that has a default given its default, as a client
 * would send it: graphql-jit 0.8.9 refuses an omitted `$text: String! = "mar"` as "not
 * provided", which graphql-js (and the spec) answer with the default.
 */
function withDefaults(definitions: ReadonlyArray<VariableDefinitionNode>, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let filled: Record<string, unknown> | undefined;
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (definition.defaultValue === undefined || Object.hasOwn(variables, name)) continue;
    filled ??= { ...variables };
    filled[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return filled ?? (variables as Record<string, unknown>);
}

/** The result with each error as graphql-js's GraphQLError (see the file comment). */
function asGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  const errors = result.errors;
  if (errors === undefined || errors.length === 0) return result;
  return { ...result, errors: errors.map(asGraphqlJsError) };
}

function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const jit = error as GraphQLError & { locations?: ReadonlyArray<SourceLocation> };
  const cause = jit.originalError ?? undefined;
  const remade = new GraphQLError(jit.message, {
    path: jit.path,
    originalError: cause,
    extensions: jit.extensions ?? (cause as { extensions?: Record<string, unknown> } | undefined)?.extensions,
  });
  if (jit.locations !== undefined) (remade as { locations?: ReadonlyArray<SourceLocation> }).locations = jit.locations;
  return remade;
}
