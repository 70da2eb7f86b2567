// The profile read in ten seconds: value, RFM segment, intent, open tickets, and whether the
// customer may be contacted by email or SMS under the consents in force now.
import { el } from './dom.js';
import { graphql } from './gql.js';
import { currentLanguage, formatDate, formatMoney, formatNumber, t } from './i18n.js';
import { enumLabel } from './words.js';

export const HEADER_QUERY = `query Header($id: ID!) { customer(id: $id) {
  id kind displayName
  rfm { monetary frequency lastPurchaseAt code windowDays }
  segments { id label family }
  intent { level }
  service { openTickets }
  consents { purpose channel status recordedAt }
} }`;

/**
 * The consent in force for a channel: the newest record of a marketing purpose on that
 * channel (or on every channel). Granted: yes; denied, withdrawn or no record: no.
 */
export function mayContact(consents, channel) {
  const relevant = (consents ?? []).filter((consent) => /^marketing/.test(consent.purpose) && [channel, 'all'].includes(String(consent.channel).toLowerCase()));
  relevant.sort((a, b) => String(b.recordedAt).localeCompare(String(a.recordedAt)));
  return relevant[0]?.status === 'GRANTED';
}

const OUTAGE = /^SOURCE_|^CIRCUIT_OPEN$/;

/** The header from the sources that answered: one source down blanks its facts only, and says which. */
export async function loadHeader(id) {
  const result = await graphql(HEADER_QUERY, { id });
  const customer = result.data?.customer;
  const outages = (result.errors ?? []).filter((error) => OUTAGE.test(error.extensions?.code ?? ''));
  if (customer == null || outages.length === 0) return { result, data: customer ?? undefined };
  const rest = result.errors.filter((error) => !outages.includes(error));
  return {
    result: { ...result, errors: rest.length === 0 ? undefined : rest },
    data: { ...customer, unavailable: outages.map((error) => error.extensions?.source ?? error.extensions?.code).join(', ') },
  };
}

export function renderHeader(customer) {
  const grid = customer.segments?.find((segment) => segment.family === 'GRID');
  // data-raw keeps the API's value beside the words, for a reader's tools and the tests.
  const fact = (name, label, value, raw) =>
    el(
      'div',
      { class: 'fact', 'data-fact': name },
      el('dt', { text: label }),
      el('dd', { class: 'value', 'data-raw': raw == null ? '' : String(raw), text: value }),
    );
  const yesNo = (allowed) => (allowed ? t('yes') : t('no'));
  const facts = el(
    'dl',
    { class: 'header-facts' },
    fact('revenue', t('revenue'), customer.rfm == null ? '—' : formatMoney(customer.rfm.monetary), customer.rfm?.monetary),
    fact('orders', t('orderCount'), customer.rfm == null ? '0' : formatNumber(customer.rfm.frequency), customer.rfm?.frequency ?? 0),
    fact('lastPurchase', t('lastPurchase'), customer.rfm?.lastPurchaseAt == null ? '—' : formatDate(customer.rfm.lastPurchaseAt), customer.rfm?.lastPurchaseAt),
    fact('rfmSegment', t('rfmSegment'), grid === undefined ? '—' : segmentLabel(grid), grid?.id),
    fact('intent', t('intentLevel'), customer.intent == null ? '—' : enumLabel('IntentLevel', customer.intent.level), customer.intent?.level),
    fact('openTickets', t('openTickets'), customer.service == null ? '—' : formatNumber(customer.service.openTickets), customer.service?.openTickets),
    fact('mayEmail', t('mayEmail'), yesNo(mayContact(customer.consents, 'email')), mayContact(customer.consents, 'email')),
    fact('maySms', t('maySms'), yesNo(mayContact(customer.consents, 'sms')), mayContact(customer.consents, 'sms')),
  );
  return customer.unavailable ? el('div', {}, el('p', { class: 'notice outage', text: t('outage', { source: customer.unavailable }) }), facts) : facts;
}

/** Segment names in the page's language: the configured label is English; known ids have French words. */
const SEGMENT_WORDS_FR = {
  champions: 'Champions',
  loyal: 'Fidèles',
  potential_loyalists: 'Fidèles en devenir',
  new: 'Nouveaux',
  promising: 'Prometteurs',
  need_attention: 'À surveiller',
  about_to_sleep: 'Bientôt endormis',
  at_risk: 'À risque',
  cant_lose_them: 'À ne pas perdre',
  hibernating: 'En hibernation',
  lost: 'Perdus',
  first_time_buyers: 'Primo-acheteurs',
  second_time_buyers: 'Deuxième achat',
  big_spenders: 'Gros dépensiers',
  compulsive_shoppers: 'Acheteurs compulsifs',
  long_time_loyal: 'Fidèles de longue date',
  window_shoppers: 'Lèche-vitrines',
};

export function segmentLabel(segment) {
  if (currentLanguage() !== 'fr') return segment.label;
  return SEGMENT_WORDS_FR[segment.id] ?? segment.label;
}
