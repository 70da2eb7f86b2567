/**
 * customerSearch: what staff type, turned into a few index-friendly questions per source,
 * the rows found scored (an exact identifier first), deduplicated into customers, paged.
 * Each page asks the same questions again (offset cursor), so a page is stateless.
 */
import type { GraphQLSchema } from 'graphql';
import { SourceError, type Filter, type Row } from '../../../connectors/contract.js';
import { badUserInput } from '../../errors/codes.js';
import type { RequestContext } from '../../gateway/context.js';
import type { SearchMatch } from '../../generated/graphql.js';
import { CustomerHandle, type CustomerNeeds } from '../../identity/customer-handle.js';
import type { AnchorEntity } from '../../identity/customer-id.js';
import { IDENTIFIER_FIELDS, compareKeys, holdersOfPhone, type LinkSettings } from '../../identity/link.js';
import { decodeCursor, encodeCursor } from '../rows.js';
import { readableMatches, type Readable } from './readable.js';
import { readSearchedText, type SearchedText } from './searched-text.js';
import { WORD_FIELDS, scoreWords, wordsFilter, type Pass } from './word-match.js';

const ANCHORS: ReadonlyArray<AnchorEntity> = ['contact', 'shopCustomer'];
export const MAX_SEARCH_PAGE = 50;
/** Rows asked of each source per question: enough to rank a few pages, bounded. */
const MIN_CANDIDATES = 40;
const MAX_CANDIDATES = 300;
/** The typo-tolerant pass runs when the exact pass found fewer customers than this. */
const TYPO_PASS_BELOW = 3;
/** Candidates assembled per customer still needed, in each batch of the ranking. */
const RANK_BATCH_FACTOR = 2;

export interface SearchHit {
  readonly cursor: string;
  readonly node: CustomerHandle;
  readonly matchedOn: ReadonlyArray<SearchMatch>;
}

interface Candidate {
  readonly handle: CustomerHandle;
  readonly score: number;
  readonly matchedOn: ReadonlyArray<SearchMatch>;
}

export interface SearchPage {
  readonly edges: ReadonlyArray<SearchHit>;
  readonly hasNextPage: boolean;
}

/**
 * `onSourceFailure`: a source that failed while another answered. The page then holds the
 * other sources' matches, and the caller says so in the response; with it absent, or when
 * every source failed, the failure is the field's.
 */
export async function searchCustomerPage(
  ctx: RequestContext,
  schema: GraphQLSchema,
  needs: CustomerNeeds,
  text: string,
  first: number,
  after: string | null | undefined,
  onSourceFailure?: (error: SourceError) => void,
): Promise<SearchPage> {
  if (text.trim().length < 2) throw badUserInput('"text" needs at least 2 characters', 'text');
  if (first < 0 || first > MAX_SEARCH_PAGE) throw badUserInput(`"first" must be between 0 and ${MAX_SEARCH_PAGE}`, 'first');
  const offset = after == null ? 0 : Number(decodeCursor(after, 1, 'after')[0]);
  if (!Number.isInteger(offset) || offset < 0) throw badUserInput('"after" is not a cursor this field returned', 'after');
  const wanted = offset + first + 1;
  const searched = readSearchedText(text, ctx.link.defaultRegion);
  const readable = readableMatches(ctx, schema);
  const asker = new Asker(ctx, needs, Math.min(Math.max(2 * wanted, MIN_CANDIDATES), MAX_CANDIDATES), onSourceFailure);
  let candidates = await candidatesFor(asker, searched, readable, 'exact');
  // The typo pass runs only when the exact one found (nearly) nobody, which only linking
  // tells; when so few rows came back that it may, its statement is sent beside the
  // linking instead of after it (at most one customer in two rows is found so far).
  const typoPass =
    searched.kind === 'words' && candidates.length < 2 * Math.min(wanted, TYPO_PASS_BELOW) ? candidatesFor(asker, searched, readable, 'typo') : undefined;
  // Not awaited when the exact pass is enough: a failure of that statement then changes nothing.
  typoPass?.catch(() => undefined);
  let ranked = await rank(candidates, wanted);
  if (searched.kind === 'words' && ranked.length < Math.min(wanted, TYPO_PASS_BELOW)) {
    candidates = [...candidates, ...(await (typoPass ?? candidatesFor(asker, searched, readable, 'typo')))];
    ranked = await rank(candidates, wanted);
  }
  const page = ranked.slice(offset, offset + first);
  return {
    edges: page.map((hit, index) => ({ cursor: encodeCursor([offset + index + 1]), node: hit.handle, matchedOn: hit.matchedOn })),
    hasNextPage: ranked.length > offset + first,
  };
}

/** Asks the anchor entities for rows, with the projection every hit needs. */
class Asker {
  /** The hits' identity lookups go out as one statement per source, for every candidate linked at once. */
  readonly link: LinkSettings;

  constructor(
    readonly ctx: RequestContext,
    private readonly needs: CustomerNeeds,
    readonly limit: number,
    readonly onSourceFailure?: (error: SourceError) => void,
  ) {
    this.link = { ...ctx.link, lookupsInUnion: true };
  }

  entities(): AnchorEntity[] {
    return ANCHORS.filter((entity) => this.ctx.loaders.isMapped(entity));
  }

  mapped(entity: AnchorEntity): Set<string> {
    return new Set(this.ctx.loaders.mappedFields(entity, WORD_FIELDS));
  }

  projection(entity: AnchorEntity): string[] {
    return [...new Set([...this.needs[entity], ...IDENTIFIER_FIELDS[entity], ...this.mapped(entity)])];
  }

  handle(entity: AnchorEntity, row: Row): CustomerHandle {
    return new CustomerHandle({ entity, key: String(row.id) }, this.needs, this.ctx.loaders, this.link, row);
  }

  scan(entity: AnchorEntity, filter: Filter): Promise<ReadonlyArray<Row>> {
    return this.ctx.loaders.scan(entity, { projection: this.projection(entity), filter, orderBy: [{ field: 'id', direction: 'ASC' }], limit: this.limit });
  }
}

async function candidatesFor(asker: Asker, searched: SearchedText, readable: Readable, pass: Pass): Promise<Candidate[]> {
  const perEntity = await Promise.allSettled(asker.entities().map((entity) => entityCandidates(asker, entity, searched, readable, pass)));
  const answered = perEntity.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = perEntity.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  // One source down, hanging or refusing costs its own matches, not the other sources' (issue 13): they are listed, and the failure reported.
  if (failed.length > 0 && (answered.length === 0 || asker.onSourceFailure === undefined || !failed.every((error) => error instanceof SourceError)))
    throw failed[0];
  for (const error of failed) asker.onSourceFailure!(error as SourceError);
  return answered.flat();
}

async function entityCandidates(asker: Asker, entity: AnchorEntity, searched: SearchedText, readable: Readable, pass: Pass): Promise<Candidate[]> {
  const found = (row: Row, score: number, match: SearchMatch): Candidate => ({ handle: asker.handle(entity, row), score, matchedOn: [match] });
  switch (searched.kind) {
    case 'email': {
      if (!readable('EMAIL') || !asker.mapped(entity).has('email')) return [];
      const rows = await asker.scan(entity, { op: 'prefix', field: 'email', value: searched.value });
      return rows.map((row) => found(row, String(row.email).trim().toLowerCase() === searched.value ? 100 : 60, 'EMAIL'));
    }
    case 'phone': {
      if (!readable('PHONE')) return [];
      const rows = await holdersOfPhone(asker.ctx.loaders, entity, searched.e164, asker.projection(entity), asker.link);
      return rows.map((row) => found(row, 100, 'PHONE'));
    }
    case 'siret':
    case 'siren':
      return readable(searched.kind === 'siret' ? 'SIRET' : 'SIREN') ? companyCandidates(asker, entity, searched.kind, searched.digits) : [];
    case 'words': {
      const filter = wordsFilter(searched.words, asker.mapped(entity), readable, pass);
      if (filter === undefined) return [];
      const rows = await asker.scan(entity, filter);
      return rows.flatMap((row) => {
        const scored = scoreWords(row, searched.words, readable);
        return scored === null ? [] : [{ handle: asker.handle(entity, row), ...scored }];
      });
    }
  }
}

/** Spaced the way a SIRET is printed on invoices: 123 456 789 00012. */
function printed(digits: string): string {
  return digits.replace(/^(\d{3})(\d{3})(\d{3})(\d*)$/, '$1 $2 $3 $4').trim();
}

/**
 * A SIRET or SIREN: the shop's accounts holding it (as typed or printed), and the CRM's
 * contacts of the accounts holding it, the company itself before the people working there.
 */
async function companyCandidates(asker: Asker, entity: AnchorEntity, kind: 'siret' | 'siren', digits: string): Promise<Candidate[]> {
  const { loaders } = asker.ctx;
  const match: SearchMatch = kind === 'siret' ? 'SIRET' : 'SIREN';
  if (entity === 'shopCustomer') {
    if (loaders.mappedFields(entity, ['siret']).length === 0) return [];
    const filter: Filter =
      kind === 'siret'
        ? { op: 'in', field: 'siret', values: [digits, printed(digits)] }
        : { op: 'or', filters: [digits, printed(digits)].map((value) => ({ op: 'prefix', field: 'siret', value })) };
    const rows = await asker.scan(entity, filter);
    return rows.map((row) => ({ handle: asker.handle(entity, row), score: 100, matchedOn: [match] }));
  }
  if (!loaders.isMapped('account') || loaders.mappedFields('account', [kind]).length === 0 || loaders.mappedFields('contact', ['accountId']).length === 0)
    return [];
  const accounts = await loaders.scan('account', {
    projection: ['id'],
    filter: { op: 'in', field: kind, values: [digits, printed(digits)] },
    orderBy: [{ field: 'id', direction: 'ASC' }],
    limit: asker.limit,
  });
  if (accounts.length === 0) return [];
  const rows = await asker.scan('contact', { op: 'in', field: 'accountId', values: accounts.map((account) => String(account.id)) });
  return rows.map((row) => ({ handle: asker.handle('contact', row), score: row.kind === 'COMPANY' ? 100 : 80, matchedOn: [match] }));
}

/**
 * One hit per customer, with its best score; best first, CRM anchors before shop ones at
 * equal scores; at least `enough` customers when the candidates hold that many.
 *
 * A candidate's customer is known only once its links are assembled (identity lookups in
 * each source), so the candidates are assembled best first, a batch at a time, and no
 * further once `enough` customers are found: a page of 10 links about 11 candidates, not
 * every one of the 80 the sources returned. In that order the first candidate of a
 * customer is its best, so the hits and their order are those of assembling them all;
 * `matchedOn` gathers what the examined candidates of a customer matched on.
 */
async function rank(candidates: ReadonlyArray<Candidate>, enough: number): Promise<Candidate[]> {
  const sorted = [...candidates].sort((a, b) => b.score - a.score || anchorOrder(a, b));
  const best = new Map<string, Candidate>();
  let examined = 0;
  while (examined < sorted.length && best.size < enough) {
    // A customer's candidates often sit side by side (a contact and its shop account, two
    // spellings): twice as many as still needed, so a second round of lookups is rare.
    const batch = sorted.slice(examined, examined + RANK_BATCH_FACTOR * (enough - best.size));
    examined += batch.length;
    const settled = await Promise.allSettled(batch.map(async (candidate) => ((await candidate.handle.assembly()) === null ? null : candidate.handle.id())));
    batch.forEach((candidate, index) => {
      const outcome = settled[index]!;
      if (outcome.status === 'rejected') throw outcome.reason;
      const id = outcome.value;
      if (id === null) return;
      const known = best.get(id);
      best.set(id, known === undefined ? candidate : { ...known, matchedOn: [...new Set([...known.matchedOn, ...candidate.matchedOn])] });
    });
  }
  return [...best.values()];
}

function anchorOrder(a: Candidate, b: Candidate): number {
  const entity = (candidate: Candidate): number => (candidate.handle.anchor.entity === 'contact' ? 0 : 1);
  return entity(a) - entity(b) || compareKeys(a.handle.anchor.key, b.handle.anchor.key);
}
