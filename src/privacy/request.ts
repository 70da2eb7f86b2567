/** The privacy side of a request context: who calls, for what purpose, and what they touched. */
import type { AccessLog } from './audit/access-log.js';
import type { Principal } from './principal.js';
import type { PrivacyRuntime } from './runtime.js';

export const PURPOSE_HEADER = 'x-c360-purpose';

export interface PrivacyRequest {
  readonly principal: Principal;
  /** The caller's stated purpose (x-c360-purpose), recorded in the audit log. */
  readonly purpose: string | undefined;
  readonly access: AccessLog;
  /** The gateway's audit store and pseudonyms, for the GDPR resolvers. */
  readonly services: PrivacyRuntime;
}
