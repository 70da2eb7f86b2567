// The customer 360 panels: each a query of its own and a renderer.
import { el, formatLeaf, table } from './dom.js';
import { graphql, outcomeOf } from './gql.js';
import { INTENT_QUERY, QUALITY_QUERY, SEGMENTS_QUERY, renderIntent, renderQuality, renderSegments } from './insights-panels.js';
import { fieldLabel, formatDate, formatMoney, t } from './i18n.js';
import { PROFILE_QUERY, renderProfile } from './profile.js';

const ADDRESS = 'street postcode city country';

function customerField(query, pick) {
  return async (id) => {
    const result = await graphql(query, { id });
    const customer = result.data?.customer;
    return { result, data: customer == null ? customer ?? undefined : pick(customer) };
  };
}

function renderOrders(orders) {
  if (orders.length === 0) return el('p', { class: 'empty', text: t('empty') });
  return el(
    'ol',
    { class: 'orders' },
    orders.map((order) =>
      el(
        'li',
        { 'data-order': order.id },
        el('p', { class: 'order-head' }, `#${order.id} · ${formatDate(order.placedAt)} · ${order.channel ?? ''} · ${order.status ?? ''} · `, el('strong', { text: order.total == null ? '—' : formatMoney(order.total, order.currency) })),
        table(order.lines, ['productName', 'quantity', 'unitPrice', 'lineTotal'], `${order.lines.length} ${t('lines')}`),
      ),
    ),
  );
}

function renderTickets({ tickets, service }) {
  const summary = service
    ? el('dl', { class: 'summary' }, el('dt', { text: t('openTickets') }), el('dd', { text: formatLeaf(service.openTickets) }), el('dt', { text: t('lastContact') }), el('dd', { text: formatLeaf(service.lastContactAt) }), el('dt', { text: t('satisfaction') }), el('dd', { text: formatLeaf(service.averageSatisfaction) }))
    : null;
  const rows = (tickets ?? []).map((ticket) => ({ ...ticket }));
  return el('div', {}, summary, rows.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : table(rows, ['createdAt', 'subject', 'status', 'priority', 'channel', 'satisfaction']));
}

function renderCompany(account) {
  if (account == null) return el('p', { class: 'empty', text: t('noCompany') });
  const company = account.company;
  const card = el('dl', {});
  const add = (label, value) => card.append(el('dt', { text: label }), el('dd', { text: formatLeaf(value) }));
  add(fieldLabel('name'), company?.legalName ?? account.name);
  add(fieldLabel('siren'), company?.siren ?? account.siren);
  add(fieldLabel('siret'), company?.siret ?? account.siret);
  if (company) {
    add(fieldLabel('nafLabel'), [company.nafCode, company.nafLabel].filter(Boolean).join(' — '));
    add(fieldLabel('headcountBand'), company.headcountBand);
    add(fieldLabel('creationDate'), company.creationDate);
    add(fieldLabel('state'), company.state);
    if (company.headOffice) add(fieldLabel('address'), [company.headOffice.street, company.headOffice.postcode, company.headOffice.city].filter(Boolean).join(' '));
    if (company.latestFinances) add(`${fieldLabel('revenue')} ${company.latestFinances.year ?? ''}`, company.latestFinances.revenue == null ? null : formatMoney(company.latestFinances.revenue));
  }
  const executives = company?.executives ?? [];
  return el('div', { class: 'company-card' }, card, executives.length > 0 ? el('ul', {}, executives.map((person) => el('li', {}, `${person.firstName ?? ''} ${person.lastName ?? ''} — ${person.role ?? ''}`))) : null);
}

function timelineRow(entry) {
  const what = entry.order ? `#${entry.order.id} ${entry.order.total == null ? '' : formatMoney(entry.order.total)}` : entry.interaction ? `${entry.interaction.type ?? ''} ${entry.interaction.subject ?? ''}` : entry.ticket ? `${entry.ticket.subject ?? ''} (${entry.ticket.status ?? ''})` : '';
  return { at: entry.at, kind: entry.kind, source: entry.source, what };
}

function renderTimeline({ entries, partialSource }) {
  const rows = [...entries].reverse().map(timelineRow);
  return el('div', {}, partialSource ? el('p', { class: 'notice partial', text: t('timelinePartial', { source: partialSource }) }) : null, rows.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : table(rows, ['at', 'kind', 'source', 'what']));
}

const TIMELINE_QUERY = `query Timeline($id: ID!) { customer(id: $id) { timeline(first: 50) { at kind source order { id total } interaction { type subject } ticket { subject status } } } }`;
const FALLBACK_TIMELINE_QUERY = `query TimelineWithoutTickets($id: ID!) { customer(id: $id) {
  sources { source entity } orders(first: 50) { nodes { id total placedAt } } interactions(first: 50) { type subject occurredAt } } }`;

/** When one source fails the timeline is null; rebuild it from orders and interactions, and say so. */
async function loadTimeline(id) {
  const result = await graphql(TIMELINE_QUERY, { id });
  const outcome = outcomeOf(result, result.data?.customer?.timeline ?? undefined);
  if (outcome.kind !== 'outage') return { result, data: { entries: result.data?.customer?.timeline ?? [] } };
  const fallback = await graphql(FALLBACK_TIMELINE_QUERY, { id });
  const customer = fallback.data?.customer;
  // Orders live where the shop accounts are, interactions where the contact is.
  const sourceOf = (entity) => customer?.sources?.find((record) => record.entity === entity)?.source ?? '—';
  const entries = [
    ...(customer?.orders?.nodes ?? []).map((order) => ({ at: order.placedAt, kind: 'ORDER', source: sourceOf('shopCustomer'), order })),
    ...(customer?.interactions ?? []).map((interaction) => ({ at: interaction.occurredAt, kind: interaction.type === 'STORE_VISIT' ? 'STORE_VISIT' : 'INTERACTION', source: sourceOf('contact'), interaction })),
  ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return { result: fallback, data: customer == null ? undefined : { entries, partialSource: outcome.source ?? outcome.code } };
}

export const CUSTOMER_PANELS = [
  { id: 'profile', titleKey: 'profile', load: customerField(PROFILE_QUERY, (customer) => customer), render: renderProfile },
  { id: 'segments', titleKey: 'segments', load: customerField(SEGMENTS_QUERY, (customer) => customer), render: renderSegments },
  { id: 'intent', titleKey: 'intent', load: customerField(INTENT_QUERY, (customer) => customer.intent), render: renderIntent },
  {
    id: 'orders',
    titleKey: 'orders',
    load: customerField(`query Orders($id: ID!) { customer(id: $id) { orders(first: 10) { nodes { id placedAt channel status total currency lines { productName sku quantity unitPrice lineTotal } } } } }`, (customer) => customer.orders?.nodes ?? []),
    render: renderOrders,
  },
  {
    id: 'tickets',
    titleKey: 'tickets',
    load: customerField(`query Tickets($id: ID!) { customer(id: $id) { tickets(first: 20) { id subject status priority channel createdAt solvedAt satisfaction } service { openTickets lastContactAt averageSatisfaction } } }`, (customer) => customer),
    render: renderTickets,
  },
  {
    id: 'company',
    titleKey: 'company',
    load: customerField(
      `query Company($id: ID!) { customer(id: $id) { account { name siren siret industry company { siren siret legalName nafCode nafLabel headcountBand creationDate state headOffice { ${ADDRESS} } latestFinances { year revenue } executives { firstName lastName role } } } } }`,
      (customer) => ({ account: customer.account }),
    ),
    render: ({ account }) => renderCompany(account),
  },
  { id: 'timeline', titleKey: 'timeline', load: loadTimeline, render: renderTimeline },
  { id: 'data-quality', titleKey: 'dataQuality', load: customerField(QUALITY_QUERY, (customer) => customer), render: renderQuality },
  {
    id: 'consents',
    titleKey: 'consents',
    load: customerField(`query Consents($id: ID!) { customer(id: $id) { consents { purpose channel status recordedAt } } }`, (customer) => customer.consents ?? []),
    render: (consents) => (consents.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : table(consents, ['purpose', 'channel', 'status', 'recordedAt'])),
  },
];
