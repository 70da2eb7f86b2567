// The golden profile, each fact with a badge saying which source record it came from and
// how fresh that record is, found by matching the golden value against the linked records.
import { el } from './dom.js';
import { formatDate, t } from './i18n.js';
import { enumLabel, formatPhone } from './words.js';

let linksPromise;
/** URL templates to each source system's page of a record (the config's ui.sourceLinks), asked once. */
export function sourceLinks() {
  linksPromise ??= fetch('/ui/links.json')
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}));
  return linksPromise;
}

function recordLink(links, record) {
  const template = links[record.source]?.[record.entity];
  const text = `${record.source} · ${record.entity} #${record.key} · ${enumLabel('MatchRule', record.matchedBy)}`;
  if (template === undefined) return text;
  // A record of a source other than its entity's first carries the source's name before its key ("loyalty:LC0042"): the source's own page takes the key it stores.
  const stored = String(record.key).startsWith(`${record.source}:`) ? String(record.key).slice(record.source.length + 1) : String(record.key);
  return el('a', { href: template.replaceAll('{key}', encodeURIComponent(stored)), target: '_blank', rel: 'noopener' }, text);
}

export const PROFILE_QUERY = `query Profile($id: ID!) { customer(id: $id) {
  id kind displayName email phone name { first last full } address { street postcode city country }
  sources { source entity key matchedBy }
  contact { id firstName lastName email phone mobile address { street postcode city country } updatedAt }
  shopAccounts { id firstName lastName email phone address { street postcode city country } updatedAt }
} }`;

const digits = (value) =>
  String(value ?? '')
    .replace(/\D/g, '')
    .slice(-9);
const lower = (value) =>
  String(value ?? '')
    .trim()
    .toLowerCase();

/** Each linked record with the values it holds, in golden priority (CRM first). */
function recordsOf(customer) {
  const sourceOf = (entity, key) => customer.sources.find((record) => record.entity === entity && String(record.key) === String(key))?.source ?? entity;
  const records = [];
  if (customer.contact)
    records.push({
      ...customer.contact,
      entity: 'contact',
      source: sourceOf('contact', customer.contact.id),
      phones: [customer.contact.phone, customer.contact.mobile],
    });
  for (const account of customer.shopAccounts ?? [])
    records.push({ ...account, entity: 'shopCustomer', source: sourceOf('shopCustomer', account.id), phones: [account.phone] });
  return records;
}

const MATCHERS = {
  email: (customer, record) => customer.email != null && lower(record.email) === lower(customer.email),
  phone: (customer, record) => customer.phone != null && record.phones.some((phone) => phone != null && digits(phone) === digits(customer.phone)),
  name: (customer, record) => customer.name?.last != null && lower(record.lastName) === lower(customer.name.last),
  address: (customer, record) =>
    customer.address?.postcode != null &&
    record.address?.postcode === customer.address.postcode &&
    lower(record.address?.city) === lower(customer.address.city),
};

function badge(record) {
  const freshness = record.updatedAt ? ` · ${t('updated', { date: formatDate(record.updatedAt) })}` : '';
  return el(
    'span',
    { class: 'badge', 'data-source': record.source, title: `${record.source} ${record.entity} #${record.id}` },
    `${record.source} #${record.id}${freshness}`,
  );
}

function fact(label, value, customer, records, matcher) {
  const origin = records.find((record) => MATCHERS[matcher](customer, record));
  return [
    el('dt', { text: label }),
    el('dd', { 'data-fact': matcher }, el('span', { class: 'value', text: value ?? '—' }), value != null && origin ? badge(origin) : null),
  ];
}

export function renderProfile(customer) {
  if (customer === null) return el('p', { class: 'empty', text: t('empty') });
  const records = recordsOf(customer);
  const address = customer.address
    ? [customer.address.street, [customer.address.postcode, customer.address.city].filter(Boolean).join(' '), customer.address.country]
        .filter(Boolean)
        .join(', ')
    : null;
  return el(
    'div',
    {},
    el('p', { class: 'display-name', text: customer.displayName ?? customer.id }),
    el(
      'dl',
      {},
      fact(t('factName'), customer.name?.full ?? null, customer, records, 'name'),
      fact(t('factEmail'), customer.email, customer, records, 'email'),
      fact(t('factPhone'), customer.phone == null ? null : formatPhone(customer.phone), customer, records, 'phone'),
      fact(t('factAddress'), address, customer, records, 'address'),
    ),
    el('h3', { text: t('sourceRecords') }),
    el(
      'ul',
      { class: 'sources' },
      customer.sources.map((record) => el('li', { 'data-record': `${record.source}:${record.key}` }, recordLink(customer.links ?? {}, record))),
    ),
  );
}
