import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';

const BASE = `
sources:
  crm: { kind: postgres, url: "postgres://127.0.0.1/crm" }
  shop: { kind: mysql, url: "mysql://127.0.0.1/shop" }
entities:
  contact: { source: crm, table: contact, fields: { id: id, email: email } }
  consent: { source: crm, table: consent, fields: { id: id, contactId: contact_id, purpose: purpose, status: status, recordedAt: at } }
  shopCustomer: { source: shop, table: customer, fields: { id: id, email: email } }
  event: { source: shop, table: event, fields: { id: id, customerId: customer_id, occurredAt: at } }
`;

const GOOD = `${BASE}
triggers:
  destinations:
    callcenter: { kind: webhook, url: "https://crm.example.fr/hooks/c360", secret: "0123456789abcdef0123456789abcdef", role: agent }
    bus: { kind: nats, url: "nats://127.0.0.1:4222", stream: C360_SIGNALS, subject: c360.signals }
  rules:
    ready_to_buy: { when: { intent: { level: HIGH, category: Chaussures } }, consent: profiling, destinations: [callcenter, bus] }
`;

function problemsOf(text: string) {
  try {
    parseConfigText(text, {}, 'c360.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('the triggers section', () => {
  it('compiles with its defaults: one-second polls, memory state, five tries per signal', () => {
    const config = parseConfigText(GOOD, {}, 'c360.yaml');
    expect(config.triggers).toMatchObject({ pollMillis: 1000, startFrom: 'now', dryRun: false, state: { store: 'memory' } });
    expect(config.triggers?.destinations.callcenter).toMatchObject({ role: 'agent', retry: { maxAttempts: 5, initialMillis: 500, maxMillis: 30000 } });
    expect(config.triggers?.destinations.bus).toMatchObject({ role: 'analyst' });
  });

  it('reports every problem at once, with its path', () => {
    const broken = `${BASE}
triggers:
  pollMillis: 10
  destinations:
    callcenter: { kind: webhook, url: "ftp://crm.example.fr", secret: short }
    acme: { kind: webhook, url: "https://acme.example.com/in", secret: "0123456789abcdef0123456789abcdef", role: partner, partner: acme }
  rules:
    both: { when: { intent: { level: HIGH }, aboutToBuy: {} }, consent: profiling, destinations: [callcenter] }
    vip: { when: { segment: { id: big_spendrs } }, consent: profiling, destinations: [callcentre] }
    visit: { when: { storeVisitAfterCart: {} }, consent: marketing_phone, destinations: [acme] }
`;
    const problems = problemsOf(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'triggers.pollMillis' }),
        expect.objectContaining({ path: 'triggers.destinations.callcenter.url' }),
        expect.objectContaining({ path: 'triggers.destinations.callcenter.secret' }),
        { path: 'triggers.rules.both.when', message: 'give exactly one of intent, aboutToBuy, segment, storeVisitAfterCart or openTicket' },
      ]),
    );
    expect(problems.length).toBe(4);
  });

  it('checks names across the file once the shapes are right: destinations, segments, partners, mapped entities', () => {
    const problems = problemsOf(`${BASE}
triggers:
  destinations:
    acme: { kind: webhook, url: "https://acme.example.com/in", secret: "0123456789abcdef0123456789abcdef", role: partner, partner: acme }
    desk: { kind: rabbitmq, url: "amqp://guest:guest@127.0.0.1:5672", queue: signals, partner: acme }
  rules:
    vip: { when: { segment: { id: big_spendrs } }, consent: profiling, destinations: [callcentre] }
    visit: { when: { storeVisitAfterCart: {} }, consent: marketing_phone, destinations: [acme] }
`);
    expect(problems).toEqual([
      { path: 'triggers.rules.vip.destinations[0]', message: 'unknown destination "callcentre" (declared: acme, desk)' },
      { path: 'triggers.rules.vip.when.segment.id', message: expect.stringContaining('unknown segment "big_spendrs" (known: champions') },
      { path: 'triggers.rules.visit.when.storeVisitAfterCart', message: 'store visits are CRM interactions, and no interaction entity is mapped' },
      { path: 'triggers.destinations.acme.partner', message: 'unknown partner "acme" (privacy.partners: none)' },
      { path: 'triggers.destinations.desk.partner', message: 'a partner destination names its partner, and only a partner destination does' },
    ]);
  });
});
