// A segment opened: its members page by page (customers filtered on the segment), sorted by
// revenue or recency, and the whole list as CSV through /export/csv.
import { credentialHeaders } from './auth.js';
import { el, table } from './dom.js';
import { graphql } from './gql.js';
import { formatMoney, t } from './i18n.js';
import { segmentLabel } from './header.js';

const PAGE = 25;
const MEMBERS_QUERY = `query SegmentMembers($segment: ID!, $first: Int, $after: String) {
  customers(first: $first, after: $after, filter: { segment: $segment }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id displayName kind address { city } rfm { monetary frequency recencyDays lastPurchaseAt } } }
  }
}`;

const SORTS = {
  revenue: (a, b) => (b.rfm?.monetary ?? 0) - (a.rfm?.monetary ?? 0),
  recency: (a, b) => (a.rfm?.recencyDays ?? Infinity) - (b.rfm?.recencyDays ?? Infinity),
};

/** Fetches the CSV with the signed-in credential and hands it to the browser as a download. */
async function downloadCsv(segment, status) {
  const response = await fetch('/export/csv', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders() },
    body: JSON.stringify({ query: MEMBERS_QUERY, variables: { segment: segment.id, first: 100 }, path: 'customers' }),
  });
  if (!response.ok) {
    status.textContent = t('failed', { message: `HTTP ${response.status}` });
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: `segment-${segment.id}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function openMembers(container, segment, count) {
  let members = [];
  let pageInfo = null;
  let sort = 'revenue';
  const status = el('p', { role: 'status', class: 'note' });
  const list = el('div', { class: 'members-list' });
  const more = el('button', { type: 'button', class: 'more', hidden: true, onclick: () => void load() }, t('moreResults'));
  const sortPicker = el(
    'select',
    {
      id: 'members-sort',
      onchange: (event) => {
        sort = event.target.value;
        draw();
      },
    },
    el('option', { value: 'revenue', text: t('byRevenue') }),
    el('option', { value: 'recency', text: t('byRecency') }),
  );

  function draw() {
    const rows = [...members].sort(SORTS[sort]).map((node) => ({
      id: node.id,
      displayName: node.displayName,
      city: node.address?.city ?? null,
      monetary: node.rfm?.monetary ?? null,
      recencyDays: node.rfm?.recencyDays ?? null,
    }));
    list.replaceChildren(
      table(rows, ['displayName', 'city', 'monetary', 'recencyDays'], `${members.length} / ${count}`, (row) => row.id, { monetary: formatMoney }),
    );
    more.hidden = !pageInfo?.hasNextPage;
  }

  async function load() {
    const result = await graphql(MEMBERS_QUERY, { segment: segment.id, first: PAGE, after: pageInfo?.endCursor ?? null });
    const connection = result.data?.customers;
    if (connection == null) {
      status.textContent = t('failed', { message: result.errors?.[0]?.message ?? '' });
      return;
    }
    members = [...members, ...connection.edges.map((edge) => edge.node)];
    pageInfo = connection.pageInfo;
    status.textContent = '';
    draw();
  }

  container.replaceChildren(
    el(
      'section',
      { class: 'panel members', id: 'segment-members', 'data-segment': segment.id, 'aria-labelledby': 'segment-members-title' },
      el('h2', { id: 'segment-members-title', tabindex: '-1', text: `${t('members')} — ${segmentLabel(segment)}` }),
      el(
        'div',
        { class: 'toolbar' },
        el('label', { for: 'members-sort', text: t('sortBy') }),
        sortPicker,
        el('button', { type: 'button', id: 'members-csv', onclick: () => void downloadCsv(segment, status) }, t('downloadCsv')),
      ),
      status,
      list,
      more,
    ),
  );
  container.querySelector('h2').focus();
  return load();
}
