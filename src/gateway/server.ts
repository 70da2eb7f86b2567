/**
 * The HTTP face of c360: GraphQL at /graphql (Apollo Server 5 on express 5), /health and
 * /ready. One Loaders per request; a trace of source calls on request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { executorName, jitGateway } from './jit-executor.js';
import express, { type Request } from 'express';
import type { SourceCall } from '../../connectors/contract.js';
import { formatError, SILENT_ERROR_LOGGER } from '../errors/format.js';
import { partialAnswersPlugin } from './partial-answers.js';
import { analyticsSchemaFor } from '../analytics/schema-enums.js';
import type { C360Config } from '../config/types.js';
import type { LinkSettings } from '../identity/link.js';
import { Loaders } from '../loading/loaders.js';
import { InsightsService } from '../insights/service.js';
import { insightsStatisticsOf } from '../insights/runtime-statistics.js';
import { linkMapCacheOf } from '../identity/link-map-cache.js';
import { createCsvExportRouter } from './csv-export.js';
import { resolvers } from '../resolvers/index.js';
import { createUiRouter } from '../ui/router.js';
import type { RequestContext } from './context.js';
import { Hardening, httpErrorHandler, type HardeningOptions } from './hardening.js';
import { graphqlHttpHandler } from './graphql-http.js';
import { hostCheckMiddleware } from './host-check.js';
import { mappingGate, type MappingCheck } from './mapping-check.js';
import { readSchemaFiles } from './project.js';
import { createSubgraphSchema } from './subgraph.js';
import type { Runtime } from './runtime.js';
import { applyFieldPolicies } from '../privacy/policies.js';
import { auditPlugin } from '../privacy/audit/plugin.js';
import { acceptsMainEndpoint, authenticateMiddleware, mayTrace, privacyRequestFor } from '../privacy/http.js';
import { createPrivacy } from '../privacy/runtime.js';
import { mountPartnerEndpoint } from '../privacy/partner/endpoint.js';
import { startTriggers } from '../triggers/start.js';
import type { TriggerEngine } from '../triggers/engine.js';

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
  /** Largest request body; larger ones get 413. Default: limits.maxBodyBytes. */
  readonly bodyLimit?: string;
  /** Test hooks of the hardening layer (a span exporter). */
  readonly hardening?: HardeningOptions;
  /** The start-up mapping check (`serve`): while it finds a problem, /ready and /graphql answer 503 with it. */
  readonly mappingCheck?: MappingCheck;
}

/** With a config, the analytics enums offer only what it maps (src/analytics/schema-enums.ts). */
export function createSchema(config?: C360Config) {
  // Field policies (@pii, @requires, @consent) wrap the resolvers: src/privacy/policies.ts.
  const schema = makeExecutableSchema<RequestContext>({ typeDefs: readSchemaFiles(), resolvers });
  return applyFieldPolicies(config === undefined ? schema : analyticsSchemaFor(schema, config));
}

function linkSettings(runtime: Runtime): LinkSettings {
  // The identity config is a superset of the link settings (rules, probabilistic matching).
  return runtime.config.identity;
}

const tracePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (contextValue.trace !== undefined && response.body.kind === 'single') {
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            trace: contextValue.trace,
            ...(contextValue.linksAsOf === undefined ? {} : { linksAsOf: new Date(contextValue.linksAsOf).toISOString() }),
          };
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
          if (contextValue.clientGone?.aborted === true) return;
          for (const error of errors) {
            runtime.logger.debug(
              { requestId: contextValue.requestId, code: error.extensions?.code, path: error.path, err: error.originalError ?? error },
              'graphql error',
            );
            // A masked error's cause is logged here, with the request id the client gets back.
            formatError(error.toJSON(), error, runtime.logger, contextValue.requestId, false);
          }
        },
      };
    },
  };
}

export async function startGateway(runtime: Runtime, options: GatewayOptions = {}): Promise<Gateway> {
  const app = express();
  // POST /graphql's common case on node:http (./graphql-http.ts), every other request through express.
  let graphqlHttp: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  const httpServer = createServer((req, res) => {
    // While the start-up mapping check finds a problem, express's mappingGate answers 503.
    const gated = options.mappingCheck !== undefined && options.mappingCheck.errors().length > 0;
    if (graphqlHttp === undefined || gated || !graphqlHttp(req, res)) app(req, res);
  });
  const development = runtime.config.server.development;
  const privacy = createPrivacy(runtime.config, runtime.logger, options.host ?? runtime.config.server.host);
  const canonicalSchema = runtime.config.server.federation === true ? createSubgraphSchema(runtime.config) : createSchema(runtime.config);
  const hardening = new Hardening(runtime, options.hardening);
  const schema = hardening.schema(canonicalSchema);
  const apollo = new ApolloServer<RequestContext>({
    ...(executorName() === 'jit' ? { gateway: jitGateway(schema) } : { schema }),
    ...hardening.apolloOptions(),
    introspection: true,
    includeStacktraceInErrorResponses: development,
    hideSchemaDetailsFromClientErrors: !development,
    // Logged by errorLogPlugin, which knows the request id; here only shaped.
    formatError: (formatted, error) => formatError(formatted, error, SILENT_ERROR_LOGGER, undefined, development),
    // No cache hints in the schema: Apollo's default cache-control plugin would only add a
    // willResolveField hook to every field of every response (~10% of Q2's CPU, bench/README.md).
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: hardening.limits.shutdownGraceMillis }),
      partialAnswersPlugin,
      ...hardening.plugins(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      tracePlugin,
      errorLogPlugin(runtime),
      auditPlugin(privacy, runtime.logger),
    ],
  });
  await apollo.start();
  // analytics.linkMap.keepWarm: the link map whole-base operations read is built now and kept fresh.
  const linkMap = linkMapCacheOf(runtime);
  linkMap.startKeepingWarm();
  if (linkMap.settings.keepWarm === true) {
    hardening.readyGates.set('linkMap', () => linkMap.warming());
    hardening.readyNotes.set('linkMap', () => linkMap.readyNote());
  }
  // Intent triggers (src/triggers/): the poller, and graphql-ws subscriptions on /graphql.
  const triggers = startTriggers(runtime, canonicalSchema, privacy, httpServer, hardening.metrics?.registry);
  if (triggers !== undefined) hardening.readyNotes.set('triggers', () => triggers.engine.readyNote());

  app.disable('x-powered-by');
  app.use(hostCheckMiddleware(options.host ?? runtime.config.server.host, runtime.config.server.hostNames, runtime.logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (options.mappingCheck !== undefined) app.use(['/ready', '/graphql', '/export'], mappingGate(options.mappingCheck));
  hardening.mountRoutes(app);
  app.use(createUiRouter(runtime.config));
  mountPartnerEndpoint(app, runtime, privacy, canonicalSchema);
  app.use(
    '/export',
    authenticateMiddleware(privacy, acceptsMainEndpoint),
    createCsvExportRouter(apollo, (req) => contextFor(runtime, req, hardening, triggers?.engine, 'once'), canonicalSchema),
  );
  app.use(
    '/graphql',
    authenticateMiddleware(privacy, acceptsMainEndpoint),
    express.json({ limit: options.bodyLimit ?? hardening.limits.maxBodyBytes }),
    hardening.batchGuard,
    expressMiddleware(apollo, { context: async ({ req }) => contextFor(runtime, req, hardening, triggers?.engine) }),
  );
  app.use(httpErrorHandler(runtime));
  if (options.bodyLimit === undefined && process.env.C360_HTTP !== 'express') {
    graphqlHttp = graphqlHttpHandler({
      apollo,
      runtime,
      privacy,
      hardening,
      bindHost: options.host ?? runtime.config.server.host,
      maxBodyBytes: hardening.limits.maxBodyBytes,
      context: (req) => contextFor(runtime, req, hardening, triggers?.engine),
    });
  }

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
      await hardening.beginDrain();
      await hardening.drain.settle(hardening.limits.shutdownGraceMillis);
      linkMap.stop();
      await triggers?.stop();
      await apollo.stop();
      await hardening.close();
      await privacy.audit.close();
    },
  };
}

function contextFor(
  runtime: Runtime,
  req: Request,
  hardening: Hardening,
  triggers: TriggerEngine | undefined,
  charged: 'each' | 'once' = 'each',
): RequestContext {
  const given = req.header(REQUEST_ID_HEADER);
  const requestId = given !== undefined && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
  const trace: SourceCall[] | undefined = req.header(TRACE_HEADER) === '1' && mayTrace(req) ? [] : undefined;
  // The request deadline, bulkheads, metrics and spans (./hardening.ts) reach the connectors here.
  const { signal, clientGone, connectors, onCall } = hardening.requestScope(req, requestId, trace);
  const callOptions = { signal, onCall };
  const loaders = new Loaders(runtime.config, connectors, callOptions);
  const insights = new InsightsService(runtime.config, connectors, loaders, callOptions, insightsStatisticsOf(runtime));
  const analytics = { config: runtime.config, connectors, loaders, callOptions, link: linkSettings(runtime), insights };
  return hardening.bind(
    {
      requestId,
      loaders,
      link: linkSettings(runtime),
      trace,
      privacy: privacyRequestFor(req),
      insights,
      analytics,
      clientGone,
      linkMap: linkMapCacheOf(runtime),
      ...(triggers === undefined ? {} : { triggers }),
    },
    req,
    charged,
  );
}
