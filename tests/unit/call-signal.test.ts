/** callSignal: one call's signal from the request's and its own deadline, released when the call settles. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { callSignal } from '../../src/gateway/call-signal.js';

const waitFor = (signal: AbortSignal): Promise<unknown> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('callSignal', () => {
  it('aborts with the reason of the signal that aborted', async () => {
    const request = new AbortController();
    const reason = new Error('client closed the connection');
    const seen = callSignal([request.signal], 60_000, (signal) => waitFor(signal));
    request.abort(reason);
    await expect(seen).resolves.toBe(reason);
  });

  it('aborts with a TimeoutError after its own deadline', async () => {
    const reason = (await callSignal([new AbortController().signal], 20, (signal) => waitFor(signal))) as DOMException;
    expect(reason.name).toBe('TimeoutError');
  });

  it('hands an already aborted signal to a call made after the request was cut', async () => {
    const request = new AbortController();
    request.abort(new Error('deadline'));
    const reason = await callSignal([request.signal], 60_000, async (signal) => (signal.aborted ? signal.reason : 'not aborted'));
    expect(reason).toEqual(new Error('deadline'));
  });

  it('removes its listeners from the request signal when the call settles, answered or failed', async () => {
    const request = new AbortController();
    await expect(callSignal([request.signal], 60_000, async () => 'rows')).resolves.toBe('rows');
    await expect(callSignal([request.signal], 60_000, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(() =>
      callSignal([request.signal], 60_000, () => {
        throw new Error('thrown');
      }),
    ).toThrow('thrown');
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('leaves the call signal unaborted after it settled, whatever the request does next', async () => {
    const request = new AbortController();
    let seen: AbortSignal | undefined;
    await callSignal([request.signal], 10, async (signal) => {
      seen = signal;
    });
    request.abort();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen?.aborted).toBe(false);
  });
});
