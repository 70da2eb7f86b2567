/**
 * Survivorship: which record's value becomes a golden field. Pure: the resolver hands in
 * the customer's records in assembly order (CRM contact first, then shop accounts by link
 * strength), the configured strategy picks one, and every record's value is kept so
 * conflicts stay visible.
 */
import { disagree } from './conflict.js';
import type { Row } from '../../connectors/contract.js';
import type { AnchorEntity } from './customer-id.js';

export const SURVIVORSHIP_STRATEGIES = ['sourcePriority', 'mostRecent', 'mostFrequent'] as const;
export type SurvivorshipStrategy = (typeof SURVIVORSHIP_STRATEGIES)[number];

export const GOLDEN_FIELDS = ['email', 'phone', 'name', 'address', 'kind', 'companyName'] as const;
export type GoldenField = (typeof GOLDEN_FIELDS)[number];

export interface FieldRule {
  readonly strategy: SurvivorshipStrategy;
  /** Source names, most trusted first; unlisted sources follow in assembly order. */
  readonly sources: ReadonlyArray<string>;
}

export interface SurvivorshipConfig {
  readonly default: FieldRule;
  readonly fields: Readonly<Partial<Record<GoldenField, FieldRule>>>;
}

/** Today's behaviour: the first valid value in assembly order. */
export const DEFAULT_SURVIVORSHIP: SurvivorshipConfig = { default: { strategy: 'sourcePriority', sources: [] }, fields: {} };

export function ruleFor(config: SurvivorshipConfig | undefined, field: GoldenField): FieldRule {
  const chosen = config ?? DEFAULT_SURVIVORSHIP;
  return chosen.fields[field] ?? chosen.default;
}

/** One source record of the customer, named the way provenance reports it. */
export interface SourcedRecord {
  readonly source: string;
  readonly entity: AnchorEntity;
  readonly key: string;
  readonly updatedAt: string | null;
  readonly row: Row;
}

/** A record's value for one field: `normalized` decides equality (frequency, conflicts). */
export interface Candidate<T> {
  readonly record: SourcedRecord;
  readonly value: T;
  readonly normalized: string;
}

/** Candidates ordered by the configured sources; a stable sort keeps assembly order within one. */
export function inSourceOrder<T>(candidates: ReadonlyArray<Candidate<T>>, sources: ReadonlyArray<string>): Candidate<T>[] {
  const rank = (candidate: Candidate<T>) => {
    const index = sources.indexOf(candidate.record.source);
    return index === -1 ? sources.length : index;
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b));
}

function timeOf(candidate: Candidate<unknown>): number {
  const millis = candidate.record.updatedAt === null ? Number.NaN : Date.parse(candidate.record.updatedAt);
  return Number.isNaN(millis) ? Number.NEGATIVE_INFINITY : millis;
}

/** The winning candidate, or null when no record has a value. Ties go to source priority. */
export function survive<T>(candidates: ReadonlyArray<Candidate<T>>, rule: FieldRule): Candidate<T> | null {
  const ordered = inSourceOrder(candidates, rule.sources);
  if (ordered.length === 0) return null;
  switch (rule.strategy) {
    case 'sourcePriority':
      return ordered[0]!;
    case 'mostRecent':
      // Strictly later wins, so an undated record or an equal time keeps the priority order.
      return ordered.reduce((best, candidate) => (timeOf(candidate) > timeOf(best) ? candidate : best));
    case 'mostFrequent': {
      const counts = new Map<string, number>();
      for (const candidate of ordered) counts.set(candidate.normalized, (counts.get(candidate.normalized) ?? 0) + 1);
      return ordered.reduce((best, candidate) => ((counts.get(candidate.normalized) ?? 0) > (counts.get(best.normalized) ?? 0) ? candidate : best));
    }
    default: {
      const unknown: never = rule.strategy;
      throw new Error(`unknown survivorship strategy ${String(unknown)}`);
    }
  }
}

export interface Survived<T> {
  readonly winner: Candidate<T> | null;
  readonly rule: FieldRule;
  /** Every record's value, in the order the rule ranked the sources. */
  readonly alternatives: ReadonlyArray<Candidate<T>>;
  /** The records hold more than one normalized value. */
  readonly conflict: boolean;
}

export function surviveField<T>(candidates: ReadonlyArray<Candidate<T>>, rule: FieldRule): Survived<T> {
  return {
    winner: survive(candidates, rule),
    rule,
    alternatives: inSourceOrder(candidates, rule.sources),
    conflict: disagree(candidates),
  };
}
