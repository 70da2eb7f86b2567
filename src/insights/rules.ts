/**
 * Segment rules evaluated on one customer's measures: the same predicates the source
 * evaluates for segment totals (connectors/sql/analytics.ts), here for Customer.segments.
 */
import type { RfmMetric, RfmPredicate } from '../../connectors/contract.js';
import type { IntentLevel, InsightsConfig, SegmentDefinition } from '../config/insights-config.js';

export interface RfmMeasures {
  readonly recencyDays: number;
  readonly tenureDays: number;
  readonly frequency: number;
  readonly monetary: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly firstPurchaseAt: string | null;
  readonly lastPurchaseAt: string | null;
}

export function holds(predicate: RfmPredicate, measures: RfmMeasures): boolean {
  return (Object.entries(predicate) as Array<[RfmMetric, RfmPredicate[RfmMetric]]>).every(([metric, range]) => {
    if (range === undefined) return true;
    const value = measures[metric];
    return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  });
}

const LEVEL_ORDER: Readonly<Record<IntentLevel, number>> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

export function intentLevelOf(score: number, levels: InsightsConfig['intent']['levels']): IntentLevel {
  if (score >= levels.high) return 'HIGH';
  if (score >= levels.medium) return 'MEDIUM';
  if (score >= levels.low) return 'LOW';
  return 'NONE';
}

export function atLeast(level: IntentLevel, minimum: IntentLevel): boolean {
  return LEVEL_ORDER[level] >= LEVEL_ORDER[minimum];
}

/**
 * The segments a customer is in: at most one GRID segment (the first that holds) and every
 * MARKETING segment that holds. `rfm` is null for a customer with no order in the window.
 */
export function segmentsOf(segments: ReadonlyArray<SegmentDefinition>, rfm: RfmMeasures | null, intent: IntentLevel): SegmentDefinition[] {
  let gridTaken = false;
  return segments.filter((segment) => {
    const matched = segment.rule.kind === 'rfm' ? rfm !== null && holds(segment.rule.when, rfm) : rfm === null && atLeast(intent, segment.rule.level);
    if (!matched || segment.family === 'MARKETING') return matched;
    if (gridTaken) return false;
    gridTaken = true;
    return true;
  });
}

/** Combines a customer's shop accounts: the nearest last order, the earliest first, summed counts and money, the best scores. */
export function combineAccounts(accounts: ReadonlyArray<RfmMeasures>): RfmMeasures | null {
  if (accounts.length <= 1) return accounts[0] ?? null;
  const pick = (values: ReadonlyArray<string | null>, direction: 1 | -1): string | null =>
    values.filter((value): value is string => value !== null).sort((a, b) => (a < b ? -direction : direction))[0] ?? null;
  return {
    recencyDays: Math.min(...accounts.map((a) => a.recencyDays)),
    tenureDays: Math.max(...accounts.map((a) => a.tenureDays)),
    frequency: accounts.reduce((sum, a) => sum + a.frequency, 0),
    monetary: accounts.reduce((sum, a) => sum + a.monetary, 0),
    r: Math.max(...accounts.map((a) => a.r)),
    f: Math.max(...accounts.map((a) => a.f)),
    m: Math.max(...accounts.map((a) => a.m)),
    firstPurchaseAt: pick(
      accounts.map((a) => a.firstPurchaseAt),
      1,
    ),
    lastPurchaseAt: pick(
      accounts.map((a) => a.lastPurchaseAt),
      -1,
    ),
  };
}
