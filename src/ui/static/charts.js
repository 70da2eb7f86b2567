// Bar charts drawn with Chart.js (served from node_modules), each beside a table of the same numbers.
import { el } from './dom.js';

/** A bar chart, or null when Chart.js did not load (the table still shows every number). */
export function barChart(title, labels, values, { horizontal = false } = {}) {
  if (window.Chart === undefined) return null;
  const canvas = el('canvas', { role: 'img', 'aria-label': title });
  const box = el('figure', { class: 'chart-box' }, el('figcaption', { text: title }), el('div', { class: 'chart-canvas' }, canvas));
  new window.Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: title, data: values, backgroundColor: '#0b5cad' }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: horizontal ? 'y' : 'x', plugins: { legend: { display: false } } },
  });
  return box;
}
