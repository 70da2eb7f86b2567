/**
 * One transitive hop at query time. A record with several duplicates, each corrupted
 * differently, can be far from some of them while each is close to another: A–B and
 * B–C link, A–C scores low or shares no block. Resolving the strongest direct links once
 * more (never further: no closure, so one bad link cannot chain a household together)
 * finds A–C. Cost: the seeds' blocking loads start in one tick, so at most one more
 * statement per blocking field, whatever the number of seeds, batched across a page.
 */
import type { Row } from '../../connectors/contract.js';
import type { AnchorEntity } from './customer-id.js';
import type { LinkedRecord } from './link.js';
import type { ProbableMatches } from './probabilistic.js';

/** The direct links to resolve one hop further: the `max` most probable, ties in key order. */
export function hopSeeds(links: ReadonlyArray<LinkedRecord>, max: number): LinkedRecord[] {
  if (max <= 0) return [];
  return [...links].sort((a, b) => (b.score?.probability ?? 1) - (a.score?.probability ?? 1) || (String(a.row.id) < String(b.row.id) ? -1 : 1)).slice(0, max);
}

/**
 * The direct matches of `from` plus the links of its seeds (`hops`), each record once
 * and never `from` itself. A hop link keeps the score of the link that found it (seed to
 * record); what the hops only found possible is not shown, since `from` was not compared.
 */
export function withHop(
  from: { readonly entity: AnchorEntity; readonly row: Row },
  direct: ProbableMatches,
  hops: ReadonlyArray<ProbableMatches>,
): ProbableMatches {
  const keyOf = (record: { readonly entity: AnchorEntity; readonly row: Row }) => `${record.entity}:${String(record.row.id)}`;
  const seen = new Set([keyOf(from), ...direct.links.map(keyOf)]);
  const links = [...direct.links];
  for (const hop of hops) {
    for (const link of hop.links) {
      if (seen.has(keyOf(link))) continue;
      seen.add(keyOf(link));
      links.push(link);
    }
  }
  return { links, possible: direct.possible.filter((record) => !seen.has(keyOf(record))) };
}
