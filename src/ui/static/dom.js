// Small DOM helpers: text is always set as text, never as HTML, since it comes from sources.
import { fieldLabel, formatDate, formatNumber } from './i18n.js';

export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function formatLeaf(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value, { maximumFractionDigits: 2 });
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatDate(value, true);
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatDate(value);
  return String(value);
}

/**
 * A table of rows; `rowKey` names each row (data-row) so a reader or a test can find it, and
 * each cell keeps its unformatted value in data-raw. `formats` formats chosen columns.
 */
export function table(rows, columns, caption, rowKey, formats = {}) {
  return el(
    'table',
    {},
    caption === undefined ? null : el('caption', { text: caption }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((column) => el('th', { scope: 'col', text: fieldLabel(column) })),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          { 'data-row': rowKey?.(row) },
          columns.map((column) =>
            el('td', {
              'data-column': column,
              'data-raw': row[column] == null ? '' : String(row[column]),
              text: row[column] != null && formats[column] ? formats[column](row[column]) : formatLeaf(row[column]),
            }),
          ),
        ),
      ),
    ),
  );
}
