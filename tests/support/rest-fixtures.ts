/**
 * Small hand-made demo records for the REST connector tests, and the helpers around
 * them: a compiled helpdesk/registry source with test-sized timings, and a recorder of
 * onCall reports (so a test can say "3 HTTP calls for 50 customers").
 */
import type { SourceCall } from '../../connectors/contract.js';
import { compileRestSource } from '../../connectors/rest/config.js';
import type { RawRestEntity, RawRestSource, RestSourceConfig } from '../../connectors/rest/config.js';
import { demoRestRawConfig } from '../../src/demo/rest-config.js';
import type { DemoCompany, DemoTicket } from '../../src/demo/world-types.js';

export const HELPDESK_TOKEN = 'test-helpdesk-token';

let nextTicketId = 1000;

export function makeTicket(overrides: Partial<DemoTicket> = {}): DemoTicket {
  const id = overrides.id ?? nextTicketId++;
  return {
    id,
    requesterEmail: 'alice@example.com',
    subject: `Ticket ${id}`,
    status: 'open',
    priority: 'normal',
    channel: 'email',
    createdAt: '2024-03-01T09:00:00Z',
    updatedAt: '2024-03-02T10:00:00Z',
    solvedAt: null,
    satisfaction: null,
    messages: [{ id: `${id}-1`, author: 'customer', body: 'Ma commande est arrivée abîmée.', createdAt: '2024-03-01T09:00:00Z' }],
    ...overrides,
  };
}

/** `count` customers with 0 to 2 tickets each (customer i has i % 3), emails as typed (case, spaces). */
export function ticketsOfCustomers(count: number): { readonly emails: ReadonlyArray<string>; readonly tickets: ReadonlyArray<DemoTicket> } {
  const emails = Array.from({ length: count }, (_, index) => `customer${index}@example.com`);
  const tickets = emails.flatMap((email, index) =>
    Array.from({ length: index % 3 }, (_, n) => makeTicket({ requesterEmail: n === 0 && index % 5 === 0 ? ` ${email.toUpperCase()} ` : email })),
  );
  return { emails, tickets };
}

export function makeCompany(overrides: Partial<DemoCompany> = {}): DemoCompany {
  const siren = overrides.siren ?? '552100554';
  return {
    siren,
    siret: `${siren}00013`,
    legalName: 'BOUTIQUE LUMIERE SARL',
    nafCode: '47.71Z',
    nafLabel: "Commerce de détail d'habillement en magasin spécialisé",
    headcountBand: '12',
    creationDate: '2009-05-14',
    state: 'A',
    closedDate: null,
    address: { street: '12 RUE DE LA PAIX', postcode: '75002', city: 'PARIS' },
    executives: [{ firstName: 'Claire', lastName: 'MARTIN', role: 'Gérant' }],
    finances: [
      { year: 2022, revenue: 3_900_000, netIncome: 120_000 },
      { year: 2023, revenue: 4_200_000, netIncome: 150_000 },
    ],
    ...overrides,
  };
}

/** `count` companies with distinct 9-digit SIRENs. */
export function companies(count: number): ReadonlyArray<DemoCompany> {
  return Array.from({ length: count }, (_, index) => makeCompany({ siren: String(300_000_000 + index * 7), legalName: `SOCIETE ${index} SAS` }));
}

type SourceOverrides = Partial<Omit<RawRestSource, 'kind' | 'baseUrl'>>;
type EndpointOverrides = Partial<NonNullable<RawRestEntity['endpoint']>>;

/** The demo ticket mapping on a helpdesk at `url`, with quick retries and a small breaker. */
export function helpdeskConfig(
  url: string,
  options: { source?: SourceOverrides; endpoint?: EndpointOverrides; fields?: RawRestEntity['fields']; token?: string } = {},
): RestSourceConfig {
  const raw = demoRestRawConfig({ helpdeskUrl: url, helpdeskToken: options.token ?? HELPDESK_TOKEN, registryUrl: 'http://127.0.0.1:1' });
  const ticket = raw.entities.ticket;
  return compileRestSource(
    'helpdesk',
    { ...raw.sources.helpdesk, timeoutMillis: 2_000, retry: { maxAttempts: 3, initialDelayMillis: 20, maxDelayMillis: 100 }, ...options.source },
    {
      ticket: {
        ...ticket,
        endpoint: { ...ticket.endpoint, keyField: 'requesterEmail', path: '/api/v2/tickets', ...options.endpoint },
        fields: { ...ticket.fields, ...options.fields },
      },
    },
  );
}

/** The demo company mapping on a registry at `url`; cache and rate limit as overridden. */
export function registryConfig(url: string, source: SourceOverrides = {}): RestSourceConfig {
  const raw = demoRestRawConfig({ helpdeskUrl: 'http://127.0.0.1:1', helpdeskToken: 'unused', registryUrl: url });
  return compileRestSource('registry', { ...raw.sources.registry, ...source }, { company: raw.entities.company });
}

export function callRecorder(): { readonly calls: SourceCall[]; readonly onCall: (call: SourceCall) => void } {
  const calls: SourceCall[] = [];
  return { calls, onCall: (call) => calls.push(call) };
}

export const TICKET_FIELDS = [
  'id',
  'requesterEmail',
  'subject',
  'status',
  'priority',
  'channel',
  'createdAt',
  'updatedAt',
  'solvedAt',
  'satisfaction',
  'messages',
];
export const COMPANY_FIELDS = [
  'siren',
  'siret',
  'legalName',
  'nafCode',
  'nafLabel',
  'headcountBand',
  'creationDate',
  'state',
  'closedDate',
  'street',
  'postcode',
  'city',
  'executives',
  'finances',
];

export function elapsedSince(startedAt: number): number {
  return performance.now() - startedAt;
}
