/** The privacy section the privacy tests run with: one key per role, two partners. */
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { sha256Hex } from '../../src/privacy/auth.js';
import type { DemoWorld } from '../../src/demo/world-types.js';

export const KEYS = {
  admin: 'admin-key-0001',
  agent: 'agent-key-0001',
  analyst: 'analyst-key-0001',
  acme: 'acme-key-0001',
  globex: 'globex-key-0001',
} as const;
export const MIN_GROUP_SIZE = 5;
export const PARTNER_KEYS = { acme: 'acme-pseudonym-key-0123456789abcdef', globex: 'globex-pseudonym-key-0123456789abcdef' } as const;

export const PARTNER_OPERATIONS = {
  audience:
    'query Audience($first: Int, $after: String) { audience(first: $first, after: $after) { members { pseudonym ageBand departement region segment intentLevel productCategories } nextCursor } }',
  counts: 'query Counts($by: AudienceDimension!) { audienceCounts(by: $by) { groups { value count } total suppressedGroups minGroupSize } }',
  overlap: 'query Overlap($hashes: [String!]!) { overlap(emailSha256: $hashes) { groups { value count } total suppressedGroups minGroupSize } }',
};

export function privacyTestConfig(base: C360Config, audit: Record<string, unknown> = { store: 'memory' }): C360Config {
  const privacy = parseConfig({
    sources: {},
    entities: {},
    privacy: {
      auth: {
        apiKeys: [
          { id: 'admin-1', sha256: sha256Hex(KEYS.admin), role: 'admin' },
          { id: 'desk-1', sha256: sha256Hex(KEYS.agent), role: 'agent' },
          { id: 'bi-1', sha256: sha256Hex(KEYS.analyst), role: 'analyst' },
          { id: 'acme-1', sha256: sha256Hex(KEYS.acme), role: 'partner', partner: 'acme' },
          { id: 'globex-1', sha256: sha256Hex(KEYS.globex), role: 'partner', partner: 'globex' },
        ],
      },
      partners: {
        acme: {
          pseudonymKey: PARTNER_KEYS.acme,
          operations: {
            'acme.audience.v1': PARTNER_OPERATIONS.audience,
            'acme.counts.v1': PARTNER_OPERATIONS.counts,
            'acme.overlap.v1': PARTNER_OPERATIONS.overlap,
          },
        },
        globex: { pseudonymKey: PARTNER_KEYS.globex, operations: { 'globex.audience.v1': PARTNER_OPERATIONS.audience } },
      },
      minGroupSize: MIN_GROUP_SIZE,
      auditKey: 'audit-key-0123456789abcdef0123456789',
      audit,
    },
  }).privacy;
  return { ...base, privacy };
}

/** The contact's most recent consent status for a purpose, as the demo world recorded it. */
export function latestConsent(world: DemoWorld, contactId: number, purpose: string): string | undefined {
  const records = world.consents.filter((c) => c.contactId === contactId && c.purpose === purpose);
  records.sort((a, b) => (a.recordedAt === b.recordedAt ? b.id - a.id : a.recordedAt < b.recordedAt ? 1 : -1));
  return records[0]?.status;
}
