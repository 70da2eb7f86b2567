/**
 * A trigger's condition on one customer view, as a state (true / false), and the
 * transition that fires it: into the state, or (segment left) out of it.
 */
import type { TriggerCondition } from '../config/triggers-config.js';
import { atLeast } from '../insights/rules.js';
import type { CustomerView } from './evaluate.js';

const HOUR_MILLIS = 3_600_000;

function hasCategory(view: CustomerView, category: string | undefined): boolean {
  if (category === undefined) return true;
  const wanted = category.toLowerCase();
  return (view.intent?.categories ?? []).some((found) => found.toLowerCase() === wanted);
}

/** Whether the customer is in the condition's state now. */
export function holdsNow(when: TriggerCondition, view: CustomerView): boolean {
  if (when.intent !== undefined) return view.intent != null && atLeast(view.intent.level, when.intent.level) && hasCategory(view, when.intent.category);
  if (when.aboutToBuy !== undefined) return view.intent?.aboutToBuy === true && hasCategory(view, when.aboutToBuy.category);
  if (when.segment !== undefined) return (view.segments ?? []).includes(when.segment.id);
  if (when.storeVisitAfterCart !== undefined) {
    if (view.lastCartAt == null || view.lastStoreVisitAt == null) return false;
    const gap = Date.parse(view.lastStoreVisitAt) - Date.parse(view.lastCartAt);
    return gap > 0 && gap <= when.storeVisitAfterCart.withinHours * HOUR_MILLIS;
  }
  if (when.openTicket !== undefined) return (view.openTickets ?? 0) > 0 && (view.segments ?? []).includes(when.openTicket.segment);
  return false;
}

/** Fires on entering the state; a `segment: { on: leave }` fires on leaving it. */
export function fires(when: TriggerCondition, before: boolean, now: boolean): boolean {
  return when.segment?.on === 'leave' ? before && !now : !before && now;
}
