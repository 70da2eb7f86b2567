/**
 * GraphQL subscriptions over graphql-ws on the gateway's own port and path (/graphql),
 * the pattern Apollo Server 5 documents for express. The connection authenticates like an
 * HTTP call (connectionParams `authorization` or `x-api-key`), partners are refused, and
 * only subscription operations run here: queries keep going through HTTP and its limits.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode } from '../errors/codes.js';
import type { RequestContext } from '../gateway/context.js';
import type { Runtime } from '../gateway/runtime.js';
import { InsightsService } from '../insights/service.js';
import { Loaders } from '../loading/loaders.js';
import { AccessLog } from '../privacy/audit/access-log.js';
import { API_KEY_HEADER } from '../privacy/auth.js';
import type { Principal } from '../privacy/principal.js';
import type { PrivacyRuntime } from '../privacy/runtime.js';
import type { TriggerEngine } from './engine.js';

export interface Subscriptions {
  close(): Promise<void>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function mountSubscriptions(httpServer: Server, schema: GraphQLSchema, runtime: Runtime, privacy: PrivacyRuntime, engine: TriggerEngine): Subscriptions {
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const principals = new WeakMap<object, Principal>();
  const server = useServer<Record<string, unknown> | undefined, { principal?: Principal }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const principal = await privacy.authenticate({
          authorization: text(params.authorization),
          apiKey: text(params[API_KEY_HEADER]) ?? text(params.apiKey),
        });
        if (principal === null || principal.role === 'partner') return false;
        principals.set(ctx.extra.socket, principal);
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        try {
          const operation = getOperationAST(parse(payload.query), payload.operationName ?? undefined);
          if (operation?.operation !== 'subscription')
            return [
              new GraphQLError('Only subscriptions run over WebSocket; send queries to /graphql over HTTP.', {
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              }),
            ];
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Could not parse the operation.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        return undefined;
      },
      context: (ctx): RequestContext => {
        const principal = principals.get(ctx.extra.socket)!;
        const callOptions = { signal: new AbortController().signal };
        const loaders = new Loaders(runtime.config, runtime.connectors, callOptions);
        return {
          requestId: randomUUID(),
          loaders,
          link: runtime.config.identity,
          trace: undefined,
          privacy: { principal, purpose: undefined, access: new AccessLog(), services: privacy },
          insights: new InsightsService(runtime.config, runtime.connectors, loaders, callOptions),
          triggers: engine,
        };
      },
    },
    sockets,
  );
  return {
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
