/**
 * Webhook destination: POST of the JSON payload, signed like Stripe's webhooks so that
 * receivers can use the usual recipe: `x-c360-signature: t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, `${t}.${body}`). The idempotency key is also a header.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import axios from 'axios';
import type { DestinationConfig } from '../../config/triggers-config.js';
import type { Destination } from './contract.js';

export const SIGNATURE_HEADER = 'x-c360-signature';
export const IDEMPOTENCY_HEADER = 'x-c360-idempotency-key';

export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/** For receivers (and the tests): true when the header signs this body within `toleranceSeconds` of now. */
export function verifySignature(secret: string, header: string | undefined, body: string, toleranceSeconds = 300, nowMillis = Date.now()): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || typeof parts.v1 !== 'string') return false;
  if (Math.abs(nowMillis / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createWebhookDestination(name: string, config: Extract<DestinationConfig, { kind: 'webhook' }>): Destination {
  return {
    name,
    kind: 'webhook',
    async send(payload, signal) {
      const body = JSON.stringify(payload);
      const response = await axios.post(config.url, body, {
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureOf(config.secret, Math.floor(Date.now() / 1000), body),
          [IDEMPOTENCY_HEADER]: signal.idempotencyKey,
        },
        timeout: config.timeoutMillis,
        maxRedirects: 0,
        validateStatus: () => true,
        transformRequest: [(data: unknown) => data],
      });
      if (response.status < 200 || response.status >= 300) throw new Error(`webhook answered HTTP ${response.status}`);
    },
    async close() {},
  };
}
