/** Periods of the time dimension in UTC, as the shop statement computes them: the first day, YYYY-MM-DD; weeks start on Monday. */
import type { CubeGranularity } from '../../connectors/cube-contract.js';

const DAY_MILLIS = 86_400_000;

export function periodOf(iso: string, granularity: CubeGranularity): string {
  const at = new Date(iso);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  switch (granularity) {
    case 'DAY':
      return ymd(year, month, at.getUTCDate());
    case 'WEEK': {
      const monday = new Date(Date.UTC(year, month, at.getUTCDate()) - ((at.getUTCDay() + 6) % 7) * DAY_MILLIS);
      return ymd(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate());
    }
    case 'MONTH':
      return ymd(year, month, 1);
    case 'QUARTER':
      return ymd(year, month - (month % 3), 1);
    case 'YEAR':
      return ymd(year, 0, 1);
  }
}

/** How many periods [from, to) touches; the cost estimate's time factor. */
export function periodsBetween(from: string, to: string, granularity: CubeGranularity): number {
  const start = Date.parse(from);
  const end = Date.parse(to);
  switch (granularity) {
    case 'DAY':
      return Math.ceil((end - start) / DAY_MILLIS) + 1;
    case 'WEEK':
      return Math.ceil((end - start) / (7 * DAY_MILLIS)) + 1;
    default: {
      const a = new Date(start);
      const b = new Date(end);
      const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
      return granularity === 'MONTH' ? months : granularity === 'QUARTER' ? Math.ceil(months / 3) + 1 : b.getUTCFullYear() - a.getUTCFullYear() + 1;
    }
  }
}

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
