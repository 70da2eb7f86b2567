/**
 * The demo's REST sources, as c360.yaml entries: `ticket` on the demo helpdesk and
 * `company` on the demo company registry. docs/rest-mapping.md shows the same mapping as
 * YAML, with its production variant (the real registry, a Zendesk-like helpdesk).
 */
import type { RawRestEntity, RawRestSource } from '../../connectors/rest/config.js';
import { NAF_LABELS } from './registry/naf-labels.js';

export interface DemoRestRawConfig {
  readonly sources: { readonly helpdesk: RawRestSource; readonly registry: RawRestSource };
  readonly entities: { readonly ticket: RawRestEntity; readonly company: RawRestEntity };
}

export function demoRestRawConfig(options: { readonly helpdeskUrl: string; readonly helpdeskToken: string; readonly registryUrl: string }): DemoRestRawConfig {
  return {
    sources: {
      helpdesk: {
        kind: 'rest',
        baseUrl: options.helpdeskUrl,
        timeoutMillis: 3_000,
        headers: { Authorization: `Bearer ${options.helpdeskToken}` },
        retry: { maxAttempts: 3, initialDelayMillis: 100, maxDelayMillis: 1_000 },
        circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMillis: 10_000 },
        maxConcurrency: 4,
      },
      registry: {
        kind: 'rest',
        baseUrl: options.registryUrl,
        // One call per SIREN at 7 per second: 8 s is about 50 uncached lookups.
        timeoutMillis: 8_000,
        attemptTimeoutMillis: 3_000,
        headers: { 'User-Agent': 'c360-demo (enrichment)' },
        retry: { maxAttempts: 3, initialDelayMillis: 200, maxDelayMillis: 2_000 },
        circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMillis: 30_000 },
        // The real API allows 7 requests per second per IP address.
        rateLimit: { requestsPerSecond: 7 },
        maxConcurrency: 4,
        // Registry data changes slowly, and the quota is small: cache replies for a day.
        cache: { ttlSeconds: 86_400, maxEntries: 10_000 },
      },
    },
    entities: {
      ticket: {
        source: 'helpdesk',
        endpoint: {
          method: 'GET',
          path: '/api/v2/tickets',
          query: { requester_emails: '{keys}', page: '{page}', per_page: '{perPage}' },
          batch: { maxKeys: 50, separator: ',' },
          list: 'tickets',
          pagination: { style: 'page', perPage: 100, hasMorePath: 'next_page' },
          keyField: 'requesterEmail',
          keyMatch: 'caseInsensitive',
        },
        // Every OPEN or PENDING ticket, for customers(filter: { hasOpenTicket: true }): the
        // helpdesk owns the status, so it says whose tickets are unresolved (docs/insights.md).
        endpoints: [
          {
            method: 'GET',
            path: '/api/v2/tickets',
            query: { status: '{keys}', page: '{page}', per_page: '{perPage}' },
            batch: { maxKeys: 4, separator: ',' },
            list: 'tickets',
            // 200 pages of 100: 20,000 unresolved tickets at most, then SOURCE_BAD_RESPONSE.
            pagination: { style: 'page', perPage: 100, hasMorePath: 'next_page', maxPages: 200 },
            keyField: 'status',
            keyMatch: 'caseInsensitive',
          },
        ],
        // New tickets oldest first, for triggers to follow (docs/triggers.md): "an open ticket on a big spender".
        follow: {
          method: 'GET',
          path: '/api/v2/tickets',
          query: { created_since: '{since}', page: '{page}', per_page: '{perPage}' },
          list: 'tickets',
          pagination: { style: 'page', perPage: 100, hasMorePath: 'next_page' },
          timeField: 'createdAt',
        },
        fields: {
          id: 'id',
          requesterEmail: 'requester.email',
          subject: 'subject',
          status: { path: 'status', values: { open: 'OPEN', pending: 'PENDING', solved: 'SOLVED', closed: 'CLOSED' } },
          priority: { path: 'priority', values: { low: 'LOW', normal: 'NORMAL', high: 'HIGH', urgent: 'URGENT' } },
          channel: 'via.channel',
          createdAt: 'created_at',
          updatedAt: 'updated_at',
          solvedAt: 'solved_at',
          satisfaction: 'satisfaction_rating.score',
          messages: {
            path: 'comments',
            each: {
              id: 'id',
              author: { path: 'author_role', type: 'string', values: { end_user: 'customer', agent: 'agent' } },
              body: 'body',
              createdAt: 'created_at',
            },
          },
        },
      },
      company: {
        source: 'registry',
        endpoint: {
          method: 'GET',
          path: '/search',
          // 9 digits make the API look the SIREN up directly.
          query: { q: '{key}', page: '1', per_page: '5' },
          list: 'results',
          keyField: 'siren',
          keyMatch: 'exact',
        },
        fields: {
          siren: 'siren',
          siret: 'siege.siret',
          legalName: 'nom_complet',
          nafCode: 'activite_principale',
          // The API gives the code only.
          nafLabel: { path: 'activite_principale', values: { ...NAF_LABELS }, otherwise: 'null' },
          headcountBand: 'tranche_effectif_salarie',
          creationDate: 'date_creation',
          state: { path: 'etat_administratif', values: { A: 'ACTIVE', C: 'CLOSED' } },
          closedDate: 'date_fermeture',
          street: { join: ['siege.numero_voie', 'siege.type_voie', 'siege.libelle_voie'] },
          postcode: 'siege.code_postal',
          city: 'siege.libelle_commune',
          executives: { path: 'dirigeants', each: { firstName: 'prenoms', lastName: 'nom', role: 'qualite' } },
          finances: {
            path: 'finances',
            each: { year: { path: '@key', type: 'int' }, revenue: { path: 'ca', type: 'float' }, netIncome: { path: 'resultat_net', type: 'float' } },
          },
        },
      },
    },
  };
}
