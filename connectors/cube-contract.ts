/**
 * What a source is asked for one analytics cube query over its orders (schema/analytics.graphql):
 * one GROUP BY statement, with the per-customer insights (RFM segment and cell, intent
 * level, first order) joined in the same statement. Canonical names only; the connector
 * owns the translation to the operator's tables (connectors/sql/cube.ts).
 */
import type { IntentWindow, RfmBoundaries, RfmPredicate, RfmWindow } from './contract.js';

/** Order-level, line-level and per-customer dimensions a shop groups by. */
export type CubeDimension = 'channel' | 'status' | 'storeId' | 'category' | 'segment' | 'rfmCell' | 'intentLevel' | 'acquisitionMonth';

export type CubeGranularity = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

export interface CubeRequest {
  readonly dimensions: ReadonlyArray<CubeDimension>;
  /** Groups by the start of the period of order.placedAt, returned as `period` (YYYY-MM-DD). */
  readonly granularity?: CubeGranularity;
  /** placedAt >= from (inclusive) and < to (exclusive), ISO 8601 UTC. */
  readonly from?: string;
  readonly to?: string;
  /** Counted statuses; absent: every order except CANCELLED and RETURNED. */
  readonly statuses?: ReadonlyArray<string>;
  readonly channels?: ReadonlyArray<string>;
  readonly categories?: ReadonlyArray<string>;
  readonly segments?: ReadonlyArray<string>;
  /** Count distinct customers per group (`customers`); direct groups only, per-customer groups count them anyway. */
  readonly customers: boolean;
  /** Count orders; grouped by category that is a distinct count, so only when asked. */
  readonly orders: boolean;
  /** Sum order lines' quantities as `units`. */
  readonly units: boolean;
  /** Count `repeaters`: customers of the group with at least two orders in it. */
  readonly repeaters: boolean;
  /** Group by the shop's customer id too (`customerId`), for bulk linking in the gateway. */
  readonly perCustomer: boolean;
  /**
   * Groups computed by the gateway (bulk linking): the shop accounts listed in `groups[i]`
   * are grouped as `assigned: "i"`, every other order as `assigned: null`. Only orders with
   * customerId >= fromId and < toId (in the source's own order) are read, so a long list can
   * be sent in slices of the customer ids.
   */
  readonly assigned?: { readonly groups: ReadonlyArray<ReadonlyArray<string>>; readonly fromId?: string; readonly toId?: string };
  /** For segment and rfmCell: the RFM window and the GRID segments, first holding wins. */
  readonly rfm?: RfmWindow & {
    readonly segments: ReadonlyArray<{ readonly id: string; readonly when: RfmPredicate }>;
    /**
     * Scores against these quintile boundaries instead of ranking this source's customers:
     * the orders are in several sources (shop orders, store receipts) and the base is all of them.
     */
    readonly boundaries?: RfmBoundaries;
  };
  /** For intentLevel: the decay and the lowest score of each level. */
  readonly intent?: IntentWindow & { readonly levels: { readonly low: number; readonly medium: number; readonly high: number } };
  /** The statement returns at most maxRows + 1 rows, so the gateway sees an overflow without reading it all. */
  readonly maxRows: number;
}
