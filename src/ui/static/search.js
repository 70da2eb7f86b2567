// Search as you type: debounced, the answer to an older text dropped, ranked hits with their
// kind, city and silos, and "more" for the next page (customerSearch, docs/ui.md).
import { el } from './dom.js';
import { graphql } from './gql.js';
import { t } from './i18n.js';
import { enumLabel } from './words.js';

const DEBOUNCE_MILLIS = 250;
const PAGE = 10;
const SEARCH_QUERY = `query Search($text: String!, $first: Int, $after: String) {
  customerSearch(text: $text, first: $first, after: $after) {
    edges { matchedOn node { id kind displayName email phone address { city } sources { source } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function attachSearch({ form, input, results, onPick }) {
  let timer;
  let asked = 0;
  let hits = [];

  function hitItem(edge, index) {
    const hit = edge.node;
    const silos = [...new Set((hit.sources ?? []).map((record) => record.source))];
    const city = hit.address?.city ?? null;
    return el(
      'li',
      {},
      el(
        'button',
        { type: 'button', class: 'hit', 'data-customer-id': hit.id, 'data-rank': index + 1, onclick: () => onPick(hit.id) },
        el('strong', { class: 'hit-name', text: hit.displayName ?? hit.id }),
        el('span', { class: 'hit-kind', text: enumLabel('CustomerKind', hit.kind) }),
        city === null ? null : el('span', { class: 'hit-city', text: city }),
        el(
          'span',
          { class: 'hit-silos', 'aria-label': t('silos') },
          silos.map((source) => el('span', { class: 'badge', text: source })),
        ),
      ),
    );
  }

  function show(text, pageInfo, error) {
    if (hits.length === 0) {
      results.replaceChildren(el('p', { role: 'status', text: error ?? t('noResults') }));
      return;
    }
    const more = pageInfo?.hasNextPage
      ? el('button', { type: 'button', class: 'more', onclick: () => void run(text, pageInfo.endCursor) }, t('moreResults'))
      : null;
    results.replaceChildren(
      el('h2', { id: 'results-title', text: t('results') }),
      el('p', { class: 'visually-hidden', role: 'status', text: t('resultCount', { count: hits.length }) }),
      el('ol', { 'aria-labelledby': 'results-title', class: 'hits' }, hits.map(hitItem)),
      more,
    );
  }

  async function run(text, after) {
    const ticket = ++asked;
    if (after === undefined) {
      hits = [];
      results.setAttribute('aria-busy', 'true');
    }
    const result = await graphql(SEARCH_QUERY, { text, first: PAGE, after: after ?? null });
    // A newer text was typed meanwhile: its answer wins.
    if (ticket !== asked) return;
    results.setAttribute('aria-busy', 'false');
    const connection = result.data?.customerSearch;
    if (connection == null) {
      show(text, null, t('failed', { message: result.errors?.[0]?.message ?? '' }));
      return;
    }
    hits = [...hits, ...connection.edges];
    show(text, connection.pageInfo, null);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      asked++;
      results.replaceChildren();
      return;
    }
    timer = setTimeout(() => void run(text), DEBOUNCE_MILLIS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length >= 2) void run(text);
  });
  return { rerun: () => input.value.trim().length >= 2 && run(input.value.trim()) };
}
