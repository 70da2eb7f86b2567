/** The `insights:` section of c360.yaml: defaults, and every problem reported with its path. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { DEFAULT_SEGMENTS } from '../../src/config/insights-config.js';
import { parseConfig } from '../../src/config/parse.js';

const base = { sources: {}, entities: {} };

function problemsOf(insights: unknown): string[] {
  try {
    parseConfig({ ...base, insights });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('insights config', () => {
  it('defaults to a 365-day window, the standard grid and the marketing segments', () => {
    const config = parseConfig(base);
    expect(config.insights?.rfm.windowDays).toBe(365);
    expect(config.insights?.segments.map((segment) => segment.id)).toEqual(Object.keys(DEFAULT_SEGMENTS));
    expect(config.insights?.segments.find((segment) => segment.id === 'window_shoppers')?.rule).toEqual({ kind: 'intentWithoutPurchase', level: 'HIGH' });
  });

  it('the default grid gives every R, F, M cell exactly one segment', () => {
    // Parsing the defaults as a user map runs the overlap check; coverage is counted here.
    expect(problemsOf({ segments: DEFAULT_SEGMENTS })).toEqual([]);
    const grid = Object.values(DEFAULT_SEGMENTS).filter((segment) => segment.family === 'GRID');
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const claimants = grid.filter(
          ({ when }) => (when?.r?.min ?? 1) <= r && r <= (when?.r?.max ?? 5) && (when?.f?.min ?? 1) <= f && f <= (when?.f?.max ?? 5),
        );
        expect({ r, f, claimants: claimants.length }).toEqual({ r, f, claimants: 1 });
      }
    }
  });

  it('reports overlapping grid segments, rules that are neither or both kinds, and unordered levels', () => {
    expect(
      problemsOf({ segments: { a: { label: 'A', family: 'GRID', when: { r: { min: 4 } } }, b: { label: 'B', family: 'GRID', when: { f: { min: 5 } } } } }),
    ).toEqual(['insights.segments.b: GRID segments "a" and "b" overlap at R=4 F=5 M=1']);
    expect(problemsOf({ segments: { a: { label: 'A', family: 'MARKETING' } } })).toEqual([
      'insights.segments.a: give exactly one of "when" or "intentWithoutPurchase"',
    ]);
    expect(problemsOf({ intent: { levels: { low: 5, medium: 2, high: 9 } } })).toEqual(['insights.intent.levels: expected low < medium < high']);
    expect(problemsOf({ rfm: { windowDays: 0 } })).toHaveLength(1);
  });
});
