// Sign-in for the pages when the server asks for a caller: an API key, a JWT pasted as is, or
// an OpenID Connect login (authorization code + PKCE with oauth4webapi, a public client).
// The credential lives in sessionStorage: gone when the tab closes.
import { el } from './dom.js';
import { t } from './i18n.js';

const STORAGE = 'c360.credential';
const PENDING = 'c360.oidc.pending';

export function credential() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE) ?? 'null');
  } catch {
    return null;
  }
}

export function credentialHeaders() {
  const held = credential();
  if (held?.kind === 'key') return { 'x-api-key': held.value };
  if (held?.kind === 'jwt') return { authorization: `Bearer ${held.value}` };
  return {};
}

function store(kind, value, who) {
  sessionStorage.setItem(STORAGE, JSON.stringify({ kind, value, who }));
}

let optionsPromise;
function signInOptions() {
  optionsPromise ??= fetch('/ui/auth.json')
    .then((response) => response.json())
    .catch(() => ({ required: false }));
  return optionsPromise;
}

/** The redirect target registered with the identity provider: this page, without its query. */
function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

async function oauthFor(oidc) {
  const oauth = await import('/ui/vendor/oauth4webapi.js');
  const issuer = new URL(oidc.issuer);
  // Plain http only for an identity provider on this machine (a local test or demo provider).
  const options = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
  const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  return { oauth, server, client: { client_id: oidc.clientId }, options };
}

async function startOidc(oidc) {
  const { oauth, server } = await oauthFor(oidc);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, back: location.hash }));
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set('client_id', oidc.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', oidc.scope ?? 'openid');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
}

/** Back from the identity provider with ?code=…&state=…: trade the code for the tokens. */
async function finishOidc(oidc) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  const here = new URL(location.href);
  if (pending === null || !here.searchParams.has('state')) return null;
  sessionStorage.removeItem(PENDING);
  const { oauth, server, client, options } = await oauthFor(oidc);
  const params = oauth.validateAuthResponse(server, client, here, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), params, redirectUri(), pending.verifier, options);
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  store('jwt', tokens.id_token, claims?.sub ?? 'oidc');
  history.replaceState(null, '', `${redirectUri()}${pending.back ?? ''}`);
  return claims?.sub ?? 'oidc';
}

/** Is the credential accepted? One tiny request that every signed-in role may send. */
async function accepted() {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders() },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  if (response.ok) return null;
  const body = await response.json().catch(() => ({}));
  return body.errors?.[0]?.message ?? `HTTP ${response.status}`;
}

function dialog(options, onDone) {
  const status = el('p', { class: 'notice', role: 'status', id: 'sign-in-status' });
  const kind = el(
    'select',
    { id: 'sign-in-kind', name: 'kind' },
    options.apiKey ? el('option', { value: 'key', text: t('apiKey') }) : null,
    options.jwt ? el('option', { value: 'jwt', text: t('jwt') }) : null,
  );
  const secret = el('input', { id: 'sign-in-secret', name: 'secret', type: 'password', autocomplete: 'off', required: true });
  const form = el(
    'form',
    { id: 'sign-in-form', class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    el('h2', { id: 'sign-in-title', text: t('signInTitle') }),
    el('p', { text: t('signInNeeded') }),
    options.apiKey || options.jwt
      ? [
          el('label', { for: 'sign-in-kind', text: t('filterKind') }),
          kind,
          el('label', { for: 'sign-in-secret', text: t('apiKey') + ' / ' + t('jwt') }),
          secret,
          el('button', { type: 'submit', text: t('signIn') }),
        ]
      : null,
    options.oidc
      ? el(
          'button',
          {
            type: 'button',
            id: 'sign-in-oidc',
            onclick: () => void startOidc(options.oidc).catch((error) => (status.textContent = t('signInFailed', { message: error.message }))),
          },
          t('signInWithProvider'),
        )
      : null,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    store(kind.value, secret.value.trim(), null);
    const refused = await accepted();
    if (refused !== null) {
      sessionStorage.removeItem(STORAGE);
      status.textContent = t('signInFailed', { message: refused });
      return;
    }
    onDone();
  });
  return form;
}

/**
 * Puts the sign-in state in `slot` (header) and, when the server asks for a caller and none is
 * held, the sign-in form in `gate` instead of the page. Resolves true when the page may load.
 */
export async function mountSignIn(slot, gate) {
  const options = await signInOptions();
  if (!options.required) return true;
  if (options.oidc) {
    try {
      await finishOidc(options.oidc);
    } catch (error) {
      gate.replaceChildren(el('p', { class: 'notice error', role: 'alert', text: t('signInFailed', { message: error.message }) }));
    }
  }
  const held = credential();
  if (held !== null && (await accepted()) === null) {
    slot.replaceChildren(
      el('span', { class: 'signed-in', id: 'signed-in', text: t('signedInAs', { who: held.who ?? t(held.kind === 'key' ? 'apiKey' : 'jwt') }) }),
      el(
        'button',
        {
          type: 'button',
          id: 'sign-out',
          onclick: () => {
            sessionStorage.removeItem(STORAGE);
            location.reload();
          },
        },
        t('signOut'),
      ),
    );
    return true;
  }
  sessionStorage.removeItem(STORAGE);
  gate.replaceChildren(dialog(options, () => location.reload()));
  return false;
}
