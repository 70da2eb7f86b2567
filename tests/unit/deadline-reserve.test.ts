/** DeadlineReserve's one merged signal per request: shared by its calls, cut at the reserve, none after it. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { SourceError, type CallOptions, type Connector, type LoadRequest } from '../../connectors/contract.js';
import { DeadlineReserve } from '../../src/gateway/deadline-reserve.js';

/** A connector whose loads wait until the test answers them or their signal aborts, keeping the signal each call got. */
function waitingConnector(): { connector: Connector; signals: AbortSignal[]; answerAll(): void } {
  const signals: AbortSignal[] = [];
  const answers: Array<() => void> = [];
  const connector = {
    name: 'crm',
    capabilities: {},
    load: (_request: LoadRequest, options: CallOptions) =>
      new Promise<ReadonlyArray<ReadonlyArray<never>>>((resolve, reject) => {
        signals.push(options.signal);
        answers.push(() => resolve([]));
        options.signal.addEventListener('abort', () => reject(new SourceError('SOURCE_TIMEOUT', 'crm', 'cut')), { once: true });
      }),
  } as unknown as Connector;
  return { connector, signals, answerAll: () => answers.splice(0).forEach((answer) => answer()) };
}

const REQUEST = { entity: 'contact', keys: ['1'], keyField: 'id', projection: ['id'] } as unknown as LoadRequest;

function reserveOf(): { reserve: DeadlineReserve; cut: AbortController } {
  const cut = new AbortController();
  return { reserve: new DeadlineReserve(() => cut.signal, 1_000), cut };
}

describe('DeadlineReserve', () => {
  it("gives every call of a request one signal, not the request's own, and adds its listeners once", async () => {
    const { reserve } = reserveOf();
    const { connector, signals, answerAll } = waitingConnector();
    const wrapped = reserve.wrap(connector);
    const deadline = new AbortController();
    const calls = [wrapped.load(REQUEST, { signal: deadline.signal }), wrapped.load(REQUEST, { signal: deadline.signal })];
    expect(signals).toHaveLength(2);
    expect(signals[0]).toBe(signals[1]);
    expect(signals[0]).not.toBe(deadline.signal);
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(1);
    answerAll();
    await Promise.all(calls);
    // A later call of the same request reuses it: no listener more on the request's signal.
    const later = wrapped.load(REQUEST, { signal: deadline.signal });
    expect(signals[2]).toBe(signals[0]);
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(1);
    answerAll();
    await later;
  });

  it('gives a call under another signal one of its own, cut by that signal', async () => {
    const { reserve } = reserveOf();
    const { connector, signals } = waitingConnector();
    const wrapped = reserve.wrap(connector);
    const request = new AbortController();
    const other = new AbortController();
    void wrapped.load(REQUEST, { signal: request.signal }).catch(() => undefined);
    const own = wrapped.load(REQUEST, { signal: other.signal });
    expect(signals[1]).not.toBe(signals[0]);
    other.abort(new Error('caller gave up'));
    await expect(own).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
    expect(signals[0]!.aborted).toBe(false);
  });

  it("cuts the calls outstanding at the reserve, with the reserve's reason, marks the source late, and refuses its next calls", async () => {
    const { reserve, cut } = reserveOf();
    const { connector, signals } = waitingConnector();
    const wrapped = reserve.wrap(connector);
    const deadline = new AbortController();
    const outstanding = wrapped.load(REQUEST, { signal: deadline.signal });
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    cut.abort(reason);
    await expect(outstanding).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT', source: 'crm' });
    expect(signals[0]!.reason).toBe(reason);
    expect(reserve.lateSources()).toEqual(new Set(['crm']));
    await expect(wrapped.load(REQUEST, { signal: deadline.signal })).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
    expect(signals).toHaveLength(1);
  });

  it("runs a source's first call after the reserve under the request's own signal (the rest of the deadline)", async () => {
    const { reserve, cut } = reserveOf();
    const { connector, signals, answerAll } = waitingConnector();
    cut.abort(new Error('reserve'));
    const deadline = new AbortController();
    const call = reserve.wrap(connector).load(REQUEST, { signal: deadline.signal });
    expect(signals[0]).toBe(deadline.signal);
    answerAll();
    await expect(call).resolves.toEqual([]);
  });

  it("aborts the shared signal with the request's reason when the request ends first", async () => {
    const { reserve } = reserveOf();
    const { connector, signals } = waitingConnector();
    const deadline = new AbortController();
    const call = reserve.wrap(connector).load(REQUEST, { signal: deadline.signal });
    const gone = new Error('client closed the connection');
    deadline.abort(gone);
    await expect(call).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT' });
    expect(signals[0]!.reason).toBe(gone);
    expect(reserve.lateSources().size).toBe(0);
  });
});
