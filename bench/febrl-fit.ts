/**
 * The fitted model for FEBRL records, by the code `c360 identity fit` runs
 * (src/identity/fit-model.ts: u from random pairs, m by EM over blocked pairs, no truth).
 * bench/febrl.ts runs the command itself on the loaded tables; the offline replay
 * (bench/febrl-replay.ts) calls this on the same records in memory.
 */
import { fitPersonModel } from '../src/identity/fit-model.js';
import { matchRecordOf } from '../src/identity/probabilistic.js';
import type { MatchModel, MatchRecord } from '../src/identity/scoring.js';
import type { Row } from '../connectors/contract.js';
import type { FebrlRecord } from './febrl-data.js';

export function febrlRowOf(r: FebrlRecord): Row {
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

export function febrlMatchRecord(r: FebrlRecord): MatchRecord {
  return matchRecordOf(febrlRowOf(r));
}

export function fitModel(left: ReadonlyArray<FebrlRecord>, right: ReadonlyArray<FebrlRecord>, randomPairs = 200_000): MatchModel {
  const leftRows = left.map(febrlRowOf);
  const rightRows = left === right ? leftRows : right.map(febrlRowOf);
  return fitPersonModel(leftRows, rightRows, { randomPairs }).model;
}
