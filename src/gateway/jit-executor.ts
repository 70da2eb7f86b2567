/**
 * graphql-jit behind Apollo Server 5's executor seam (the `gateway` option): each operation
 * compiled once into JavaScript, then run instead of graphql-js's execute. Only when
 * C360_EXECUTOR=jit, for the issue-12 evaluation (bench/README.md); Apollo Server stays the
 * server, parsing, validation and every plugin unchanged.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery>>();
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return {
        executor: async (requestContext) => {
          const { document, operationName } = requestContext as unknown as { document: DocumentNode; operationName: string | null };
          let byOperation = compiled.get(document);
          if (byOperation === undefined) compiled.set(document, (byOperation = new Map()));
          let query = byOperation.get(operationName ?? '');
          if (query === undefined) {
            const result = compileQuery(schema, document, operationName ?? undefined);
            if (!isCompiledQuery(result)) return result;
            query = result;
            byOperation.set(operationName ?? '', query);
          }
          return (await query.query(undefined, requestContext.context, requestContext.request.variables ?? {})) as never;
        },
      };
    },
    async stop() {},
  };
}
