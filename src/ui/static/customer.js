// The customer 360 page: search, pick, and every panel loading on its own.
import { el } from './dom.js';
import { graphql } from './gql.js';
import { applyLabels, t } from './i18n.js';
import { fillPanel, panelSection } from './panel.js';
import { CUSTOMER_PANELS } from './panels.js';

const HIT = 'id displayName email phone kind';
const form = document.getElementById('search-form');
const input = document.getElementById('search-text');
const results = document.getElementById('search-results');
const panels = document.getElementById('panels');

/** Emails and phones go to the exact identifier lookup too, since the search matches prefixes of names and emails. */
function searchQuery(text) {
  const digits = text.replace(/[^\d]/g, '');
  if (/^[+\d][\d\s().-]{5,}$/.test(text) && digits.length >= 6) {
    return { query: `query($phone: String!) { byPhone: customerBy(phone: $phone) { ${HIT} } }`, variables: { phone: text } };
  }
  if (text.includes('@')) {
    return { query: `query($text: String!) { byEmail: customerBy(email: $text) { ${HIT} } search: searchCustomers(text: $text, first: 10) { ${HIT} } }`, variables: { text } };
  }
  return { query: `query($text: String!) { search: searchCustomers(text: $text, first: 10) { ${HIT} } }`, variables: { text } };
}

async function search(text) {
  results.replaceChildren(el('p', { role: 'status', text: t('searching') }));
  const { query, variables } = searchQuery(text);
  const result = await graphql(query, variables);
  const seen = new Set();
  const hits = [result.data?.byPhone, result.data?.byEmail, ...(result.data?.search ?? [])].filter((hit) => hit != null && !seen.has(hit.id) && seen.add(hit.id));
  if (hits.length === 0) {
    const message = result.errors?.length ? t('failed', { message: result.errors[0].message }) : t('noResults');
    results.replaceChildren(el('p', { role: 'status', text: message }));
    return;
  }
  results.replaceChildren(
    el('h2', { id: 'results-title', text: t('results') }),
    el(
      'ul',
      { 'aria-labelledby': 'results-title', class: 'hits' },
      hits.map((hit) =>
        el('li', {}, el('button', { type: 'button', class: 'hit', 'data-customer-id': hit.id, onclick: () => openCustomer(hit.id) }, el('strong', { text: hit.displayName ?? hit.id }), ` ${hit.email ?? ''} ${hit.phone ?? ''}`)),
      ),
    ),
  );
}

function openCustomer(id) {
  if (location.hash !== `#customer=${encodeURIComponent(id)}`) location.hash = `customer=${encodeURIComponent(id)}`;
  else showCustomer(id);
}

function showCustomer(id) {
  panels.replaceChildren();
  panels.dataset.customerId = id;
  for (const panel of CUSTOMER_PANELS) {
    const section = panelSection(panel.id, panel.titleKey);
    panels.append(section);
    void fillPanel(section, () => panel.load(id), panel.render);
  }
  panels.querySelector('h2')?.setAttribute('tabindex', '-1');
  panels.querySelector('h2')?.focus();
}

function route() {
  const match = /^#customer=(.+)$/.exec(location.hash);
  if (match) showCustomer(decodeURIComponent(match[1]));
  else panels.replaceChildren(el('p', { class: 'hint', text: t('pickCustomer') }));
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text !== '') void search(text);
});
window.addEventListener('hashchange', route);
applyLabels(() => {
  route();
  if (input.value.trim() !== '') void search(input.value.trim());
});
route();
