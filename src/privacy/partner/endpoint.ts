/**
 * /partner/graphql: its own schema (schema/partner/), introspection off, and only the
 * operations registered for the calling partner in the config (trusted documents). A raw
 * query is refused with FORBIDDEN, an unknown id with PERSISTED_QUERY_NOT_FOUND.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express, { type Express, type Request, type Response } from 'express';
import {
  execute,
  getVariableValues,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../errors/codes.js';
import { formatError } from '../../errors/format.js';
import { projectRoot } from '../../gateway/project.js';
import type { Runtime } from '../../gateway/runtime.js';
import { AccessLog } from '../audit/access-log.js';
import { auditFacts } from '../audit/plugin.js';
import { authenticateMiddleware, principalOf, refuse } from '../http.js';
import { PURPOSE_HEADER } from '../request.js';
import type { PrivacyRuntime } from '../runtime.js';
import { PartnerBudget, type ReleasePolicy } from './release-policy.js';
import { partnerResolvers, type PartnerContext } from './resolvers.js';
import { partnerAnalyticsResolvers } from '../../analytics/partner.js';

export const PARTNER_PATH = '/partner/graphql';
/** Aggregates scan every customer at query time, so they get longer than a screen query. */
const PARTNER_REQUEST_TIMEOUT_MILLIS = 60_000;

export function readPartnerSchemaFiles(): string[] {
  const dir = join(projectRoot(), 'schema', 'partner');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

export function createPartnerSchema(): GraphQLSchema {
  return makeExecutableSchema<PartnerContext>({ typeDefs: readPartnerSchemaFiles(), resolvers: [partnerResolvers, partnerAnalyticsResolvers] });
}

interface TrustedOperation {
  readonly document: DocumentNode;
  readonly name: string;
}

/** Parses and validates every registered operation at start: a bad one stops the gateway. */
export function compileTrustedOperations(
  schema: GraphQLSchema,
  partners: Readonly<Record<string, { operations: Readonly<Record<string, string>> }>>,
): Map<string, Map<string, TrustedOperation>> {
  const problems: string[] = [];
  const compiled = new Map<string, Map<string, TrustedOperation>>();
  for (const [partner, { operations }] of Object.entries(partners)) {
    const ops = new Map<string, TrustedOperation>();
    for (const [id, text] of Object.entries(operations)) {
      const where = `privacy.partners.${partner}.operations.${id}`;
      try {
        const document = parse(text);
        const errors = validate(schema, document, [...specifiedRules, NoSchemaIntrospectionCustomRule]);
        const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
        if (errors.length > 0) problems.push(`${where}: ${errors.map((e) => e.message).join('; ')}`);
        else if (definitions.length !== 1 || definitions[0]!.operation !== 'query') problems.push(`${where}: exactly one query operation expected`);
        else ops.set(id, { document, name: definitions[0]!.name?.value ?? id });
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    compiled.set(partner, ops);
  }
  if (problems.length > 0) throw new Error(`invalid partner operations:\n  ${problems.join('\n  ')}`);
  return compiled;
}

export function mountPartnerEndpoint(app: Express, runtime: Runtime, privacy: PrivacyRuntime, canonicalSchema: GraphQLSchema): void {
  const config = privacy.config;
  if (config === undefined) return; // open mode has no partners
  const schema = createPartnerSchema();
  const trusted = compileTrustedOperations(schema, config.partners);
  const release = config.release;
  const policy: ReleasePolicy = {
    minGroupSize: config.minGroupSize,
    roundTo: release.roundTo,
    minOverlapHashes: release.minOverlapHashes ?? config.minGroupSize,
    epsilonPerQuery: release.differentialPrivacy?.epsilonPerQuery,
    epsilonPerPeriod: release.differentialPrivacy?.epsilonPerPeriod,
    queriesPerPeriod: release.queriesPerPeriod,
    periodMillis: release.periodHours * 3_600_000,
  };
  const budget = new PartnerBudget();
  app.use(
    PARTNER_PATH,
    authenticateMiddleware(privacy, (principal) => principal.role === 'partner' && principal.partner !== undefined),
    express.json({ limit: '16mb' }),
    async (req: Request, res: Response) => {
      const principal = principalOf(req);
      if (principal?.partner === undefined) return refuse(res, 401, ErrorCode.UNAUTHENTICATED, 'Authentication required.');
      const body = (req.body ?? {}) as { query?: unknown; id?: unknown; documentId?: unknown; variables?: unknown };
      if (req.method !== 'POST') return refuse(res, 400, 'BAD_REQUEST', 'POST a JSON body { "id", "variables" }.');
      if (body.query !== undefined) return refuse(res, 403, ErrorCode.FORBIDDEN, 'Only registered operations run here: send { "id", "variables" }.');
      const id = typeof body.id === 'string' ? body.id : typeof body.documentId === 'string' ? body.documentId : undefined;
      const operation = id === undefined ? undefined : trusted.get(principal.partner)?.get(id);
      if (operation === undefined) return refuse(res, 400, 'PERSISTED_QUERY_NOT_FOUND', 'Unknown operation id.');
      const partnerConfig = config.partners[principal.partner]!;
      const signal = AbortSignal.timeout(PARTNER_REQUEST_TIMEOUT_MILLIS);
      // Every statement of the request listens on this one signal; hundreds is normal.
      setMaxListeners(0, signal);
      const contextValue: PartnerContext = {
        partner: principal.partner,
        partnerConfig,
        minGroupSize: config.minGroupSize,
        runtime,
        canonicalSchema,
        signal,
        disclosed: new Set(),
        asOf: new Date(),
        policy,
        budget,
      };
      const variables = body.variables !== null && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
      // Variables are coerced first, so a wrong type is the client's BAD_USER_INPUT naming the variable, never a masked error.
      const definition = operation.document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
      const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], variables, { maxErrors: 5 });
      if (coerced.errors !== undefined) {
        const errors = coerced.errors.map((error) => {
          const argument = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
          return {
            message: error.message,
            extensions: argument === undefined ? { code: ErrorCode.BAD_USER_INPUT } : { code: ErrorCode.BAD_USER_INPUT, argument },
          };
        });
        res.status(200).json({ errors });
        return;
      }
      const result = await execute({ schema, document: operation.document, variableValues: variables, contextValue });
      const access = new AccessLog();
      access.noteField(`partner.${id}`, 'allowed');
      for (const customerId of contextValue.disclosed) access.customerIds.add(customerId);
      const given = req.header('x-request-id');
      const requestId = given !== undefined && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      try {
        await privacy.audit.append(
          await auditFacts(
            privacy,
            { principal, purpose: req.header(PURPOSE_HEADER), access, services: privacy },
            requestId,
            `query ${operation.name}`,
            'partner',
          ),
        );
      } catch (error) {
        runtime.logger.error({ err: error }, 'audit record could not be written');
      }
      const errors = result.errors?.map((error) => formatError(error.toJSON(), error, runtime.logger, requestId, false));
      res.status(200).json(errors === undefined ? { data: result.data } : { data: result.data, errors });
    },
  );
}
