// A panel loads its own query and fails on its own: one source down costs one panel.
import { el } from './dom.js';
import { outcomeOf } from './gql.js';
import { fieldLabel, t } from './i18n.js';

/** The <section> a panel renders into, labelled by its heading for screen readers. */
export function panelSection(id, titleKey) {
  return el(
    'section',
    // Focusable, so a panel whose content scrolls can be scrolled from the keyboard too.
    { class: 'panel', id: `panel-${id}`, 'data-panel': id, 'aria-labelledby': `panel-${id}-title`, 'aria-busy': 'true', tabindex: '0' },
    el('h2', { id: `panel-${id}-title`, text: t(titleKey) }),
    el('div', { class: 'panel-body', role: 'status', 'aria-live': 'polite', text: t('loading') }),
  );
}

/**
 * Runs `load` (which returns { result, data }) and shows `render(data)` or the reason it
 * cannot: a field this server lacks, a source outage, or another error.
 */
export async function fillPanel(section, load, render) {
  const body = section.querySelector('.panel-body');
  let state;
  let content;
  try {
    const { result, data } = await load();
    const outcome = result === null ? { kind: 'missing' } : outcomeOf(result, data);
    state = outcome.kind;
    switch (outcome.kind) {
      case 'ok':
        content = render(data);
        // Fields the role may not read come back null with FORBIDDEN: say so, rather than show a blank.
        if (outcome.forbidden?.length > 0) {
          const words = (refusals) => [...new Set(refusals.map((refusal) => fieldLabel(refusal.path.split('.').at(-1))))].join(', ');
          const byRole = outcome.forbidden.filter((refusal) => !refusal.consent);
          const byConsent = outcome.forbidden.filter((refusal) => refusal.consent);
          content = el(
            'div',
            {},
            byRole.length > 0 ? el('p', { class: 'notice forbidden', text: t('forbiddenFields', { fields: words(byRole) }) }) : null,
            byConsent.length > 0 ? el('p', { class: 'notice forbidden', text: t('noConsentFields', { fields: words(byConsent) }) }) : null,
            content,
          );
        }
        break;
      case 'missing':
        content = el('p', { class: 'notice', text: t('notAvailable') });
        break;
      case 'unauthenticated':
        content = el('p', { class: 'notice', text: t('unauthenticated') });
        break;
      case 'forbidden':
        content = el('p', { class: 'notice forbidden', text: t(outcome.consent ? 'noConsentField' : 'forbiddenField') });
        break;
      case 'outage':
        content = el('p', { class: 'notice outage', text: t('outage', { source: outcome.source ?? outcome.code }) });
        break;
      case 'error':
        content = el('p', { class: 'notice error', text: t('failed', { message: `${outcome.code} ${outcome.message}`.trim() }) });
        break;
      default:
        throw new Error(`unknown outcome ${outcome.kind}`);
    }
  } catch (error) {
    state = 'error';
    content = el('p', { class: 'notice error', text: t('failed', { message: error instanceof Error ? error.message : String(error) }) });
  }
  section.dataset.state = state;
  section.setAttribute('aria-busy', 'false');
  body.replaceChildren(content);
}
