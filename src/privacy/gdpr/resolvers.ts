/** Query.subjectAccessExport and Query.erasurePlan (schema/privacy.graphql); @requires gdpr:admin guards both. */
import type { QueryResolvers } from '../../generated/graphql.js';
import type { RequestContext } from '../../gateway/context.js';
import { forbidden } from '../policies.js';
import { erasureTargets, exportSubject } from './subject.js';

export const gdprQueryResolvers: Pick<QueryResolvers<RequestContext>, 'subjectAccessExport' | 'erasurePlan'> = {
  subjectAccessExport: async (_root, { customerId }, ctx, info) => {
    const privacy = ctx.privacy;
    if (privacy === undefined) throw forbidden('Subject access exports are for authenticated admins.');
    const exported = await exportSubject(info.schema, ctx, customerId);
    if (exported.data === null) return null;
    privacy.access.customerIds.add(customerId);
    privacy.access.noteField('Query.subjectAccessExport', 'allowed');
    const pseudonym = privacy.services.auditPseudonym(customerId);
    const accesses = (await privacy.services.audit.readAll())
      .filter((record) => record.customers.includes(pseudonym))
      .map((record) => ({
        at: record.at,
        principal: record.principal,
        role: record.role,
        purpose: record.purpose,
        operation: record.operation,
        fields: [...record.fields],
        outcome: record.outcome,
      }));
    return { customerId, generatedAt: new Date().toISOString(), data: JSON.stringify(exported.data), unavailable: [...exported.unavailable], accesses };
  },
  erasurePlan: async (_root, { customerId }, ctx, info) => {
    const privacy = ctx.privacy;
    if (privacy === undefined) throw forbidden('Erasure plans are for authenticated admins.');
    const exported = await exportSubject(info.schema, ctx, customerId);
    if (exported.data === null) return null;
    privacy.access.customerIds.add(customerId);
    privacy.access.noteField('Query.erasurePlan', 'allowed');
    return erasureTargets(exported.data, privacy.services).map((target) => ({ ...target, keys: [...target.keys] }));
  },
};
