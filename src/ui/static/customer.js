// The customer 360 page: search, pick, and every panel loading on its own.
import { el } from './dom.js';
import { applyLabels, t } from './i18n.js';
import { fillPanel, panelSection } from './panel.js';
import { CUSTOMER_PANELS } from './panels.js';
import { attachSearch } from './search.js';
import { mountSignIn } from './auth.js';

const form = document.getElementById('search-form');
const input = document.getElementById('search-text');
const results = document.getElementById('search-results');
const panels = document.getElementById('panels');
const signedIn = await mountSignIn(document.getElementById('auth-slot'), document.getElementById('sign-in-gate'));
form.hidden = !signedIn;
const searching = attachSearch({ form, input, results, onPick: (id) => openCustomer(id) });

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
  if (!signedIn) return;
  const match = /^#customer=(.+)$/.exec(location.hash);
  if (match) showCustomer(decodeURIComponent(match[1]));
  else panels.replaceChildren(el('p', { class: 'hint', text: t('pickCustomer') }));
}

window.addEventListener('hashchange', route);
applyLabels(() => {
  route();
  void searching.rerun();
});
route();
