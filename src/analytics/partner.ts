/**
 * Query.analytics of the partner schema (schema/partner/analytics.graphql): the same
 * engine, restricted to customers who consented to partner sharing, with every group of
 * fewer than k customers left out (src/analytics/engine.ts `restrict`).
 */
import { Loaders } from '../loading/loaders.js';
import type { PartnerContext } from '../privacy/partner/resolvers.js';
import { PARTNER_SHARING_PURPOSE } from '../privacy/partner/source.js';
import type { DimensionName, MeasureName } from './catalog.js';
import { runAnalytics } from './engine.js';
import type { CubeGranularity } from '../../connectors/cube-contract.js';

interface PartnerCubeArgs {
  readonly measures: ReadonlyArray<MeasureName>;
  readonly dimensions?: ReadonlyArray<DimensionName> | null;
  readonly granularity?: CubeGranularity | null;
  readonly from?: string | null;
  readonly to?: string | null;
}

export const partnerAnalyticsResolvers = {
  Query: {
    analytics: async (_root: unknown, args: PartnerCubeArgs, ctx: PartnerContext) => {
      const { config, connectors } = ctx.runtime;
      const callOptions = { signal: ctx.signal };
      const answer = await runAnalytics(
        { config, connectors, loaders: new Loaders(config, connectors, callOptions), callOptions, link: config.identity, restrict: { consentPurpose: PARTNER_SHARING_PURPOSE, minGroupSize: ctx.minGroupSize } },
        {
          // The group size is always counted, even when the partner did not ask for it.
          measures: [...new Set<MeasureName>([...args.measures, 'CUSTOMERS'])],
          dimensions: args.dimensions ?? [],
          timeDimension: { granularity: args.granularity ?? null, dateRange: { from: args.from ?? null, to: args.to ?? null } },
        },
      );
      return {
        rows: answer.rows.map((row) => ({ ...row, dimensions: row.dimensions.map((d) => d.value) })),
        suppressedGroups: answer.suppressedGroups,
        minGroupSize: ctx.minGroupSize,
      };
    },
  },
};
