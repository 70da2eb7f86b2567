/** Query.analytics: the cube (./engine.ts) over this request's loaders, trace and deadline. */
import type { QueryResolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { runAnalytics, type AnalyticsArgs } from './engine.js';

export const analyticsQueryResolvers: Pick<QueryResolvers<RequestContext>, 'analytics'> = {
  analytics: async (_root, args, ctx) => {
    const analytics = ctx.analytics;
    if (analytics === undefined) throw new Error('analytics needs the request context built by the gateway');
    return runAnalytics(analytics, args as unknown as AnalyticsArgs);
  },
};
