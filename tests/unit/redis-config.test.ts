import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';

const BASE = `
sources:
  crm: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/crm" }
entities:
  contact: { source: crm, table: contacts, fields: { id: id } }
`;

function problemsOf(text: string): ReadonlyArray<{ path: string; message: string }> {
  try {
    parseConfigText(text, { REDIS_PASSWORD: 'pw' }, 'c360.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('the redis section', () => {
  it('is absent by default: shared state stays in process', () => {
    expect(parseConfigText(BASE, {}).redis).toBeUndefined();
  });

  it('takes a redis URL with its password from the environment, and defaults the rest', () => {
    const config = parseConfigText(`${BASE}redis: { url: "redis://:\${REDIS_PASSWORD}@redis:6379/0" }\n`, { REDIS_PASSWORD: 'pw' });
    expect(config.redis).toEqual({ url: 'redis://:pw@redis:6379/0', keyPrefix: 'c360:', commandTimeoutMillis: 250, connectTimeoutMillis: 2_000 });
  });

  it('reports a URL that is not redis, a bad prefix and an unknown key with their paths', () => {
    const problems = problemsOf(`${BASE}redis: { url: "http://redis:6379", keyPrefix: "c 360", ttl: 3 }\n`);
    expect(problems.map((problem) => problem.path).sort()).toEqual(['redis.keyPrefix', 'redis.ttl', 'redis.url']);
    expect(problems.find((problem) => problem.path === 'redis.url')?.message).toContain('redis://');
  });
});
