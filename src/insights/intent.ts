/** A customer's intent from the source's per-product decayed scores and the CRM's store visits. */
import type { Row } from '../../connectors/contract.js';
import type { IntentLevel, InsightsConfig } from '../config/insights-config.js';
import { intentLevelOf } from './rules.js';

export interface IntentSignals {
  readonly score: number;
  readonly level: IntentLevel;
  /** Product ids, strongest first. */
  readonly productIds: ReadonlyArray<string>;
  readonly aboutToBuy: boolean;
  readonly lastSignalAt: string | null;
}

const HOUR_MILLIS = 3_600_000;
const DAY_MILLIS = 86_400_000;

/**
 * `eventRows`: one per (customerId, productId) from the `intent` analytics statement;
 * `storeVisits`: occurredAt of each visit in the lookback window.
 */
export function intentOf(
  eventRows: ReadonlyArray<Row>,
  storeVisits: ReadonlyArray<string>,
  lastPurchaseAt: string | null,
  asOf: string,
  settings: InsightsConfig['intent'],
): IntentSignals {
  const asOfMillis = Date.parse(asOf);
  const byProduct = new Map<string, number>();
  let score = 0;
  let lastSignal = Number.NEGATIVE_INFINITY;
  let lastCart = Number.NEGATIVE_INFINITY;
  for (const row of eventRows) {
    const rowScore = Number(row.score ?? 0);
    score += rowScore;
    if (row.productId !== null && row.productId !== undefined) byProduct.set(String(row.productId), (byProduct.get(String(row.productId)) ?? 0) + rowScore);
    if (typeof row.lastAt === 'string') lastSignal = Math.max(lastSignal, Date.parse(row.lastAt));
    if (typeof row.lastCartAt === 'string') lastCart = Math.max(lastCart, Date.parse(row.lastCartAt));
  }
  for (const visit of storeVisits) {
    const at = Date.parse(visit);
    score += settings.storeVisitWeight * 0.5 ** ((asOfMillis - at) / DAY_MILLIS / settings.halfLifeDays);
    lastSignal = Math.max(lastSignal, at);
  }
  const purchasedAfterCart = lastPurchaseAt !== null && Date.parse(lastPurchaseAt) >= lastCart;
  const aboutToBuy = Number.isFinite(lastCart) && asOfMillis - lastCart <= settings.aboutToBuyHours * HOUR_MILLIS && !purchasedAfterCart;
  const productIds = [...byProduct.entries()]
    .filter(([, productScore]) => productScore > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en', { numeric: true }))
    .slice(0, settings.maxProducts)
    .map(([productId]) => productId);
  const rounded = Math.round(score * 1000) / 1000;
  return {
    score: rounded,
    level: intentLevelOf(rounded, settings.levels),
    productIds,
    aboutToBuy,
    lastSignalAt: Number.isFinite(lastSignal) ? new Date(lastSignal).toISOString() : null,
  };
}
