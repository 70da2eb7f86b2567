/**
 * Offline replay of the query-time matcher on FEBRL: the same blocking keys, per-block cap,
 * scoring, names guard and transitive hop as src/identity/probabilistic.ts, over in-memory
 * blocks instead of loads. For looking at misses and trying settings in seconds; the
 * figures that count come from bench/febrl.ts (real databases, through GraphQL). Blocks
 * capped at candidatesPerBlock keep the lowest ids in JavaScript order, which may differ
 * from the database's collation on the rare capped block (counted and printed).
 *
 *   node dist/bench/febrl-replay.js [febrl3|febrl4] [--transitive N] [--names-may-disagree] [--no-swapped-names] [--link-above P] [--misses K]
 */
import { join } from 'node:path';
import type { Row } from '../connectors/contract.js';
import { compileIdentityConfig, identitySchema, type BlockingField, type ProbabilisticConfig } from '../src/config/identity-config.js';
import {
  blockingKey,
  blockingRuleKey,
  blockingRuleName,
  closestInBlock,
  evidenceAgainst,
  matchRecordOf,
  namesConflict,
  scoreCandidates,
  scoreEitherWay,
  type ProbableMatches,
} from '../src/identity/probabilistic.js';
import { hopSeeds, withHop } from '../src/identity/transitive.js';
import { entityOf, pairKey, readFebrl, scoreLinks, type FebrlRecord } from './febrl-data.js';
import { fitModel } from './febrl-fit.js';

const DATA = process.env.C360_FEBRL_DIR ?? '/work/shared/data/febrl';
const BLOCKING: ReadonlyArray<BlockingField> = ['birthDate', 'lastName', 'postcode', 'firstName', 'nationalId'];

export function febrlRow(r: FebrlRecord): Row {
  return {
    id: r.id,
    firstName: r.givenName,
    lastName: r.surname,
    street: r.street,
    postcode: r.postcode,
    city: r.suburb,
    birthDate: r.birthDate,
    nationalId: r.socSecId,
    kind: 'PERSON',
  };
}

/** In-memory blocks: per blocking field, rows by normalized key, lowest ids first, capped. */
class Blocks {
  readonly capped: number;
  /** Per blocking rule (by name), rows by normalized key. */
  private readonly index = new Map<string, Map<string, Row[]>>();

  constructor(
    rows: ReadonlyArray<Row>,
    private readonly config: ProbabilisticConfig,
  ) {
    const sorted = [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    let capped = 0;
    for (const rule of config.blocking) {
      const byKey = new Map<string, Row[]>();
      for (const row of sorted) {
        const key = blockingRuleKey(rule, row);
        if (key !== null) byKey.set(String(key), [...(byKey.get(String(key)) ?? []), row]);
      }
      for (const [key, block] of byKey) {
        if (block.length > config.candidatesPerBlock) capped += 1;
        // As findDirect reads it: whole up to maxBlockRows (ranked later), left out above.
        byKey.set(key, block.length <= config.maxBlockRows ? block : []);
      }
      this.index.set(blockingRuleName(rule), byKey);
    }
    this.capped = capped;
  }

  direct(from: Row, sameSource: boolean): ProbableMatches {
    const candidates = new Map<string, Row>();
    for (const rule of this.config.blocking) {
      const key = blockingRuleKey(rule, from);
      if (key === null) continue;
      for (const row of closestInBlock(from, this.index.get(blockingRuleName(rule))?.get(String(key)) ?? [], this.config.candidatesPerBlock))
        candidates.set(String(row.id), row);
    }
    if (sameSource) candidates.delete(String(from.id));
    return scoreCandidates(from, candidates.values(), 'contact', this.config);
  }
}

interface Replay {
  readonly predicted: Set<string>;
  readonly truth: Set<string>;
}

function replay(
  left: ReadonlyArray<FebrlRecord>,
  right: ReadonlyArray<FebrlRecord>,
  sameSource: boolean,
  config: ProbabilisticConfig,
): Replay & { capped: number } {
  const blocks = new Blocks(right.map(febrlRow), config);
  const predicted = new Set<string>();
  for (const record of left) {
    const from = { entity: 'contact' as const, row: febrlRow(record) };
    const direct = blocks.direct(from.row, sameSource);
    const seeds = sameSource || config.sameSource ? hopSeeds(direct.links, config.transitiveLinks) : [];
    const matches =
      seeds.length === 0
        ? direct
        : withHop(
            from,
            direct,
            seeds.map((seed) => blocks.direct(seed.row, true)),
          );
    for (const link of matches.links) predicted.add(pairKey(record.id, String(link.row.id)));
  }
  const truth = new Set<string>();
  const byEntity = new Map<string, string[]>();
  for (const r of right) byEntity.set(entityOf(r.id), [...(byEntity.get(entityOf(r.id)) ?? []), r.id]);
  for (const r of left) for (const other of byEntity.get(entityOf(r.id)) ?? []) if (other !== r.id) truth.add(pairKey(r.id, other));
  return { predicted, truth, capped: blocks.capped };
}

function describeMiss(pair: string, byId: ReadonlyMap<string, FebrlRecord>, config: ProbabilisticConfig): Record<string, unknown> {
  const [a, b] = pair.split('|').map((id) => byId.get(id)!);
  const score = scoreEitherWay(matchRecordOf(febrlRow(a!)), matchRecordOf(febrlRow(b!)), config.model);
  const shared = BLOCKING.filter((field) => {
    const key = blockingKey(field, febrlRow(a!));
    return key !== null && key === blockingKey(field, febrlRow(b!));
  });
  return {
    a: a,
    b: b,
    probability: Number(score.probability.toPrecision(3)),
    levels: Object.fromEntries(score.fields.map((f) => [f.field, f.level])),
    namesConflict: namesConflict(score, config.model),
    evidenceAgainst: evidenceAgainst(febrlRow(a!), febrlRow(b!), score, config.twinsApart),
    sharedBlocks: shared,
  };
}

/** Why a pair was not linked, by the first cause that applies. */
function missClass(pair: string, byId: ReadonlyMap<string, FebrlRecord>, config: ProbabilisticConfig): string {
  const described = describeMiss(pair, byId, config);
  if ((described.sharedBlocks as unknown[]).length === 0) return 'noSharedBlock';
  if (described.evidenceAgainst !== null) return `evidence:${String(described.evidenceAgainst)}`;
  if (described.namesConflict === true) return 'namesConflict';
  if ((described.probability as number) <= config.linkAbove) return 'belowLinkAbove';
  return 'cappedOrHop';
}

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const which = process.argv[2] ?? 'febrl3';
const [left, right] =
  which === 'febrl4'
    ? [readFebrl(join(DATA, 'dataset4a.csv')), readFebrl(join(DATA, 'dataset4b.csv'))]
    : [readFebrl(join(DATA, 'dataset3.csv')), readFebrl(join(DATA, 'dataset3.csv'))];
const sameSource = which !== 'febrl4';
const byId = (records: ReadonlyArray<FebrlRecord>) => [...records].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
const config = compileIdentityConfig(
  identitySchema.parse({
    probabilistic: {
      enabled: true,
      sameSource,
      blocking: BLOCKING,
      namesMustAgree: !process.argv.includes('--names-may-disagree'),
      transitiveLinks: Number(arg('--transitive') ?? 0),
      swappedNames: !process.argv.includes('--no-swapped-names'),
      twinsApart: !process.argv.includes('--twins-may-share-a-birth-date'),
      linkAbove: Number(arg('--link-above') ?? 0.95),
      candidatesPerBlock: Number(arg('--per-block') ?? 50),
      // In key order, as `c360 identity fit` scans the tables (the random pairs u is counted on depend on it).
      model: fitModel(byId(left), byId(right)),
    },
  }),
).probabilistic;
const started = performance.now();
const { predicted, truth, capped } = replay(left, right, sameSource, config);
const quality = scoreLinks(predicted, truth);
console.log(
  JSON.stringify({
    dataset: which,
    transitiveLinks: config.transitiveLinks,
    namesMustAgree: config.namesMustAgree,
    swappedNames: config.swappedNames,
    linkAbove: config.linkAbove,
    cappedBlocks: capped,
    ...quality,
    millis: Math.round(performance.now() - started),
  }),
);
const misses = Number(arg('--misses') ?? 0);
if (misses > 0) {
  const byId = new Map([...left, ...right].map((r) => [r.id, r]));
  const missed = [...truth].filter((pair) => !predicted.has(pair));
  const classes = new Map<string, number>();
  for (const pair of missed) classes.set(missClass(pair, byId, config), (classes.get(missClass(pair, byId, config)) ?? 0) + 1);
  console.log(JSON.stringify({ missesByClass: Object.fromEntries(classes) }));
  for (const pair of missed.slice(0, misses)) console.log(JSON.stringify(describeMiss(pair, byId, config)));
  const wrong = [...predicted].filter((pair) => !truth.has(pair));
  for (const pair of wrong.slice(0, misses)) console.log(JSON.stringify({ falseLink: describeMiss(pair, byId, config) }));
}
