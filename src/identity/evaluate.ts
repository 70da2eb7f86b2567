/**
 * Scoring a linkage against a labelled sample: which records each resolution put in one
 * customer, compared with pairs labelled "same person" or "different people", each with
 * a class (gmailDots, householdEmail…). A false merge is a pair of different people in one
 * customer, seen from either side. Used by `c360 identity evaluate` and the tests.
 */

/** A labelled pair of records ("contact:12", "shopCustomer:7"). */
export interface LabelledRecordPair {
  readonly a: string;
  readonly b: string;
  readonly label: string;
  readonly same: boolean;
}

export interface ClassFigures {
  readonly label: string;
  readonly same: boolean;
  readonly pairs: number;
  /** same: pairs linked; different: pairs merged (false merges). */
  readonly linked: number;
  /** Pairs linked from one side only: the two records got two different customers. */
  readonly oneWay: number;
}

export interface Evaluation {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly falseMerges: number;
  readonly byClass: ReadonlyArray<ClassFigures>;
}

/** `members(record)`: the records of the customer resolved from `record` (itself included). */
export function evaluateLinkage(pairs: ReadonlyArray<LabelledRecordPair>, members: (record: string) => ReadonlySet<string> | undefined): Evaluation {
  const byClass = new Map<string, { same: boolean; pairs: number; linked: number; oneWay: number }>();
  let truePositives = 0;
  let falsePositives = 0;
  let positives = 0;
  for (const pair of pairs) {
    const fromA = members(pair.a)?.has(pair.b) ?? false;
    const fromB = members(pair.b)?.has(pair.a) ?? false;
    const linked = fromA || fromB;
    const figures = byClass.get(pair.label) ?? { same: pair.same, pairs: 0, linked: 0, oneWay: 0 };
    figures.pairs += 1;
    if (linked) figures.linked += 1;
    if (fromA !== fromB) figures.oneWay += 1;
    byClass.set(pair.label, figures);
    if (pair.same) {
      positives += 1;
      if (linked) truePositives += 1;
    } else if (linked) falsePositives += 1;
  }
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = positives === 0 ? 1 : truePositives / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision,
    recall,
    f1,
    falseMerges: falsePositives,
    byClass: [...byClass.entries()]
      .map(([label, figures]) => ({ label, ...figures }))
      .sort((x, y) => Number(y.same) - Number(x.same) || (x.label < y.label ? -1 : 1)),
  };
}

/** The evaluation as a table, one line per class. */
export function formatEvaluation(evaluation: Evaluation): string {
  const lines = [
    `precision ${evaluation.precision.toFixed(4)}  recall ${evaluation.recall.toFixed(4)}  F1 ${evaluation.f1.toFixed(4)}  false merges ${evaluation.falseMerges}`,
    'class                    kind       pairs  linked  one-way',
  ];
  for (const figures of evaluation.byClass) {
    lines.push(
      `${figures.label.padEnd(24)} ${(figures.same ? 'same' : 'different').padEnd(10)} ${String(figures.pairs).padStart(5)}  ${String(figures.linked).padStart(6)}  ${String(figures.oneWay).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
