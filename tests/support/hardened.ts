/** A test gateway over a seeded world with its own `limits` section, and raw HTTP helpers. */
import { compileLimits, limitsSchema } from '../../src/config/limits-config.js';
import type { SeededWorld } from './demo-world.js';
import { startTestGateway, type TestGateway } from './gateway.js';

/** `limits` as it would be written in c360.yaml. */
export function startLimitedGateway(seeded: SeededWorld, rawLimits: unknown): Promise<TestGateway> {
  return startTestGateway({ ...seeded.config(), limits: compileLimits(limitsSchema.parse(rawLimits)) });
}

export interface RawReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<RawReply> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
