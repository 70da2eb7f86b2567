/**
 * Per-partner pseudonyms: HMAC-SHA256 of the c360 customer id under the partner's own key.
 * Stable for one partner and key version, unlinkable across partners without the keys,
 * and rotated by changing the key (the version prefix tells which key made a pseudonym).
 */
import { createHmac } from 'node:crypto';

export function partnerPseudonym(customerId: string, key: string, keyVersion: number): string {
  return `v${keyVersion}.${createHmac('sha256', key).update(customerId, 'utf8').digest('base64url')}`;
}
