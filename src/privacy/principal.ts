/**
 * Who is calling, as every privacy decision sees it: an id for the audit log, a role, the
 * scopes that role grants and, for a partner, which one.
 */
import type { Role } from '../config/privacy-config.js';

export interface Principal {
  /** The API key's id or the JWT subject: written to the audit log, never a secret. */
  readonly id: string;
  readonly role: Role;
  readonly scopes: ReadonlySet<string>;
  readonly partner?: string;
  readonly via: 'api-key' | 'jwt' | 'open-local';
}

/** Every scope the field policies know; `pii:<kind>` per @pii kind, lower case. */
export const SCOPES = {
  piiContact: 'pii:contact',
  piiName: 'pii:name',
  piiAddress: 'pii:address',
  piiBirthDate: 'pii:birth_date',
  piiFreeText: 'pii:free_text',
  piiBehaviour: 'pii:behaviour',
  gdprAdmin: 'gdpr:admin',
  triggersAdmin: 'triggers:admin',
} as const;

const ALL_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPES));

/**
 * The scopes of each role. Agents serve customers at the desk and see who they talk to;
 * analysts see segments and aggregates but no contact detail; partners see nothing of
 * the canonical schema (they have their own endpoint).
 */
export function scopesOf(role: Role): ReadonlySet<string> {
  switch (role) {
    case 'admin':
      return ALL_SCOPES;
    case 'agent':
      return new Set([SCOPES.piiContact, SCOPES.piiName, SCOPES.piiAddress, SCOPES.piiBirthDate, SCOPES.piiFreeText, SCOPES.piiBehaviour]);
    case 'analyst':
      return new Set();
    case 'partner':
      return new Set();
    default: {
      const unreachable: never = role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}

export function principalFor(id: string, role: Role, via: Principal['via'], partner?: string): Principal {
  return partner === undefined ? { id, role, scopes: scopesOf(role), via } : { id, role, scopes: scopesOf(role), via, partner };
}
