/** What a partner aggregate answers; built by the release policy (./release-policy.ts). */

export interface GroupCounts {
  readonly groups: ReadonlyArray<{ readonly value: string; readonly count: number }>;
  readonly total: number | null;
  readonly suppressedGroups: number;
  readonly minGroupSize: number;
}
