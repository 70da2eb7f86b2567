/**
 * The privacy side of a running gateway: how callers are authenticated, where audit
 * records go, how customers are pseudonymized in them. Built once from the config.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { C360Config } from '../config/types.js';
import type { PrivacyConfig } from '../config/privacy-config.js';
import { Silos } from '../loading/silos.js';
import type { Logger } from '../gateway/logger.js';
import { createAuthenticator, type Authenticator } from './auth.js';
import { chainKeyFrom } from './audit/chain.js';
import { createAuditStore, createMemoryAuditStore, type AuditStore } from './audit/store.js';
import { principalFor, type Principal } from './principal.js';

export interface PrivacyRuntime {
  /** Null when auth is configured and the credential is missing or wrong. */
  readonly authenticate: Authenticator;
  readonly audit: AuditStore;
  /** The customer's pseudonym in the audit log: HMAC-SHA256 under the audit key. */
  auditPseudonym(customerId: string): string;
  readonly config: PrivacyConfig | undefined;
  /**
   * Where a record of a canonical entity lives, for erasure plans: its source and its key
   * there (an entity mapped in several sources: the part the key names, unprefixed);
   * undefined when unmapped.
   */
  locate(entity: string, key: string): { readonly source: string; readonly key: string } | undefined;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

export function createPrivacy(config: C360Config, logger: Logger, host: string): PrivacyRuntime {
  const privacy = config.privacy;
  const silos = Silos.of(config.entities);
  const locate = (entity: string, key: string) => silos.locate(entity, key);
  if (privacy === undefined) {
    // Open mode keeps existing deployments and the demo working. Only a loopback-bound
    // gateway trusts its callers as admin; bound elsewhere, callers get no personal field.
    const local = LOOPBACK_HOSTS.has(host);
    logger.warn(
      { host, callersAre: local ? 'admin' : 'analyst' },
      'NO AUTHENTICATION: the config has no privacy section, so /graphql is open to anyone who can reach it (docs/privacy.md)',
    );
    const open: Principal = principalFor(local ? 'local' : 'anonymous', local ? 'admin' : 'analyst', 'open-local');
    const key = randomBytes(32);
    return {
      authenticate: async () => open,
      audit: createMemoryAuditStore(chainKeyFrom(key)),
      auditPseudonym: pseudonyms(key),
      config: undefined,
      locate,
    };
  }
  return {
    authenticate: createAuthenticator(privacy),
    audit: createAuditStore(privacy.audit, chainKeyFrom(privacy.auditKey), logger),
    auditPseudonym: pseudonyms(privacy.auditKey),
    config: privacy,
    locate,
  };
}

/** Pseudonyms already computed: every audited request names its customers, a page 50 of them (an HMAC each). */
const PSEUDONYMS_KEPT = 50_000;

function pseudonyms(key: string | Buffer): (customerId: string) => string {
  const known = new Map<string, string>();
  return (customerId) => {
    let pseudonym = known.get(customerId);
    if (pseudonym === undefined) {
      if (known.size >= PSEUDONYMS_KEPT) known.clear();
      pseudonym = hmacHex(key, customerId);
      known.set(customerId, pseudonym);
    }
    return pseudonym;
  };
}

function hmacHex(key: string | Buffer, text: string): string {
  // The first 16 bytes in hex (the first 32 digits of the whole digest's hex): a string of its
  // own, where slicing the 64-digit hex would keep the whole of it alive behind each pseudonym
  // (the audit keeps one per customer a request read: 100k for a whole-base export).
  return createHmac('sha256', key).update(text, 'utf8').digest().toString('hex', 0, 16);
}
