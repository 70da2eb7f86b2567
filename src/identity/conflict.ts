/**
 * One definition of "the sources disagree on a field", for `dataQuality.conflicts` and
 * `provenance.<field>.conflict` alike (docs/identity.md): the customer's records hold more
 * than one normalized candidate value, each record counted by the value it would give the
 * golden record (src/identity/golden-candidates.ts: a contact's mobile before its landline,
 * junk and invalid values left out). A CRM landline beside a mobile equal to the shop's is
 * one phone per record, the same in both: no conflict.
 */
export function disagree(candidates: ReadonlyArray<{ readonly normalized: string }>): boolean {
  return new Set(candidates.map((candidate) => candidate.normalized)).size > 1;
}
