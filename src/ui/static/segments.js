// The segments dashboard: each block one aggregate asked of c360, drawn and tabulated.
import { barChart } from './charts.js';
import { el, table } from './dom.js';
import { graphql } from './gql.js';
import { applyLabels, formatMoney, formatNumber, t } from './i18n.js';
import { fillPanel, panelSection } from './panel.js';
import { segmentLabel } from './header.js';
import { openMembers } from './members.js';
import { enumLabel } from './words.js';
import { compareSegments } from './compare.js';
import { mountSignIn } from './auth.js';

const dashboard = document.getElementById('dashboard');

export const SEGMENTS_QUERY = `query SegmentsDashboard { segments { segment { id label family } customers revenue averageBasket shareOfRevenue } }`;
const QUALITY_QUERY = `query DataQualitySummary { dataQualityReport { issues { source entity kind count } records { source entity count } } }`;
// One GROUP BY in the shop (issue 15's aggregate), never a walk through the customers.
const INTENT_QUERY = `query IntentDistribution { intentDistribution { asOf levels { level shopAccounts } } }`;
const INTENT_LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];

const SEGMENT_FORMATS = {
  revenue: formatMoney,
  averageBasket: formatMoney,
  shareOfRevenue: (share) => formatNumber(share, { style: 'percent', maximumFractionDigits: 1 }),
};

async function loadSegments() {
  const result = await graphql(SEGMENTS_QUERY);
  return { result, data: result.data?.segments ?? undefined };
}

function renderSegments(rows) {
  const families = [
    ['GRID', t('grid')],
    ['MARKETING', t('marketingSegments')],
  ];
  return el(
    'div',
    {},
    families.map(([family, title]) => {
      const members = rows.filter((row) => row.segment.family === family);
      if (members.length === 0) return null;
      const labels = members.map((row) => segmentLabel(row.segment));
      const flat = members.map((row) => ({
        id: row.segment.id,
        segment: segmentLabel(row.segment),
        customers: row.customers,
        revenue: row.revenue,
        averageBasket: row.averageBasket,
        shareOfRevenue: row.shareOfRevenue,
      }));
      return el(
        'div',
        { class: 'group', 'data-family': family },
        el('h3', { text: title }),
        el(
          'div',
          { class: 'charts' },
          barChart(
            t('customersPerSegment'),
            labels,
            members.map((row) => row.customers),
            { horizontal: true },
          ),
          barChart(
            t('revenuePerSegment'),
            labels,
            members.map((row) => row.revenue),
            { horizontal: true },
          ),
        ),
        table(flat, ['segment', 'customers', 'revenue', 'averageBasket', 'shareOfRevenue'], `${title} — ${t('showTable')}`, (row) => row.id, SEGMENT_FORMATS),
        el(
          'ul',
          { class: 'open-segments', 'aria-label': t('openSegment') },
          members.map((row) =>
            el(
              'li',
              {},
              el(
                'button',
                {
                  type: 'button',
                  class: 'open-segment',
                  'data-open-segment': row.segment.id,
                  onclick: () => void openMembers(document.getElementById('members'), row.segment, row.customers),
                },
                t('openSegmentOf', { segment: segmentLabel(row.segment), count: formatNumber(row.customers) }),
              ),
            ),
          ),
        ),
      );
    }),
  );
}

async function loadIntent() {
  const result = await graphql(INTENT_QUERY);
  return { result, data: result.data?.intentDistribution ?? undefined };
}

function renderIntent(distribution) {
  const counts = Object.fromEntries(distribution.levels.map((row) => [row.level, row.shopAccounts]));
  const rows = INTENT_LEVELS.map((level) => ({ level, shopAccounts: counts[level] ?? 0 }));
  return el(
    'div',
    {},
    el('p', { class: 'note', text: t('intentAccounts', { count: formatNumber(rows.reduce((sum, row) => sum + row.shopAccounts, 0)) }) }),
    el(
      'div',
      { class: 'charts' },
      barChart(
        t('intentDistribution'),
        INTENT_LEVELS.map((level) => enumLabel('IntentLevel', level)),
        rows.map((row) => row.shopAccounts),
      ),
    ),
    table(rows, ['level', 'shopAccounts'], t('showTable'), (row) => row.level, { level: (level) => enumLabel('IntentLevel', level) }),
  );
}

async function loadQuality() {
  const result = await graphql(QUALITY_QUERY);
  return { result, data: result.data?.dataQualityReport ?? undefined };
}

function renderQuality(report) {
  const issues = report.issues.map((issue) => ({ ...issue, id: `${issue.source}.${issue.entity}.${issue.kind}` }));
  return el(
    'div',
    {},
    el(
      'div',
      { class: 'charts' },
      barChart(
        t('issues'),
        issues.map((issue) => `${issue.source}.${issue.entity} · ${enumLabel('DataQualityIssueKind', issue.kind)}`),
        issues.map((issue) => issue.count),
        { horizontal: true },
      ),
    ),
    table(issues, ['source', 'entity', 'kind', 'count'], `${t('issues')} — ${t('showTable')}`, (row) => row.id, {
      kind: (kind) => enumLabel('DataQualityIssueKind', kind),
    }),
    table(report.records, ['source', 'entity', 'count'], t('records'), (row) => `${row.source}.${row.entity}`),
  );
}

const BLOCKS = [
  { id: 'segments', titleKey: 'dashboardTitle', load: loadSegments, render: renderSegments },
  { id: 'intent', titleKey: 'intentDistribution', load: loadIntent, render: renderIntent },
  { id: 'data-quality', titleKey: 'dataQualitySummary', load: loadQuality, render: renderQuality },
];

function render() {
  dashboard.replaceChildren();
  compareSegments(document.getElementById('compare'));
  for (const block of BLOCKS) {
    const section = panelSection(block.id, block.titleKey);
    dashboard.append(section);
    void fillPanel(section, block.load, block.render);
  }
}

if (await mountSignIn(document.getElementById('auth-slot'), document.getElementById('sign-in-gate'))) applyLabels(render);
else applyLabels();
render();
