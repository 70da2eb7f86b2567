// The cube explorer (/ui/cube): pick measures, dimensions and a period, see a chart and the
// table of Query.analytics, export the table as CSV. The choices offered are the server's
// own enums (introspection), so only what the config maps can be picked. Self-contained:
// its labels and helpers live here, so the other pages can change without touching it;
// only the INSEE headcount bands come from words.js, so a band reads alike on every page.
import { headcountLabel } from './words.js';

const LABELS = {
  fr: {
    title: 'Cube analytique',
    navCustomer: 'Fiche client 360°',
    navSegments: 'Tableau de bord des segments',
    navCube: 'Cube analytique',
    navExplorer: 'Explorateur GraphQL',
    language: 'Langue',
    measures: 'Mesures',
    dimensions: 'Dimensions',
    period: 'Période',
    granularity: 'Granularité',
    none: 'aucune',
    from: 'Du',
    to: 'Au (exclu)',
    dimension1: 'Dimension 1',
    dimension2: 'Dimension 2',
    run: 'Calculer',
    exportCsv: 'Exporter le tableau (CSV)',
    loading: 'Calcul…',
    empty: 'Aucun groupe.',
    groups: '{count} groupe(s), sources : {sources}, plan : {plan}',
    failed: 'Erreur {code} : {message}',
    unavailable: 'Le cube n’est pas disponible sur ce serveur c360.',
    pickMeasure: 'Choisissez au moins une mesure.',
    periodColumn: 'Période',
    chartOf: '{measure} par groupe',
    CUSTOMERS: 'Clients',
    ORDERS: 'Commandes',
    REVENUE: "Chiffre d'affaires",
    AVERAGE_BASKET: 'Panier moyen',
    UNITS: 'Unités',
    REPEAT_RATE: 'Taux de réachat',
    TICKETS: 'Tickets SAV',
    OPEN_TICKETS: 'Tickets ouverts',
    CHANNEL: 'Canal',
    ORDER_STATUS: 'Statut de commande',
    PRODUCT_CATEGORY: 'Catégorie de produit',
    STORE: 'Magasin',
    SEGMENT: 'Segment',
    RFM_CELL: 'Cellule RFM',
    INTENT_LEVEL: "Niveau d'intention",
    CITY: 'Ville',
    DEPARTEMENT: 'Département',
    CUSTOMER_KIND: 'Type de client',
    HEADCOUNT_BAND: "Tranche d'effectif",
    ACQUISITION_MONTH: "Mois d'acquisition",
    DAY: 'Jour',
    WEEK: 'Semaine',
    MONTH: 'Mois',
    QUARTER: 'Trimestre',
    YEAR: 'Année',
  },
  en: {
    title: 'Analytics cube',
    navCustomer: 'Customer 360',
    navSegments: 'Segments dashboard',
    navCube: 'Analytics cube',
    navExplorer: 'GraphQL explorer',
    language: 'Language',
    measures: 'Measures',
    dimensions: 'Dimensions',
    period: 'Period',
    granularity: 'Granularity',
    none: 'none',
    from: 'From',
    to: 'To (exclusive)',
    dimension1: 'Dimension 1',
    dimension2: 'Dimension 2',
    run: 'Compute',
    exportCsv: 'Export the table (CSV)',
    loading: 'Computing…',
    empty: 'No group.',
    groups: '{count} group(s), sources: {sources}, plan: {plan}',
    failed: 'Error {code}: {message}',
    unavailable: 'The cube is not available on this c360 server.',
    pickMeasure: 'Pick at least one measure.',
    periodColumn: 'Period',
    chartOf: '{measure} by group',
    CUSTOMERS: 'Customers',
    ORDERS: 'Orders',
    REVENUE: 'Revenue',
    AVERAGE_BASKET: 'Average basket',
    UNITS: 'Units',
    REPEAT_RATE: 'Repeat rate',
    TICKETS: 'Tickets',
    OPEN_TICKETS: 'Open tickets',
    CHANNEL: 'Channel',
    ORDER_STATUS: 'Order status',
    PRODUCT_CATEGORY: 'Product category',
    STORE: 'Store',
    SEGMENT: 'Segment',
    RFM_CELL: 'RFM cell',
    INTENT_LEVEL: 'Intent level',
    CITY: 'City',
    DEPARTEMENT: 'Département',
    CUSTOMER_KIND: 'Customer kind',
    HEADCOUNT_BAND: 'Headcount band',
    ACQUISITION_MONTH: 'Acquisition month',
    DAY: 'Day',
    WEEK: 'Week',
    MONTH: 'Month',
    QUARTER: 'Quarter',
    YEAR: 'Year',
  },
};

/** The other pages keep the language here too, so a choice made on one holds on all. */
const STORAGE_KEY = 'c360.lang';
const MEASURE_FIELDS = {
  CUSTOMERS: 'customers',
  ORDERS: 'orders',
  REVENUE: 'revenue',
  AVERAGE_BASKET: 'averageBasket',
  UNITS: 'units',
  REPEAT_RATE: 'repeatRate',
  TICKETS: 'tickets',
  OPEN_TICKETS: 'openTickets',
};
const GRANULARITIES = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
const ENUMS_QUERY =
  '{ measures: __type(name: "AnalyticsMeasure") { enumValues { name } } dimensions: __type(name: "AnalyticsDimension") { enumValues { name } } }';
const CUBE_QUERY = `query CubeExplorer($measures: [AnalyticsMeasure!]!, $dimensions: [AnalyticsDimension!], $time: AnalyticsTimeDimension) {
  analytics(measures: $measures, dimensions: $dimensions, timeDimension: $time) {
    rows { period dimensions { dimension value } customers orders revenue averageBasket units repeatRate tickets openTickets }
    totalGroups sources plan
  }
}`;

const root = document.getElementById('cube');
let enums = { measures: [], dimensions: [] };
let choice = { measures: ['REVENUE', 'ORDERS'], dimensions: ['', ''], granularity: 'MONTH', from: '', to: '' };
let last = null;
let chart = null;

function language() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'fr' || asked === 'en') return asked;
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
}

function t(key, params = {}) {
  const text = LABELS[language()][key] ?? LABELS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

function format(value, measure) {
  if (value === null || value === undefined) return '—';
  const locale = language() === 'fr' ? 'fr-FR' : 'en-GB';
  if (measure === 'REVENUE' || measure === 'AVERAGE_BASKET') return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(value);
  if (measure === 'REPEAT_RATE') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** Text is always set as text, never as HTML: values come from the sources. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  try {
    return await response.json();
  } catch {
    return { errors: [{ message: `HTTP ${response.status}`, extensions: { code: `HTTP_${response.status}` } }] };
  }
}

function applyLabels() {
  document.documentElement.lang = language();
  for (const element of document.querySelectorAll('[data-cube-label]')) element.textContent = t(element.dataset.cubeLabel);
  const picker = document.getElementById('cube-language');
  picker.value = language();
  picker.onchange = () => {
    localStorage.setItem(STORAGE_KEY, picker.value);
    const url = new URL(location.href);
    url.searchParams.delete('lang');
    history.replaceState(null, '', url);
    applyLabels();
    render();
  };
}

function form() {
  const labelled = (id, label, control) => el('div', {}, el('label', { for: id, text: label }), ' ', control);
  const measures = el(
    'fieldset',
    { 'data-cube': 'measures' },
    el('legend', { text: t('measures') }),
    enums.measures.map((name) =>
      el(
        'label',
        {},
        el('input', {
          type: 'checkbox',
          name: 'measure',
          value: name,
          checked: choice.measures.includes(name),
          onchange: (event) => {
            choice.measures = event.target.checked ? [...choice.measures, name] : choice.measures.filter((m) => m !== name);
          },
        }),
        ` ${t(name)}`,
      ),
    ),
  );
  // Each control is named by its own <label for>, so its accessible name is the label alone.
  const dimensionSelect = (index) =>
    labelled(
      `cube-dimension${index + 1}`,
      t(index === 0 ? 'dimension1' : 'dimension2'),
      el(
        'select',
        {
          id: `cube-dimension${index + 1}`,
          name: `dimension${index + 1}`,
          onchange: (event) => {
            choice.dimensions[index] = event.target.value;
          },
        },
        el('option', { value: '', text: `— ${t('none')} —` }),
        enums.dimensions.map((name) => el('option', { value: name, text: t(name), selected: choice.dimensions[index] === name })),
      ),
    );
  const dimensions = el('fieldset', { 'data-cube': 'dimensions' }, el('legend', { text: t('dimensions') }), dimensionSelect(0), dimensionSelect(1));
  const period = el(
    'fieldset',
    { 'data-cube': 'period' },
    el('legend', { text: t('period') }),
    labelled(
      'cube-granularity',
      t('granularity'),
      el(
        'select',
        {
          id: 'cube-granularity',
          name: 'granularity',
          onchange: (event) => {
            choice.granularity = event.target.value;
          },
        },
        el('option', { value: '', text: `— ${t('none')} —` }),
        GRANULARITIES.map((g) => el('option', { value: g, text: t(g), selected: choice.granularity === g })),
      ),
    ),
    labelled(
      'cube-from',
      t('from'),
      el('input', {
        id: 'cube-from',
        type: 'date',
        name: 'from',
        value: choice.from,
        onchange: (event) => {
          choice.from = event.target.value;
        },
      }),
    ),
    labelled(
      'cube-to',
      t('to'),
      el('input', {
        id: 'cube-to',
        type: 'date',
        name: 'to',
        value: choice.to,
        onchange: (event) => {
          choice.to = event.target.value;
        },
      }),
    ),
  );
  const actions = el(
    'div',
    { class: 'cube-actions' },
    el('button', { type: 'submit', text: t('run') }),
    el('button', {
      type: 'button',
      'data-cube': 'export',
      disabled: last === null || last.error !== undefined || last.rows.length === 0,
      text: t('exportCsv'),
      onclick: exportCsv,
    }),
  );
  return el(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        void run();
      },
    },
    measures,
    dimensions,
    period,
    actions,
  );
}

function variables() {
  const dimensions = [...new Set(choice.dimensions.filter((d) => d !== ''))];
  const dateRange = {};
  if (choice.from !== '') dateRange.from = `${choice.from}T00:00:00Z`;
  if (choice.to !== '') dateRange.to = `${choice.to}T00:00:00Z`;
  const time =
    choice.granularity === '' && Object.keys(dateRange).length === 0
      ? null
      : { ...(choice.granularity === '' ? {} : { granularity: choice.granularity }), ...(Object.keys(dateRange).length === 0 ? {} : { dateRange }) };
  return { measures: enums.measures.filter((m) => choice.measures.includes(m)), dimensions, time };
}

/** The table's columns: the period when grouped by time, each dimension, each measure asked. */
function columnsOf(answer) {
  return [
    ...(answer.variables.time?.granularity ? [{ key: 'period', label: t('periodColumn'), kind: 'dimension', value: (row) => row.period }] : []),
    ...answer.variables.dimensions.map((d, index) => ({
      key: d,
      label: t(d),
      kind: 'dimension',
      value: (row) => row.dimensions[index]?.value ?? null,
      ...(d === 'HEADCOUNT_BAND' ? { words: headcountLabel } : {}),
    })),
    ...answer.variables.measures.map((m) => ({ key: m, label: t(m), kind: 'measure', measure: m, value: (row) => row[MEASURE_FIELDS[m]] })),
  ];
}

function groupLabel(answer, row) {
  return (
    columnsOf(answer)
      .filter((c) => c.kind === 'dimension')
      .map((c) => shown(c, c.value(row)))
      .join(' · ') || t('title')
  );
}

/** A dimension's value as the page shows it: a headcount band in words, others as they are. */
function shown(c, value) {
  if (value == null) return '—';
  return c.words === undefined || value === 'unknown' ? value : c.words(value);
}

function results() {
  if (last === null) return null;
  if (last.error) return el('p', { class: 'cube-status', 'data-state': 'error', role: 'alert', text: last.error });
  if (last.rows.length === 0) return el('p', { class: 'cube-status', 'data-state': 'empty', text: t('empty') });
  const columns = columnsOf(last);
  const first = last.variables.measures[0];
  const canvas = window.Chart === undefined ? null : el('canvas', { role: 'img', 'aria-label': t('chartOf', { measure: t(first) }) });
  const figure =
    canvas === null ? null : el('figure', {}, el('figcaption', { text: t('chartOf', { measure: t(first) }) }), el('div', { class: 'cube-chart' }, canvas));
  const tableElement = el(
    'table',
    { 'data-cube': 'table' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { scope: 'col', 'data-column': c.key, text: c.label })),
      ),
    ),
    el(
      'tbody',
      {},
      last.rows.map((row) =>
        el(
          'tr',
          {},
          columns.map((c) => {
            const raw = c.value(row);
            return el('td', {
              'data-column': c.key,
              'data-kind': c.kind,
              'data-raw': raw == null ? '' : String(raw),
              text: c.kind === 'measure' ? format(raw, c.measure) : shown(c, raw),
            });
          }),
        ),
      ),
    ),
  );
  const status = el('p', {
    class: 'cube-status',
    'data-state': 'ok',
    text: t('groups', { count: last.totalGroups, sources: last.sources.join(', '), plan: last.plan }),
  });
  queueMicrotask(() => {
    if (canvas === null) return;
    chart?.destroy();
    const series = last.rows.map((row) => row[MEASURE_FIELDS[first]] ?? 0);
    const timeOnly = last.variables.time?.granularity && last.variables.dimensions.length === 0;
    chart = new window.Chart(canvas, {
      type: timeOnly ? 'line' : 'bar',
      data: {
        labels: last.rows.map((row) => groupLabel(last, row)),
        datasets: [{ label: t(first), data: series, backgroundColor: '#0b5cad', borderColor: '#0b5cad' }],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
    });
  });
  return el('div', { 'data-cube': 'results' }, status, figure, tableElement);
}

/** RFC 4180: every field quoted, quotes doubled; raw values (not the formatted ones), header in the page's language. */
function csvOf(answer) {
  const columns = columnsOf(answer);
  const quote = (value) => `"${String(value ?? '').replaceAll('"', '""')}"`;
  const lines = [columns.map((c) => quote(c.label)).join(','), ...answer.rows.map((row) => columns.map((c) => quote(c.value(row))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function exportCsv() {
  if (last === null || last.error) return;
  const link = el('a', { href: URL.createObjectURL(new Blob([csvOf(last)], { type: 'text/csv;charset=utf-8' })), download: 'c360-cube.csv' });
  document.body.append(link);
  link.click();
  link.remove();
}

async function run() {
  const asked = variables();
  if (asked.measures.length === 0) {
    last = { error: t('pickMeasure') };
    render();
    return;
  }
  root.setAttribute('aria-busy', 'true');
  const result = await graphql(CUBE_QUERY, asked);
  const error = result.errors?.[0];
  last =
    error !== undefined
      ? { error: t('failed', { code: error.extensions?.code ?? 'ERROR', message: error.message }) }
      : { ...result.data.analytics, variables: asked };
  root.setAttribute('aria-busy', 'false');
  render();
}

function render() {
  root.replaceChildren(form(), results() ?? '');
}

async function start() {
  applyLabels();
  const result = await graphql(ENUMS_QUERY);
  if (result.data?.measures == null) {
    root.replaceChildren(el('p', { class: 'cube-status', 'data-state': 'error', text: t('unavailable') }));
    root.setAttribute('aria-busy', 'false');
    return;
  }
  enums = { measures: result.data.measures.enumValues.map((v) => v.name), dimensions: result.data.dimensions?.enumValues.map((v) => v.name) ?? [] };
  choice.measures = choice.measures.filter((m) => enums.measures.includes(m));
  if (choice.measures.length === 0) choice.measures = enums.measures.slice(0, 1);
  root.setAttribute('aria-busy', 'false');
  render();
}

void start();
