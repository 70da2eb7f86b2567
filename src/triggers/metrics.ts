/**
 * Per-trigger metrics in the gateway's prom-client registry: evaluated, fired, suppressed
 * (no consent), delivered, failed tries and dead letters per destination, the watermark
 * lag per followed source, time from the row's time to delivery, and the source
 * statements triggers send. Labels are the config's names only, so they stay bounded.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const SIGNAL_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60];

export class TriggerMetrics {
  readonly evaluated: Counter<'trigger'>;
  readonly fired: Counter<'trigger'>;
  readonly suppressed: Counter<'trigger' | 'reason'>;
  readonly delivered: Counter<'trigger' | 'destination'>;
  readonly failed: Counter<'trigger' | 'destination'>;
  readonly deadLettered: Counter<'trigger' | 'destination'>;
  readonly lagSeconds: Gauge<'source'>;
  readonly queued: Gauge<'destination'>;
  readonly signalSeconds: Histogram<'trigger'>;
  readonly statements: Counter;
  readonly polls: Counter<'outcome'>;

  constructor(registry: Registry, queued: () => ReadonlyMap<string, number>) {
    const registers = [registry];
    this.evaluated = new Counter({
      name: 'c360_trigger_evaluated_total',
      help: 'Customers a trigger re-evaluated because a followed source touched them.',
      labelNames: ['trigger'],
      registers,
    });
    this.fired = new Counter({
      name: 'c360_trigger_fired_total',
      help: 'Firings (a customer crossed into the condition, with consent); in dry-run, would-be firings.',
      labelNames: ['trigger'],
      registers,
    });
    this.suppressed = new Counter({
      name: 'c360_trigger_suppressed_total',
      help: 'Crossings that did not fire, by reason (no_consent).',
      labelNames: ['trigger', 'reason'],
      registers,
    });
    this.delivered = new Counter({
      name: 'c360_trigger_delivered_total',
      help: 'Signals a destination acknowledged.',
      labelNames: ['trigger', 'destination'],
      registers,
    });
    this.failed = new Counter({
      name: 'c360_trigger_failed_total',
      help: 'Failed delivery tries (each retry counts).',
      labelNames: ['trigger', 'destination'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'c360_trigger_dead_lettered_total',
      help: 'Signals given up after every try.',
      labelNames: ['trigger', 'destination'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'c360_trigger_lag_seconds',
      help: 'Now minus the time of the last row taken from a followed source, after the last poll.',
      labelNames: ['source'],
      registers,
    });
    this.queued = new Gauge({
      name: 'c360_trigger_queued',
      help: 'Signals waiting or being sent per destination.',
      labelNames: ['destination'],
      registers,
      collect() {
        for (const [destination, count] of queued()) this.set({ destination }, count);
      },
    });
    this.signalSeconds = new Histogram({
      name: 'c360_trigger_signal_seconds',
      help: "From the newest evidence row's time to the last destination's acknowledgement.",
      labelNames: ['trigger'],
      buckets: SIGNAL_BUCKETS_SECONDS,
      registers,
    });
    this.statements = new Counter({
      name: 'c360_trigger_source_statements_total',
      help: 'Source statements and HTTP calls sent by the trigger poller (follow and re-evaluation).',
      registers,
    });
    this.polls = new Counter({ name: 'c360_trigger_polls_total', help: 'Polls by outcome (ok, failed).', labelNames: ['outcome'], registers });
  }
}
