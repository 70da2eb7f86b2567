/**
 * Two CRMs after a merger: `contact`, `interaction` and `consent` each mapped in two
 * PostgreSQL sources. A person in both is one customer, with both CRMs' history (calls,
 * consents, timeline) newest first; a CRM-only page lists that person once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { parseConfigText } from '../../src/config/load.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { POSTGRES_SERVER_URL, uniqueDatabaseName } from '../support/servers.js';

const crmName = uniqueDatabaseName('c360_crm_a');
const legacyName = uniqueDatabaseName('c360_crm_b');
let gateway: TestGateway;

const TABLES = `
CREATE TABLE contacts (id integer PRIMARY KEY, first_name varchar, last_name varchar, email varchar, updated_at timestamp);
CREATE TABLE calls (id integer PRIMARY KEY, contact_id integer REFERENCES contacts, kind varchar, at timestamp, subject varchar);
CREATE TABLE consents (id integer PRIMARY KEY, contact_id integer REFERENCES contacts, purpose varchar, status varchar, recorded_at timestamp);
`;
const CRM = `${TABLES}
INSERT INTO contacts VALUES (1, 'Claire', 'Dupuis', 'claire.dupuis@laposte.net', '2024-01-01'), (2, 'Paul', 'Moreau', 'paul.moreau@free.fr', '2024-01-01');
INSERT INTO calls VALUES (1, 2, 'call', '2024-05-01 10:00:00', 'Suivi commande'), (2, 1, 'call', '2023-06-01 10:00:00', 'Premier contact');
INSERT INTO consents VALUES (1, 2, 'marketing', 'granted', '2024-05-01 10:00:00');
`;
// The acquired company's CRM: Paul again (his email typed otherwise), and Marc, only there.
const LEGACY = `${TABLES}
INSERT INTO contacts VALUES (900, 'Paul', 'Moreau', ' Paul.Moreau@free.fr', '2021-01-01'), (901, 'Marc', 'Leroy', 'marc.leroy@orange.fr', '2021-01-01');
INSERT INTO calls VALUES (1, 900, 'meeting', '2023-03-01 15:00:00', 'Rendez-vous agence'), (2, 901, 'call', '2022-01-01 09:00:00', 'Devis');
INSERT INTO consents VALUES (1, 900, 'marketing', 'denied', '2021-06-01 10:00:00');
CREATE TABLE callcenter_calls (id integer PRIMARY KEY, crm_contact_id integer, at timestamp, subject varchar);
INSERT INTO callcenter_calls VALUES (1, 1, '2024-06-01 09:00:00', 'Réclamation'), (2, 1, '2023-01-01 09:00:00', 'Information');
`;

const mapping = (source: string) => `
    - source: ${source}
      table: contacts
      fields: { id: id, firstName: first_name, lastName: last_name, email: email, updatedAt: updated_at }`;

beforeAll(async () => {
  const crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  const legacyUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, legacyName);
  for (const [url, sql] of [
    [crmUrl, CRM],
    [legacyUrl, LEGACY],
  ] as const) {
    const admin = await openSqlAdmin('postgres', url);
    try {
      await admin.exec(sql);
    } finally {
      await admin.close();
    }
  }
  const children = (source: string) => `
    - source: ${source}
      table: calls
      fields: { id: id, contactId: contact_id, type: { column: kind, values: { call: CALL, meeting: MEETING } }, occurredAt: at, subject: subject }`;
  const consents = (source: string) => `
    - source: ${source}
      table: consents
      fields: { id: id, contactId: contact_id, purpose: purpose, status: { column: status, values: { granted: GRANTED, denied: DENIED } }, recordedAt: recorded_at }`;
  gateway = await startTestGateway(
    parseConfigText(
      `
sources:
  crm: { kind: postgres, url: "${crmUrl}" }
  legacy: { kind: postgres, url: "${legacyUrl}" }
  callcenter: { kind: postgres, url: "${legacyUrl}" }   # the call centre's tool: it names the first CRM's contacts
entities:
  contact:${mapping('crm')}${mapping('legacy')}
  interaction:${children('crm')}${children('legacy')}
    - source: callcenter
      table: callcenter_calls
      fields: { id: id, contactId: crm_contact_id, type: { const: CALL }, occurredAt: at, subject: subject }
  consent:${consents('crm')}${consents('legacy')}
`,
      {},
    ),
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await dropDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  await dropDatabase('postgres', POSTGRES_SERVER_URL, legacyName);
});

describe('two CRMs', () => {
  it('shows a person of both CRMs as one customer with both histories, newest first', async () => {
    const result = await gateway.query(`{ customerBy(email: "paul.moreau@free.fr") {
      sources { source key matchedBy }
      interactions { id type subject }
      consents { id status recordedAt }
      timeline { source kind } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customerBy).toEqual({
      sources: [
        { source: 'crm', key: '2', matchedBy: 'ANCHOR' },
        { source: 'legacy', key: 'legacy:900', matchedBy: 'EMAIL' },
      ],
      interactions: [
        { id: '1', type: 'CALL', subject: 'Suivi commande' },
        { id: 'legacy:1', type: 'MEETING', subject: 'Rendez-vous agence' },
      ],
      consents: [
        { id: '1', status: 'GRANTED', recordedAt: '2024-05-01T10:00:00.000Z' },
        { id: 'legacy:1', status: 'DENIED', recordedAt: '2021-06-01T10:00:00.000Z' },
      ],
      timeline: [
        { source: 'legacy', kind: 'INTERACTION' },
        { source: 'crm', kind: 'INTERACTION' },
      ],
    });
  });

  it('merges one contact’s interactions from two sources newest first (a call centre naming the CRM’s contacts)', async () => {
    const result = await gateway.query(`{ customerBy(email: "claire.dupuis@laposte.net") { interactions(first: 2) { id subject } timeline { source } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customerBy).toEqual({
      interactions: [
        { id: 'callcenter:1', subject: 'Réclamation' },
        { id: '2', subject: 'Premier contact' },
      ],
      timeline: [{ source: 'callcenter' }, { source: 'crm' }, { source: 'callcenter' }],
    });
  });

  it('lists each person once in a page that reads only CRM fields', async () => {
    const page = await gateway.query(`{ customers(first: 10) { edges { node { id contact { firstName lastName } } } } }`);
    expect(page.errors).toBeUndefined();
    const names = (page.data!.customers as { edges: Array<{ node: { contact: { firstName: string; lastName: string } } }> }).edges.map(
      (edge) => `${edge.node.contact.firstName} ${edge.node.contact.lastName}`,
    );
    expect(names).toEqual(['Claire Dupuis', 'Paul Moreau', 'Marc Leroy']);
  });
});
