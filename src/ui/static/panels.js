// The customer 360 panels: each a query of its own and a renderer.
import { el, formatLeaf, table } from './dom.js';
import { graphql } from './gql.js';
import { INTENT_QUERY, QUALITY_QUERY, SEGMENTS_QUERY, renderIntent, renderQuality, renderSegments } from './insights-panels.js';
import { fieldLabel, formatDate, formatMoney, t, tOr } from './i18n.js';
import { PROFILE_QUERY, renderProfile, sourceLinks } from './profile.js';
import { loadHeader, renderHeader } from './header.js';
import { loadTimeline, renderTimeline } from './timeline.js';
import { enumLabel, headcountLabel, loadNafLabels, nafLabel } from './words.js';

const ADDRESS = 'street postcode city country';

function customerField(query, pick, alongside = async () => undefined) {
  return async (id) => {
    const [result] = await Promise.all([graphql(query, { id }), alongside()]);
    const customer = result.data?.customer;
    return { result, data: customer == null ? (customer ?? undefined) : pick(customer) };
  };
}

/** The profile with the config's links to each source system's record page. */
function withLinks(load) {
  return async (id) => {
    const [answer, links] = await Promise.all([load(id), sourceLinks()]);
    return { ...answer, data: answer.data == null ? answer.data : { ...answer.data, links } };
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
        el(
          'p',
          { class: 'order-head' },
          `#${order.id} · ${formatDate(order.placedAt)} · ${enumLabel('OrderChannel', order.channel)} · ${enumLabel('OrderStatus', order.status)} · `,
          el('strong', { text: order.total == null ? '—' : formatMoney(order.total, order.currency) }),
        ),
        table(
          order.lines,
          ['productName', 'quantity', 'unitPrice', 'lineTotal'],
          t(order.lines.length === 1 ? 'oneLine' : 'manyLines', { count: order.lines.length }),
          undefined,
          { unitPrice: (value) => formatMoney(value, order.currency), lineTotal: (value) => formatMoney(value, order.currency) },
        ),
      ),
    ),
  );
}

function renderTickets({ tickets, service }) {
  const summary = service
    ? el(
        'dl',
        { class: 'summary' },
        el('dt', { text: t('openTickets') }),
        el('dd', { text: formatLeaf(service.openTickets) }),
        el('dt', { text: t('lastContact') }),
        el('dd', { text: formatLeaf(service.lastContactAt) }),
        el('dt', { text: t('satisfaction') }),
        el('dd', { text: formatLeaf(service.averageSatisfaction) }),
      )
    : null;
  const rows = (tickets ?? []).map((ticket) => ({ ...ticket }));
  const formats = { status: (value) => enumLabel('TicketStatus', value), priority: (value) => enumLabel('TicketPriority', value) };
  return el(
    'div',
    {},
    summary,
    rows.length === 0
      ? el('p', { class: 'empty', text: t('empty') })
      : table(rows, ['createdAt', 'subject', 'status', 'priority', 'channel', 'satisfaction'], undefined, undefined, formats),
  );
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
    add(fieldLabel('nafLabel'), company.nafCode == null ? company.nafLabel : `${company.nafCode} — ${nafLabel(company.nafCode, company.nafLabel)}`);
    add(fieldLabel('headcountBand'), headcountLabel(company.headcountBand));
    add(fieldLabel('creationDate'), company.creationDate);
    add(fieldLabel('state'), enumLabel('CompanyState', company.state));
    if (company.headOffice)
      add(fieldLabel('address'), [company.headOffice.street, company.headOffice.postcode, company.headOffice.city].filter(Boolean).join(' '));
    if (company.latestFinances)
      add(
        `${fieldLabel('revenue')} ${company.latestFinances.year ?? ''}`,
        company.latestFinances.revenue == null ? null : formatMoney(company.latestFinances.revenue),
      );
  }
  const executives = company?.executives ?? [];
  return el(
    'div',
    { class: 'company-card' },
    card,
    executives.length > 0
      ? el(
          'ul',
          {},
          executives.map((person) => el('li', {}, `${person.firstName ?? ''} ${person.lastName ?? ''} — ${person.role ?? ''}`)),
        )
      : null,
  );
}

export const CUSTOMER_PANELS = [
  { id: 'header', titleKey: 'header', load: loadHeader, render: renderHeader },
  { id: 'profile', titleKey: 'profile', load: withLinks(customerField(PROFILE_QUERY, (customer) => customer)), render: renderProfile },
  { id: 'segments', titleKey: 'segments', load: customerField(SEGMENTS_QUERY, (customer) => customer), render: renderSegments },
  { id: 'intent', titleKey: 'intent', load: customerField(INTENT_QUERY, (customer) => customer.intent), render: renderIntent },
  {
    id: 'orders',
    titleKey: 'orders',
    load: customerField(
      `query Orders($id: ID!) { customer(id: $id) { orders(first: 10) { nodes { id placedAt channel status total currency lines { productName sku quantity unitPrice lineTotal } } } } }`,
      (customer) => customer.orders?.nodes ?? [],
    ),
    render: renderOrders,
  },
  {
    id: 'tickets',
    titleKey: 'tickets',
    load: customerField(
      `query Tickets($id: ID!) { customer(id: $id) { tickets(first: 20) { id subject status priority channel createdAt solvedAt satisfaction } service { openTickets lastContactAt averageSatisfaction } } }`,
      (customer) => customer,
    ),
    render: renderTickets,
  },
  {
    id: 'company',
    titleKey: 'company',
    load: customerField(
      `query Company($id: ID!) { customer(id: $id) { account { name siren siret industry company { siren siret legalName nafCode nafLabel headcountBand creationDate state headOffice { ${ADDRESS} } latestFinances { year revenue } executives { firstName lastName role } } } } }`,
      (customer) => ({ account: customer.account }),
      // The NAF labels of both languages, fetched with the panel's query, before it renders.
      loadNafLabels,
    ),
    render: ({ account }) => renderCompany(account),
  },
  { id: 'timeline', titleKey: 'timeline', load: loadTimeline, render: renderTimeline },
  { id: 'data-quality', titleKey: 'dataQuality', load: customerField(QUALITY_QUERY, (customer) => customer), render: renderQuality },
  {
    id: 'consents',
    titleKey: 'consents',
    load: customerField(
      `query Consents($id: ID!) { customer(id: $id) { consents { purpose channel status recordedAt } } }`,
      (customer) => customer.consents ?? [],
    ),
    render: (consents) =>
      consents.length === 0
        ? el('p', { class: 'empty', text: t('empty') })
        : table(consents, ['purpose', 'channel', 'status', 'recordedAt'], undefined, undefined, {
            purpose: (value) => tOr(`purpose_${value}`, value),
            channel: (value) => tOr(`channel_${String(value).toLowerCase()}`, value),
            status: (value) => enumLabel('ConsentStatus', value),
          }),
  },
];
