/**
 * Query.analytics of the partner schema (schema/partner/analytics.graphql): the same
 * engine, restricted to customers who consented to partner sharing, and every number
 * released through the partner release policy of the other partner aggregates
 * (src/privacy/partner/release-policy.ts):
 * - each answer spends one query (and ε, with differential privacy) of the partner's budget;
 * - the customer count of each group goes through `releaseGroupCounts`, as `audienceCounts`
 *   does: noise when on, below k left out, rounded down to `roundTo`; `suppressedGroups`
 *   is the known domain less the groups shown, or itself held to k without a domain;
 * - the other counts (orders, units) of a shown group are rounded down to `roundTo`, and
 *   the ratios are computed from released numbers only, so they give no exact count back;
 * - with differential privacy on, only the customer count is released: orders, revenue
 *   and units have no bounded contribution per customer, so no noise scale protects them.
 */
import { defaultInsightsConfig } from '../config/insights-config.js';
import type { C360Config } from '../config/types.js';
import { badUserInput } from '../errors/codes.js';
import { Loaders } from '../loading/loaders.js';
import { DEPARTEMENTS } from '../privacy/partner/generalize.js';
import { releaseGroupCounts, secureUniform, type ReleasePolicy, type Uniform } from '../privacy/partner/release-policy.js';
import type { PartnerContext } from '../privacy/partner/resolvers.js';
import { PARTNER_SHARING_PURPOSE } from '../privacy/partner/source.js';
import type { DimensionName, MeasureName } from './catalog.js';
import { runAnalytics, type AnalyticsAnswer, type AnalyticsGroup } from './engine.js';
import { periodOf } from './periods.js';
import type { CubeGranularity } from '../../connectors/cube-contract.js';

interface PartnerCubeArgs {
  readonly measures: ReadonlyArray<MeasureName>;
  readonly dimensions?: ReadonlyArray<DimensionName> | null;
  readonly granularity?: CubeGranularity | null;
  readonly from?: string | null;
  readonly to?: string | null;
}

export interface PartnerCubeRow {
  readonly period: string | null;
  readonly dimensions: ReadonlyArray<string | null>;
  readonly customers: number;
  readonly orders: number | null;
  readonly revenue: number | null;
  readonly averageBasket: number | null;
  readonly units: number | null;
  readonly repeatRate: number | null;
}

export interface PartnerCubeAnswer {
  readonly rows: ReadonlyArray<PartnerCubeRow>;
  /** Null when the groups have no domain known without the data: the count would then depend on who is in them. */
  readonly suppressedGroups: number | null;
  readonly minGroupSize: number;
}

/** Above this many groups in the known domain, the domain is not enumerated (suppressedGroups is then held to k). */
const MAX_DOMAIN = 50_000;

/** A group's key in the release: its period and dimension values. */
const keyOf = (period: string | null, values: ReadonlyArray<string | null>): string => JSON.stringify([period, ...values]);

/**
 * Every group the query can have, known without the data: the periods of [from, to) by
 * every dimension's values (null, unknown, included). Undefined when a dimension has no
 * fixed domain (product category, cohort) or the periods are open.
 */
export function cubeDomain(
  config: C360Config,
  dimensions: ReadonlyArray<DimensionName>,
  granularity: CubeGranularity | undefined,
  from: string | undefined,
  to: string | undefined,
  categories?: ReadonlyArray<string>,
): ReadonlySet<string> | undefined {
  let periods: Array<string | null> = [null];
  if (granularity !== undefined) {
    if (from === undefined || to === undefined) return undefined;
    periods = [];
    const end = Date.parse(to);
    let at = periodOf(new Date(Date.parse(from)).toISOString(), granularity);
    while (Date.parse(`${at}T00:00:00Z`) < end) {
      periods.push(at);
      const next = new Date(`${at}T00:00:00Z`);
      if (granularity === 'YEAR') next.setUTCFullYear(next.getUTCFullYear() + 1);
      else
        next.setUTCMonth(
          next.getUTCMonth() + (granularity === 'QUARTER' ? 3 : granularity === 'MONTH' ? 1 : 0),
          next.getUTCDate() + (granularity === 'DAY' ? 1 : granularity === 'WEEK' ? 7 : 0),
        );
      at = periodOf(next.toISOString(), granularity);
      if (periods.length > MAX_DOMAIN) return undefined;
    }
  }
  const values: Array<ReadonlyArray<string | null>> = [];
  for (const dimension of dimensions) {
    const domain = dimension === 'PRODUCT_CATEGORY' ? categories : dimensionDomain(config, dimension);
    if (domain === undefined) return undefined;
    values.push([...domain, null]);
  }
  let size = periods.length;
  for (const domain of values) size *= domain.length;
  if (size > MAX_DOMAIN) return undefined;
  let tuples: Array<ReadonlyArray<string | null>> = [[]];
  for (const domain of values) tuples = tuples.flatMap((tuple) => domain.map((value) => [...tuple, value]));
  return new Set(periods.flatMap((period) => tuples.map((tuple) => keyOf(period, tuple))));
}

function dimensionDomain(config: C360Config, dimension: DimensionName): ReadonlyArray<string> | undefined {
  switch (dimension) {
    case 'CHANNEL':
      return ['WEB', 'STORE'];
    case 'CUSTOMER_KIND':
      return ['PERSON', 'COMPANY'];
    case 'DEPARTEMENT':
      return DEPARTEMENTS;
    case 'SEGMENT':
      return (config.insights ?? defaultInsightsConfig()).segments.filter((s) => s.family === 'GRID').map((s) => s.id);
    default:
      return undefined;
  }
}

/**
 * The exact groups of the cube (every group, consented customers only) as a partner may
 * see them. Pure: the computation only counts, this decides what leaves.
 */
export function releasePartnerCube(
  answer: Pick<AnalyticsAnswer, 'rows'>,
  policy: ReleasePolicy,
  domain: ReadonlySet<string> | undefined,
  uniform: Uniform = secureUniform,
): PartnerCubeAnswer {
  const exact = new Map<string, AnalyticsGroup>();
  const counts = new Map<string, number>();
  for (const row of answer.rows) {
    const key = keyOf(
      row.period,
      row.dimensions.map((d) => d.value),
    );
    exact.set(key, row);
    counts.set(key, row.customers ?? 0);
  }
  const released = releaseGroupCounts(counts, policy, domain, uniform);
  const noisy = policy.epsilonPerQuery !== undefined;
  const rounded = (value: number | null): number | null => (value === null ? null : Math.floor(value / policy.roundTo) * policy.roundTo);
  const rows = released.groups.map(({ value: key, count: customers }): PartnerCubeRow => {
    const [period, ...values] = JSON.parse(key) as Array<string | null>;
    const group = noisy ? undefined : exact.get(key);
    const orders = rounded(group?.orders ?? null);
    const revenue = group?.revenue ?? null;
    const repeaters = group?.repeatRate === null || group?.repeatRate === undefined ? null : rounded(Math.round(group.repeatRate * (group.customers ?? 0)));
    return {
      period: period ?? null,
      dimensions: values,
      customers,
      orders,
      revenue,
      averageBasket: group?.averageBasket === null || group?.averageBasket === undefined || revenue === null || !orders ? null : revenue / orders,
      units: rounded(group?.units ?? null),
      repeatRate: repeaters === null ? null : Math.min(1, repeaters / customers),
    };
  });
  // The natural order (period, then values), as the cube's: the release sorts by count.
  rows.sort((a, b) => compareKeys(keyOf(a.period, a.dimensions), keyOf(b.period, b.dimensions)));
  // Without a domain, hidden groups exist only because someone is in them: a victim alone in
  // a narrow period would show as k hidden groups (k categories of one order), so no count.
  return { rows, suppressedGroups: domain === undefined ? null : released.suppressedGroups, minGroupSize: released.minGroupSize };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const partnerAnalyticsResolvers = {
  Query: {
    analytics: async (_root: unknown, args: PartnerCubeArgs, ctx: PartnerContext): Promise<PartnerCubeAnswer> => {
      const { config, connectors } = ctx.runtime;
      const policy = ctx.policy;
      if (policy.epsilonPerQuery !== undefined && args.measures.some((measure) => measure !== 'CUSTOMERS')) {
        throw badUserInput(
          'with differential privacy on, a partner cube releases CUSTOMERS only: orders, revenue and units have no bounded contribution per customer',
          'measures',
        );
      }
      const from = dateOrUndefined(args.from, 'from');
      const to = dateOrUndefined(args.to, 'to');
      const dimensions = args.dimensions ?? [];
      const granularity = args.granularity ?? undefined;
      const callOptions = { signal: ctx.signal };
      const loaders = new Loaders(config, connectors, callOptions);
      // Product categories are the catalogue's (no customer in it); the other dimensions' domains are fixed.
      const categories = dimensions.includes('PRODUCT_CATEGORY') ? await catalogueCategories(loaders) : undefined;
      const domain = cubeDomain(config, dimensions, granularity, from, to, categories);
      // Noise protects a group's count, not a group's existence: with differential privacy,
      // every group the answer can hold must be known before the data is read.
      if (policy.epsilonPerQuery !== undefined && domain === undefined) {
        throw badUserInput(
          'with differential privacy on, a partner cube needs groups known in advance: no ACQUISITION_MONTH, and from and to with a granularity',
          'dimensions',
        );
      }
      // Spent before any customer is read, as every partner aggregate: a refused query costs nothing.
      ctx.budget.spend(ctx.partner, policy, policy.epsilonPerQuery ?? 0);
      const answer = await runAnalytics(
        { config, connectors, loaders, callOptions, link: config.identity, restrict: { consentPurpose: PARTNER_SHARING_PURPOSE } },
        {
          // The group size is always counted, even when the partner did not ask for it.
          measures: [...new Set<MeasureName>([...args.measures, 'CUSTOMERS'])],
          dimensions,
          timeDimension: { granularity: granularity ?? null, dateRange: { from: from ?? null, to: to ?? null } },
        },
      );
      return releasePartnerCube(answer, policy, domain);
    },
  },
};

const MAX_CATEGORIES = 10_000;

/** The distinct product categories of the catalogue, read once. */
async function catalogueCategories(loaders: Loaders): Promise<ReadonlyArray<string> | undefined> {
  const rows = await loaders.scan('product', { projection: ['id', 'category'], orderBy: [{ field: 'id', direction: 'ASC' }], limit: 1_000_000 });
  const categories = [
    ...new Set(
      rows
        .map((row) => row.category)
        .filter((c): c is string | number => c !== null && c !== undefined)
        .map(String),
    ),
  ];
  return categories.length > MAX_CATEGORIES ? undefined : categories;
}

function dateOrUndefined(value: string | null | undefined, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw badUserInput(`${argument} is not a date-time`, argument);
  return new Date(millis).toISOString();
}
