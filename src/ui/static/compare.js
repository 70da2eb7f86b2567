// Segments at two dates side by side: Query.segments(asOf) asked twice, the change per segment.
import { el, table } from './dom.js';
import { graphql } from './gql.js';
import { formatMoney, formatNumber, t } from './i18n.js';
import { segmentLabel } from './header.js';

const AT = `query SegmentsAt($asOf: DateTime) { segments(asOf: $asOf) { segment { id label family } customers revenue } }`;

const isoDay = (date) => date.toISOString().slice(0, 10);

export function compareSegments(container) {
  const today = new Date();
  const before = new Date(today.getTime() - 90 * 86_400_000);
  const from = el('input', { id: 'compare-from', type: 'date', value: isoDay(before), required: true });
  const to = el('input', { id: 'compare-to', type: 'date', value: isoDay(today), required: true });
  const out = el('div', { class: 'compare-out', role: 'status', 'aria-live': 'polite' });
  const form = el(
    'form',
    { id: 'compare-form', class: 'toolbar' },
    el('label', { for: 'compare-from', text: t('compareFrom') }),
    from,
    el('label', { for: 'compare-to', text: t('compareTo') }),
    to,
    el('button', { type: 'submit', text: t('compare') }),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    out.textContent = t('loading');
    const at = (day) => graphql(AT, { asOf: `${day}T23:59:59.000Z` });
    const [a, b] = await Promise.all([at(from.value), at(to.value)]);
    if (a.data?.segments == null || b.data?.segments == null) {
      out.textContent = t('failed', { message: (a.errors ?? b.errors ?? [])[0]?.message ?? '' });
      return;
    }
    const later = new Map(b.data.segments.map((row) => [row.segment.id, row]));
    const rows = a.data.segments.map((row) => {
      const then = later.get(row.segment.id);
      return {
        id: row.segment.id,
        segment: segmentLabel(row.segment),
        customersFrom: row.customers,
        customersTo: then?.customers ?? 0,
        change: (then?.customers ?? 0) - row.customers,
        revenueFrom: row.revenue,
        revenueTo: then?.revenue ?? 0,
      };
    });
    const signed = (value) => `${value > 0 ? '+' : ''}${formatNumber(value)}`;
    out.replaceChildren(
      table(
        rows,
        ['segment', 'customersFrom', 'customersTo', 'change', 'revenueFrom', 'revenueTo'],
        t('compareCaption', { from: from.value, to: to.value }),
        (row) => row.id,
        { change: signed, revenueFrom: formatMoney, revenueTo: formatMoney },
      ),
    );
  });
  container.replaceChildren(
    el('section', { class: 'panel compare', 'aria-labelledby': 'compare-title' }, el('h2', { id: 'compare-title', text: t('compareTitle') }), form, out),
  );
}
