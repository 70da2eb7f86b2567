/** Writes one audit record per request that touched a personal field, before the answer leaves. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../gateway/context.js';
import type { Logger } from '../../gateway/logger.js';
import type { PrivacyRequest } from '../request.js';
import type { PrivacyRuntime } from '../runtime.js';
import type { AuditFacts } from './chain.js';

export function auditPlugin(privacy: PrivacyRuntime, logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName }) {
          const request = contextValue.privacy;
          if (request === undefined || !request.access.touchedPersonalData) return;
          const kind = operation?.operation ?? 'query';
          try {
            await privacy.audit.append(await auditFacts(privacy, request, contextValue.requestId, `${kind} ${operationName ?? 'anonymous'}`, 'graphql'));
          } catch (error) {
            logger.error({ requestId: contextValue.requestId, err: error }, 'audit record could not be written');
          }
        },
      };
    },
  };
}

export async function auditFacts(
  privacy: PrivacyRuntime,
  request: PrivacyRequest,
  requestId: string,
  operation: string,
  endpoint: AuditFacts['endpoint'],
): Promise<AuditFacts> {
  const ids = new Set(request.access.customerIds);
  // Customers already assembled (a page waits for all of its own) give their id without a promise.
  const pending = [];
  for (const handle of request.access.customers) {
    const id = handle.idNow();
    if (id === undefined) pending.push(handle);
    else ids.add(id);
  }
  if (pending.length > 0) {
    await Promise.all(
      pending.map(async (handle) => {
        try {
          ids.add(await handle.id());
        } catch {
          // A customer whose source failed was not read; nothing of theirs left c360.
        }
      }),
    );
  }
  const outcomes = [...request.access.fields.values()];
  const outcome = outcomes.every((o) => o === 'allowed') ? 'allowed' : outcomes.every((o) => o === 'denied') ? 'denied' : 'partial';
  return {
    at: new Date().toISOString(),
    requestId,
    principal: request.principal.id,
    role: request.principal.partner === undefined ? request.principal.role : `partner:${request.principal.partner}`,
    purpose: request.purpose ?? null,
    operation,
    endpoint,
    customers: [...ids].map((id) => privacy.auditPseudonym(id)).sort(),
    fields: [...request.access.fields.keys()].sort(),
    outcome,
  };
}
