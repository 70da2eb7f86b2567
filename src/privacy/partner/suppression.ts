/** Small-group suppression: a count below the minimum group size k is never shown, nor derivable from a total. */

export interface GroupCounts {
  readonly groups: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly total: number | null;
  readonly suppressedGroups: number;
  readonly minGroupSize: number;
}

export function suppressSmallGroups(counts: ReadonlyMap<string, number>, minGroupSize: number): GroupCounts {
  const shown = [...counts].filter(([, count]) => count >= minGroupSize);
  const total = shown.reduce((sum, [, count]) => sum + count, 0);
  return {
    groups: shown.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([value, count]) => ({ value, count })),
    // The total is over the shown groups only, so it cannot reveal a suppressed one.
    total: total >= minGroupSize ? total : null,
    suppressedGroups: counts.size - shown.length,
    minGroupSize,
  };
}
