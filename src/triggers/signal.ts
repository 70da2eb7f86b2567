/**
 * A fired trigger: the signal c360 builds once (idempotency key, customer, evidence) and
 * the payload each destination gets, shaped by the destination's role with the same field
 * policies the schema declares (schema/triggers.graphql: SignalEvidence, Customer.email…).
 * Partner destinations get the partner's pseudonym instead of the customer id.
 */
import { createHash } from 'node:crypto';
import type { FieldPolicy } from '../privacy/policies.js';
import { scopesOf } from '../privacy/principal.js';
import { partnerPseudonym } from '../privacy/pseudonym.js';
import type { Role } from '../config/privacy-config.js';
import type { IntentView } from './evaluate.js';

export interface EvidenceEvent {
  readonly source: 'event' | 'order' | 'interaction' | 'ticket';
  readonly id: string;
  readonly type: string | null;
  readonly occurredAt: string | null;
  readonly productId: string | null;
}

export interface Evidence {
  /** The new rows that made c360 look at this customer (at most MAX_EVIDENCE_ROWS). */
  readonly events: ReadonlyArray<EvidenceEvent>;
  readonly intent?: IntentView | null;
  readonly segments?: ReadonlyArray<string>;
  readonly cartAt?: string | null;
  readonly storeVisitAt?: string | null;
  readonly openTickets?: number | null;
}

export interface Signal {
  readonly idempotencyKey: string;
  readonly trigger: string;
  readonly customerId: string;
  readonly firedAt: string;
  readonly dryRun: boolean;
  readonly evidence: Evidence;
  readonly customer?: { readonly email: string | null; readonly phone: string | null; readonly displayName: string | null };
  /** Purposes the customer granted, for the @consent policies of payload fields; never sent. */
  readonly grantedPurposes: ReadonlySet<string>;
}

export const MAX_EVIDENCE_ROWS = 20;

/** Stable across restarts: the same firing (trigger, customer, episode) always has the same key. */
export function idempotencyKeyOf(trigger: string, customerId: string, episode: number): string {
  return createHash('sha256').update(`${trigger}\u0000${customerId}\u0000${episode}`).digest('base64url').slice(0, 32);
}

export interface Audience {
  readonly role: Role;
  readonly partner?: { readonly name: string; readonly key: string; readonly keyVersion: number };
  /** Customer fields the destination asked for (still subject to the role's policies). */
  readonly fields: ReadonlyArray<'email' | 'phone' | 'displayName'>;
}

export type Payload = Record<string, unknown>;

/** The JSON a destination receives. Fields the role may not read are left out, not nulled. */
export function payloadFor(signal: Signal, audience: Audience, policies: ReadonlyMap<string, FieldPolicy>): Payload {
  const scopes = scopesOf(audience.role);
  const may = (coordinate: string): boolean => {
    const policy = policies.get(coordinate);
    if (policy === undefined) return true;
    if (!policy.scopes.every((scope) => scopes.has(scope))) return false;
    return policy.consentPurpose === undefined || signal.grantedPurposes.has(policy.consentPurpose);
  };
  const evidence: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(signal.evidence)) {
    if (value !== undefined && may(`SignalEvidence.${field}`)) evidence[field] = value;
  }
  const customer: Record<string, unknown> = {};
  for (const field of audience.fields) {
    if (signal.customer !== undefined && may(`Customer.${field}`)) customer[field] = signal.customer[field];
  }
  const who =
    audience.partner === undefined
      ? { customerId: signal.customerId }
      : { customerPseudonym: partnerPseudonym(signal.customerId, audience.partner.key, audience.partner.keyVersion) };
  return {
    idempotencyKey: signal.idempotencyKey,
    trigger: signal.trigger,
    ...who,
    firedAt: signal.firedAt,
    evidence,
    ...(Object.keys(customer).length > 0 ? { customer } : {}),
  };
}
