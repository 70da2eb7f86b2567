/**
 * What the SQL sources' breaker (src/gateway/sql-breaker.ts) counts: the source's own
 * timeouts and outages open it; slow successes, caller aborts and other failures do not.
 * The black-holed shop end to end is tests/attack/sql-breaker.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { SourceError } from '../../connectors/contract.js';
import { SqlBreaker, SqlBreakers } from '../../src/gateway/sql-breaker.js';

const failing =
  (code: 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SOURCE_BAD_RESPONSE', source = 'shop') =>
  () =>
    Promise.reject(new SourceError(code, source, `${source} failed`));
const live = new AbortController().signal;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof SourceError ? error.code : String(error);
  }
}

describe('the SQL breaker', () => {
  it('opens after consecutiveFailures timeouts or outages of its source, then refuses with CIRCUIT_OPEN from it', async () => {
    const breaker = new SqlBreaker('shop', { consecutiveFailures: 3, halfOpenAfterMillis: 60_000 });
    expect(await codeOf(breaker.run(live, failing('SOURCE_TIMEOUT')))).toBe('SOURCE_TIMEOUT');
    expect(await codeOf(breaker.run(live, failing('SOURCE_UNAVAILABLE')))).toBe('SOURCE_UNAVAILABLE');
    expect(breaker.state).toBe('closed');
    expect(await codeOf(breaker.run(live, failing('SOURCE_TIMEOUT')))).toBe('SOURCE_TIMEOUT');
    expect(breaker.state).toBe('open');
    expect(breaker.refusesNow()).toBe(true);
    let called = false;
    const refused = breaker.run(live, () => {
      called = true;
      return Promise.resolve(1);
    });
    await expect(refused).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', source: 'shop' });
    expect(called).toBe(false);
    expect(breaker.openings).toBe(1);
    expect(breaker.refusals).toBe(1);
  });

  it('does not count slow successes, caller aborts, bad responses or another source', async () => {
    const breaker = new SqlBreaker('shop', { consecutiveFailures: 2, halfOpenAfterMillis: 60_000 });
    const aborted = new AbortController();
    aborted.abort(new Error('client gone'));
    for (let index = 0; index < 5; index++) {
      expect(await breaker.run(live, () => new Promise((resolve) => setTimeout(() => resolve('slow'), 30)))).toBe('slow');
      expect(await codeOf(breaker.run(aborted.signal, failing('SOURCE_TIMEOUT')))).toBe('SOURCE_TIMEOUT');
      expect(await codeOf(breaker.run(live, failing('SOURCE_BAD_RESPONSE')))).toBe('SOURCE_BAD_RESPONSE');
      expect(await codeOf(breaker.run(live, failing('SOURCE_TIMEOUT', 'crm')))).toBe('SOURCE_TIMEOUT');
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.openings).toBe(0);
  });

  it('half-opens after halfOpenAfterMillis and closes on a successful probe', async () => {
    const breaker = new SqlBreaker('shop', { consecutiveFailures: 1, halfOpenAfterMillis: 50 });
    await codeOf(breaker.run(live, failing('SOURCE_UNAVAILABLE')));
    expect(breaker.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(breaker.refusesNow()).toBe(false);
    expect(await breaker.run(live, () => Promise.resolve('back'))).toBe('back');
    expect(breaker.state).toBe('closed');
  });

  it('is built for SQL sources only, with the defaults filled in', () => {
    const breakers = new SqlBreakers({
      shop: { kind: 'mysql' },
      crm: { kind: 'postgres', circuitBreaker: { consecutiveFailures: 7 } },
      helpdesk: { kind: 'rest' },
    });
    expect([...breakers.bySource.keys()].sort()).toEqual(['crm', 'shop']);
    expect(breakers.bySource.get('shop')!.config).toEqual({ consecutiveFailures: 3, halfOpenAfterMillis: 2_000 });
    expect(breakers.bySource.get('crm')!.config).toEqual({ consecutiveFailures: 7, halfOpenAfterMillis: 2_000 });
  });
});
