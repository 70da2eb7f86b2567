// Customer panels over the insights and identity fields: RFM and segments, intent, data quality.
import { el, formatLeaf, table } from './dom.js';
import { segmentLabel } from './header.js';
import { fieldLabel, formatMoney, t } from './i18n.js';
import { enumLabel } from './words.js';

export const SEGMENTS_QUERY = `query CustomerSegments($id: ID!) { customer(id: $id) {
  rfm { asOf windowDays recencyDays frequency monetary r f m code lastPurchaseAt } segments { id label family } } }`;
export const INTENT_QUERY = `query CustomerIntent($id: ID!) { customer(id: $id) {
  intent { score level aboutToBuy lastSignalAt categories products { id name category } } } }`;
export const QUALITY_QUERY = `query CustomerDataQuality($id: ID!) { customer(id: $id) {
  dataQuality { score completeness emailValid phoneValid postcodeValid siretValid lastUpdatedAt stale conflicts { field values { source key value } } }
  duplicateCandidates { source entity key score } } }`;

function definitions(pairs) {
  return el(
    'dl',
    {},
    pairs.map(([key, value]) => [el('dt', { text: fieldLabel(key) }), el('dd', { 'data-field': key, text: value })]),
  );
}

const percent = (ratio) => (ratio == null ? '—' : `${Math.round(ratio * 100)} %`);

export function renderSegments({ rfm, segments }) {
  const badges = (segments ?? []).map((segment) =>
    el(
      'li',
      { class: `segment ${segment.family.toLowerCase()}`, 'data-segment': segment.id },
      `${segmentLabel(segment)} (${segment.family === 'GRID' ? 'RFM' : t('marketing')})`,
    ),
  );
  return el(
    'div',
    {},
    rfm
      ? definitions([
          ['rfmCode', rfm.code],
          ['recencyDays', formatLeaf(rfm.recencyDays)],
          ['frequency', formatLeaf(rfm.frequency)],
          ['monetary', formatMoney(rfm.monetary)],
          ['lastPurchaseAt', formatLeaf(rfm.lastPurchaseAt)],
          ['windowDays', formatLeaf(rfm.windowDays)],
        ])
      : el('p', { class: 'empty', text: t('noRfm') }),
    el('h3', { text: t('segmentsOf') }),
    badges.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : el('ul', { class: 'segments' }, badges),
  );
}

export function renderIntent(intent) {
  if (intent == null) return el('p', { class: 'empty', text: t('empty') });
  return el(
    'div',
    {},
    definitions([
      ['level', enumLabel('IntentLevel', intent.level)],
      ['score', formatLeaf(intent.score)],
      ['aboutToBuy', intent.aboutToBuy ? t('yes') : t('no')],
      ['lastSignalAt', formatLeaf(intent.lastSignalAt)],
      ['categories', intent.categories.join(', ') || '—'],
    ]),
    el('h3', { text: t('pointsTo') }),
    intent.products.length === 0 ? el('p', { class: 'empty', text: t('empty') }) : table(intent.products, ['name', 'category']),
  );
}

export function renderQuality({ dataQuality, duplicateCandidates }) {
  const quality = dataQuality;
  const validity = (value) => (value == null ? '—' : value ? t('valid') : t('invalid'));
  const conflicts = quality.conflicts.map((conflict) => ({
    field: conflict.field,
    values: conflict.values.map((value) => `${value.value} (${value.source} #${value.key})`).join(' ≠ '),
  }));
  const warnings = [
    ...(quality.stale ? [t('warnStale')] : []),
    ...['email', 'phone', 'postcode', 'siret']
      .filter((field) => quality[`${field}Valid`] === false)
      .map((field) => t('warnInvalid', { field: fieldLabel(field) })),
    ...conflicts.map((conflict) => t('warnConflict', { field: fieldLabel(conflict.field) })),
    ...(duplicateCandidates.length > 0 ? [t('warnDuplicates', { count: duplicateCandidates.length })] : []),
  ];
  return el(
    'div',
    {},
    warnings.length === 0
      ? el('p', { class: 'ok', text: t('noWarnings') })
      : el(
          'ul',
          { class: 'warnings' },
          warnings.map((warning) => el('li', { class: 'warning', text: warning })),
        ),
    definitions([
      ['score', percent(quality.score)],
      ['completeness', percent(quality.completeness)],
      ['emailValid', validity(quality.emailValid)],
      ['phoneValid', validity(quality.phoneValid)],
      ['postcodeValid', validity(quality.postcodeValid)],
      ['siretValid', validity(quality.siretValid)],
      ['lastUpdatedAt', formatLeaf(quality.lastUpdatedAt)],
    ]),
    conflicts.length === 0 ? null : [el('h3', { text: t('conflicts') }), table(conflicts, ['field', 'values'])],
    duplicateCandidates.length === 0 ? null : [el('h3', { text: t('duplicates') }), table(duplicateCandidates, ['source', 'entity', 'key', 'score'])],
  );
}
