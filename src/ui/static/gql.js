// The pages' only way to data: c360's own GraphQL endpoint, one request per panel.
import { credentialHeaders } from './auth.js';

const ENDPOINT = '/graphql';

/** POSTs as JSON, which also keeps Apollo's CSRF prevention satisfied. */
export async function graphql(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...credentialHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  try {
    return await response.json();
  } catch {
    return { errors: [{ message: `HTTP ${response.status}`, extensions: { code: 'HTTP_' + response.status } }] };
  }
}

/**
 * What a panel should show for a result: 'missing' when this server's schema lacks the field
 * (an older or partial c360), 'outage' when a source failed, 'error' otherwise, 'ok' when
 * the data is there.
 */
export function outcomeOf(result, data) {
  const errors = result.errors ?? [];
  const codes = errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
  // A field this server lacks fails validation; so does a query over a limit (cost, depth), which is not "missing".
  if (errors.some((error) => error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && error.extensions?.limit === undefined)) return { kind: 'missing' };
  if (codes.includes('UNAUTHENTICATED')) return { kind: 'unauthenticated' };
  // Only refusals: the panel says in words what the role may not see.
  if (errors.length > 0 && codes.every((code) => code === 'FORBIDDEN'))
    return data === undefined || data === null
      ? { kind: 'forbidden', consent: errors.every((error) => /consent/i.test(error.message)) }
      : { kind: 'ok', forbidden: errors.map((error) => ({ path: error.path?.join('.') ?? '', consent: /consent/i.test(error.message) })) };
  const outage = errors.find((error) => /^SOURCE_|^CIRCUIT_OPEN$/.test(error.extensions?.code ?? ''));
  if (outage !== undefined) return { kind: 'outage', source: outage.extensions?.source ?? null, code: outage.extensions.code };
  if (errors.length > 0) return { kind: 'error', code: codes[0], message: errors[0].message };
  if (data === undefined) return { kind: 'error', code: 'NO_DATA', message: '' };
  return { kind: 'ok' };
}

let queryFieldsPromise;

/** The names of this server's Query fields, asked once per page. */
export function queryFieldNames() {
  queryFieldsPromise ??= graphql('{ __type(name: "Query") { fields { name } } }').then(
    (result) => new Set((result.data?.__type?.fields ?? []).map((field) => field.name)),
  );
  return queryFieldsPromise;
}
