/**
 * The HTTP face of c360: GraphQL at /graphql (Apollo Server 5 on express 5), /health and
 * /ready. One Loaders per request; a trace of source calls on request.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express, { type Request } from 'express';
import type { SourceCall } from '../../connectors/contract.js';
import { formatError } from '../errors/format.js';
import type { LinkSettings } from '../identity/link.js';
import { Loaders } from '../loading/loaders.js';
import { resolvers } from '../resolvers/index.js';
import type { RequestContext } from './context.js';
import { readSchemaFiles } from './project.js';
import type { Runtime } from './runtime.js';

export const TRACE_HEADER = 'x-c360-trace';
export const REQUEST_ID_HEADER = 'x-request-id';

export interface Gateway {
  readonly url: string;
  readonly httpServer: Server;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  readonly port?: number;
  readonly host?: string;
  /** Largest request body; larger ones get 413. */
  readonly bodyLimit?: string;
}

export function createSchema() {
  return makeExecutableSchema<RequestContext>({ typeDefs: readSchemaFiles(), resolvers });
}

function linkSettings(runtime: Runtime): LinkSettings {
  return {
    defaultRegion: runtime.config.identity.defaultRegion,
    blocklist: runtime.config.identity.blocklist,
    maxRecordsPerIdentifier: runtime.config.identity.maxRecordsPerIdentifier,
  };
}

const tracePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (contextValue.trace !== undefined && response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, trace: contextValue.trace };
        }
      },
    };
  },
};

function errorLogPlugin(runtime: Runtime): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // Masked errors carry the request id, so an operator can find the logged cause.
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR' && contextValue.requestId !== undefined) {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            runtime.logger.debug({ requestId: contextValue.requestId, code: error.extensions?.code, path: error.path, err: error.originalError ?? error }, 'graphql error');
          }
        },
      };
    },
  };
}

export async function startGateway(runtime: Runtime, options: GatewayOptions = {}): Promise<Gateway> {
  const app = express();
  const httpServer = createServer(app);
  const development = runtime.config.server.development;
  const apollo = new ApolloServer<RequestContext>({
    schema: createSchema(),
    introspection: true,
    includeStacktraceInErrorResponses: development,
    hideSchemaDetailsFromClientErrors: !development,
    formatError: (formatted, error) => formatError(formatted, error, runtime.logger, undefined, development),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), tracePlugin, errorLogPlugin(runtime)],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const sources = await runtime.health();
    const states = Object.values(sources).map((health) => health.state);
    const status = states.every((state) => state === 'up') ? 'ready' : states.some((state) => state === 'up') ? 'degraded' : 'down';
    res.status(status === 'ready' ? 200 : 503).json({ status, sources });
  });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    expressMiddleware(apollo, { context: async ({ req }) => contextFor(runtime, req) }),
  );

  const host = options.host ?? runtime.config.server.host;
  const port = options.port ?? runtime.config.server.port;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/graphql`,
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
}

function contextFor(runtime: Runtime, req: Request): RequestContext {
  const given = req.header(REQUEST_ID_HEADER);
  const requestId = given !== undefined && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
  const trace: SourceCall[] | undefined = req.header(TRACE_HEADER) === '1' ? [] : undefined;
  const signal = new AbortController().signal;
  // Every statement of the request listens on this one signal; dozens is normal, not a leak.
  setMaxListeners(0, signal);
  const loaders = new Loaders(runtime.config, runtime.connectors, {
    signal,
    onCall: (call) => {
      trace?.push(call);
    },
  });
  return { requestId, loaders, link: linkSettings(runtime), trace };
}
