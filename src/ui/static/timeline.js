// The timeline panel: newest first, "older entries" for the next page, filters by kind and source.
import { el, table } from './dom.js';
import { graphql, outcomeOf } from './gql.js';
import { formatMoney, t } from './i18n.js';
import { enumLabel } from './words.js';

const PAGE = 20;
const KINDS = ['ORDER', 'STORE_VISIT', 'INTERACTION', 'TICKET'];
const TIMELINE_QUERY = `query Timeline($id: ID!, $first: Int, $before: DateTime, $kinds: [TimelineKind!], $sources: [String!]) { customer(id: $id) {
  sources { source }
  timeline(first: $first, newestFirst: true, before: $before, kinds: $kinds, sources: $sources) { at kind source order { id total status } interaction { type subject } ticket { subject status } } } }`;
const FALLBACK_TIMELINE_QUERY = `query TimelineWithoutTickets($id: ID!) { customer(id: $id) {
  sources { source entity key } orders(first: 50) { nodes { id total placedAt status } } interactions(first: 50) { type subject occurredAt } } }`;

function what(entry) {
  if (entry.order)
    return `#${entry.order.id} ${entry.order.total == null ? '' : formatMoney(entry.order.total)} · ${enumLabel('OrderStatus', entry.order.status)}`;
  if (entry.interaction) return `${enumLabel('InteractionType', entry.interaction.type)} ${entry.interaction.subject ?? ''}`;
  if (entry.ticket) return `${entry.ticket.subject ?? ''} (${enumLabel('TicketStatus', entry.ticket.status)})`;
  return '';
}

const rowOf = (entry) => ({ at: entry.at, kind: enumLabel('TimelineKind', entry.kind), source: entry.source, what: what(entry) });

/** When one source fails the timeline is null; rebuild it from orders and interactions, newest first, and say so. */
async function fallback(id, outcome) {
  const answer = await graphql(FALLBACK_TIMELINE_QUERY, { id });
  const customer = answer.data?.customer;
  const sourceOf = (entity) => customer?.sources?.find((record) => record.entity === entity)?.source ?? '—';
  // An order of a source other than the shop's primary one carries that source's name before its key ("loyalty:1233");
  // the primary's orders are its accounts' (records whose key carries no such name).
  const orderSource = (order) => {
    const prefixed = customer?.sources?.find((record) => String(order.id).startsWith(`${record.source}:`));
    if (prefixed !== undefined) return prefixed.source;
    return (
      customer?.sources?.find((record) => record.entity === 'shopCustomer' && !String(record.key).startsWith(`${record.source}:`))?.source ??
      sourceOf('shopCustomer')
    );
  };
  const entries = [
    ...(customer?.orders?.nodes ?? []).map((order) => ({ at: order.placedAt, kind: 'ORDER', source: orderSource(order), order })),
    ...(customer?.interactions ?? []).map((interaction) => ({
      at: interaction.occurredAt,
      kind: interaction.type === 'STORE_VISIT' ? 'STORE_VISIT' : 'INTERACTION',
      source: sourceOf('contact'),
      interaction,
    })),
  ].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  return { result: answer, data: customer == null ? undefined : { id, entries, partialSource: outcome.source ?? outcome.code, sources: [], hasMore: false } };
}

export async function loadTimeline(id) {
  const result = await graphql(TIMELINE_QUERY, { id, first: PAGE + 1 });
  const outcome = outcomeOf(result, result.data?.customer?.timeline ?? undefined);
  if (outcome.kind === 'outage') return fallback(id, outcome);
  const entries = result.data?.customer?.timeline ?? [];
  const sources = [...new Set((result.data?.customer?.sources ?? []).map((record) => record.source))];
  return { result, data: { id, entries: entries.slice(0, PAGE), hasMore: entries.length > PAGE, sources } };
}

export function renderTimeline({ id, entries, partialSource, sources, hasMore }) {
  let shown = [...entries];
  let more = hasMore;
  const kind = el(
    'select',
    { id: 'timeline-kind' },
    el('option', { value: '', text: t('allKinds') }),
    KINDS.map((value) => el('option', { value, text: enumLabel('TimelineKind', value) })),
  );
  const source = el(
    'select',
    { id: 'timeline-source' },
    el('option', { value: '', text: t('allSources') }),
    sources.map((value) => el('option', { value, text: value })),
  );
  const body = el('div', { class: 'timeline-rows' });
  const older = el('button', { type: 'button', class: 'more', id: 'timeline-older' }, t('olderEntries'));

  const draw = () => {
    body.replaceChildren(
      shown.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : table(shown.map(rowOf), ['at', 'kind', 'source', 'what'], t('timelineNewest')),
    );
    older.hidden = !more;
  };
  const ask = async (before) => {
    const variables = { id, first: PAGE + 1, before, kinds: kind.value === '' ? null : [kind.value], sources: source.value === '' ? null : [source.value] };
    const answer = await graphql(TIMELINE_QUERY, variables);
    const page = answer.data?.customer?.timeline ?? [];
    more = page.length > PAGE;
    return page.slice(0, PAGE);
  };
  const refilter = async () => {
    shown = await ask(null);
    draw();
  };
  kind.addEventListener('change', () => void refilter());
  source.addEventListener('change', () => void refilter());
  older.addEventListener('click', async () => {
    shown = [...shown, ...(await ask(shown.at(-1)?.at ?? null))];
    draw();
  });
  draw();
  return el(
    'div',
    {},
    partialSource ? el('p', { class: 'notice partial', text: t('timelinePartial', { source: partialSource }) }) : null,
    partialSource
      ? null
      : el(
          'div',
          { class: 'toolbar' },
          el('label', { for: 'timeline-kind', text: t('filterKind') }),
          kind,
          el('label', { for: 'timeline-source', text: t('filterSource') }),
          source,
        ),
    body,
    older,
  );
}
