/**
 * One delivery queue per destination: bounded (a full queue makes the poller wait, so a
 * slow destination slows reading instead of growing memory), a few sends at a time, each
 * retried with capped exponential backoff and jitter (cockatiel), and dead-lettered after
 * `retry.maxAttempts` tries. The destination's health is what /ready reports.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { DestinationConfig } from '../config/triggers-config.js';
import type { Destination } from './destinations/contract.js';
import type { Payload, Signal } from './signal.js';

export type Outcome = 'delivered' | 'deadLettered' | 'abandoned';

export interface DeliveryHooks {
  onDelivered(signal: Signal, destination: string): void;
  onAttemptFailed(signal: Signal, destination: string, error: Error): void;
  onDeadLetter(signal: Signal, destination: string, attempts: number, error: Error): Promise<void>;
}

interface Job {
  readonly payload: Payload;
  readonly signal: Signal;
  readonly settle: (outcome: Outcome) => void;
}

const CONCURRENCY = 4;

export class DeliveryQueue {
  private readonly waiting: Job[] = [];
  private active = 0;
  private readonly roomWaiters: Array<() => void> = [];
  private readonly stopping = new AbortController();
  /** Set while the last try failed; cleared by the next success. */
  failing: { readonly since: string; readonly lastError: string } | undefined;

  constructor(
    readonly destination: Destination,
    private readonly config: DestinationConfig,
    private readonly maxQueued: number,
    private readonly hooks: DeliveryHooks,
  ) {}

  get queued(): number {
    return this.waiting.length + this.active;
  }

  /** Resolves once the signal is delivered or dead-lettered; waits first while the queue is full. */
  async push(payload: Payload, signal: Signal): Promise<Outcome> {
    while (this.queued >= this.maxQueued && !this.stopping.signal.aborted) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    if (this.stopping.signal.aborted) return 'abandoned';
    return new Promise<Outcome>((settle) => {
      this.waiting.push({ payload, signal, settle });
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < CONCURRENCY && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.active++;
      void this.deliver(job).then((outcome) => {
        this.active--;
        job.settle(outcome);
        this.roomWaiters.shift()?.();
        this.pump();
      });
    }
  }

  private async deliver(job: Job): Promise<Outcome> {
    const { maxAttempts, initialMillis, maxMillis } = this.config.retry;
    const policy = retry(handleAll, { maxAttempts: maxAttempts - 1, backoff: new ExponentialBackoff({ initialDelay: initialMillis, maxDelay: maxMillis }) });
    let attempts = 0;
    policy.onFailure(({ reason }) => {
      const error = 'error' in reason ? (reason.error as Error) : new Error('failed');
      this.failing ??= { since: new Date().toISOString(), lastError: error.message };
      this.failing = { since: this.failing.since, lastError: error.message };
      this.hooks.onAttemptFailed(job.signal, this.destination.name, error);
    });
    try {
      await policy.execute(async ({ signal }) => {
        if (signal.aborted) throw new Error('stopping');
        attempts++;
        await this.destination.send(job.payload, job.signal);
      }, this.stopping.signal);
      this.failing = undefined;
      this.hooks.onDelivered(job.signal, this.destination.name);
      return 'delivered';
    } catch (error) {
      // Stopping mid-retry: not delivered and not dead: the batch is not committed, the next run sends again.
      if (this.stopping.signal.aborted) return 'abandoned';
      await this.hooks.onDeadLetter(job.signal, this.destination.name, attempts, error as Error);
      return 'deadLettered';
    }
  }

  async close(): Promise<void> {
    this.stopping.abort();
    for (const wake of this.roomWaiters.splice(0)) wake();
    for (const job of this.waiting.splice(0)) job.settle('abandoned');
    await this.destination.close();
  }
}
