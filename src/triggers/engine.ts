/**
 * The trigger poller. Each poll: read the followed sources' new rows past their
 * watermarks, re-evaluate only the customers they touch (./evaluate.ts), compare each
 * rule's state with the last one kept, fire on a crossing (with the rule's consent), hand
 * the signals to the destinations, and only once every signal is delivered or
 * dead-lettered commit the new states and watermarks together. A crash before the commit
 * replays the batch: the same firings come again with the same idempotency keys
 * (at-least-once); after it, nothing is read twice.
 */
import type { GraphQLSchema } from 'graphql';
import { Registry } from 'prom-client';
import type { TriggerRule, TriggersConfig } from '../config/triggers-config.js';
import type { Runtime } from '../gateway/runtime.js';
import { Loaders } from '../loading/loaders.js';
import { readFieldPolicies, type FieldPolicy } from '../privacy/policies.js';
import type { PrivacyRuntime } from '../privacy/runtime.js';
import { fires, holdsNow } from './conditions.js';
import { DeliveryQueue, type DeliveryHooks } from './delivery.js';
import { createDestination } from './destinations/index.js';
import type { Destination } from './destinations/contract.js';
import { anchorName, evaluate, evaluatorDepsOf, needsOf, type Anchor, type CustomerView, type EvaluatorDeps, type Needs } from './evaluate.js';
import { followersFor, followOnce, newestMark, type Follower, type TouchedRow } from './follow.js';
import { SignalHub } from './hub.js';
import { TriggerMetrics } from './metrics.js';
import { idempotencyKeyOf, MAX_EVIDENCE_ROWS, payloadFor, type Audience, type EvidenceEvent, type Signal } from './signal.js';
import { createStateStore, type DeadLetter, type StateChange, type TriggerStateStore, type Watermark } from './state.js';

export interface Firing {
  readonly idempotencyKey: string;
  readonly trigger: string;
  readonly customerId: string;
  readonly firedAt: string;
  readonly dryRun: boolean;
  readonly destinations: ReadonlyArray<{ readonly name: string; readonly outcome: string }>;
}

export interface PollReport {
  readonly rows: number;
  readonly evaluated: number;
  readonly fired: number;
  readonly more: boolean;
}

export interface TriggerEngineOptions {
  readonly store?: TriggerStateStore;
  /** Replaces the configured destination of that name (tests: a destination that fails on purpose). */
  readonly destinations?: ReadonlyMap<string, Destination>;
  readonly registry?: Registry;
}

const RECENT_PER_TRIGGER = 100;
const EVALUATION_TIMEOUT_MILLIS = 30_000;

/** The keys a stored watermark says were taken at its instant. */
function takenAt(since: Watermark | undefined): ReadonlySet<string> {
  if (since === undefined) return new Set();
  return new Set(since.taken ?? (since.key === '' ? [] : [since.key]));
}

export class TriggerEngine {
  readonly hub = new SignalHub();
  readonly metrics: TriggerMetrics;
  private readonly store: TriggerStateStore;
  private readonly queues = new Map<string, DeliveryQueue>();
  private readonly audiences = new Map<string, Audience>();
  private readonly policies: ReadonlyMap<string, FieldPolicy>;
  private readonly followers: ReadonlyArray<Follower>;
  private readonly needs: Needs;
  private readonly evaluator: EvaluatorDeps;
  private readonly segmentRules: boolean;
  private readonly recent = new Map<string, Firing[]>();
  private watermarks: Map<string, Watermark> | undefined;
  private readonly taken = new Map<string, ReadonlySet<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private lastPollError: { readonly at: string; readonly message: string } | undefined;

  constructor(
    readonly config: TriggersConfig,
    private readonly runtime: Runtime,
    schema: GraphQLSchema,
    private readonly privacy: PrivacyRuntime,
    options: TriggerEngineOptions = {},
  ) {
    this.store = options.store ?? createStateStore(config.state);
    this.policies = readFieldPolicies(schema);
    this.evaluator = evaluatorDepsOf(runtime, schema, EVALUATION_TIMEOUT_MILLIS);
    this.segmentRules = Object.values(config.rules).some((rule) => rule.when.segment !== undefined);
    const probe = new Loaders(runtime.config, runtime.connectors, { signal: new AbortController().signal });
    this.followers = followersFor(probe, (source, entity, timeField) => {
      const config = runtime.config.sources[source];
      if (config === undefined) return undefined;
      if (config.kind !== 'rest') return 'sql';
      return config.entities.find((mapped) => mapped.entity === entity)?.follow?.timeField === timeField ? 'rest' : undefined;
    });
    const destinations = Object.entries(config.destinations);
    this.needs = needsOf(
      Object.values(config.rules),
      destinations.some(([, destination]) => destination.fields.length > 0),
    );
    this.metrics = new TriggerMetrics(options.registry ?? new Registry(), () => new Map([...this.queues].map(([name, queue]) => [name, queue.queued])));
    const hooks: DeliveryHooks = {
      onDelivered: (signal, destination) => this.metrics.delivered.inc({ trigger: signal.trigger, destination }),
      onAttemptFailed: (signal, destination, error) => {
        this.metrics.failed.inc({ trigger: signal.trigger, destination });
        runtime.logger.warn({ trigger: signal.trigger, destination, idempotencyKey: signal.idempotencyKey, err: error.message }, 'trigger delivery try failed');
      },
      onDeadLetter: async (signal, destination, attempts, error) => {
        this.metrics.deadLettered.inc({ trigger: signal.trigger, destination });
        runtime.logger.error(
          { trigger: signal.trigger, destination, idempotencyKey: signal.idempotencyKey, attempts, err: error.message },
          'trigger signal dead-lettered',
        );
        await this.store.deadLetter({
          idempotencyKey: signal.idempotencyKey,
          rule: signal.trigger,
          destination,
          customerId: signal.customerId,
          attempts,
          lastError: error.message,
          failedAt: new Date().toISOString(),
        });
      },
    };
    for (const [name, destination] of destinations) {
      const partner = destination.partner === undefined ? undefined : runtime.config.privacy?.partners[destination.partner];
      this.audiences.set(name, {
        role: destination.role,
        fields: destination.fields,
        ...(partner === undefined ? {} : { partner: { name: destination.partner!, key: partner.pseudonymKey, keyVersion: partner.keyVersion } }),
      });
      this.queues.set(name, new DeliveryQueue(options.destinations?.get(name) ?? createDestination(name, destination), destination, config.maxQueued, hooks));
    }
  }

  /** Polls every `pollMillis` (at once again while sources have more than a batch waiting). */
  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      let more = false;
      const began = Date.now();
      this.running = this.pollOnce().then(
        (report) => {
          more = report.more;
          this.lastPollError = undefined;
          this.metrics.polls.inc({ outcome: 'ok' });
        },
        (error: Error) => {
          if (this.stopped) return; // the batch stopped on purpose is read again at the next start
          this.lastPollError = { at: new Date().toISOString(), message: error.message };
          this.metrics.polls.inc({ outcome: 'failed' });
          this.runtime.logger.warn({ err: error.message }, 'trigger poll failed; the batch is read again next poll');
        },
      );
      await this.running;
      // Polls start every pollMillis (a slow poll is followed at once), not pollMillis after the last one ended.
      if (!this.stopped) this.timer = setTimeout(() => void loop(), more ? 0 : Math.max(0, this.config.pollMillis - (Date.now() - began)));
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.running;
    this.hub.close();
    await this.store.close();
  }

  /** One poll; exported for tests and the dry-run command. */
  async pollOnce(): Promise<PollReport> {
    this.watermarks ??= await this.store.watermarks();
    const loaders = new Loaders(this.runtime.config, this.runtime.connectors, {
      signal: AbortSignal.timeout(EVALUATION_TIMEOUT_MILLIS),
      onCall: () => this.metrics.statements.inc(),
    });
    const nextMarks = new Map<string, Watermark>();
    const nextTaken = new Map<string, ReadonlySet<string>>();
    const touched: TouchedRow[] = [];
    let more = false;
    for (const follower of this.followers) {
      const since = this.watermarks.get(follower.name);
      const result =
        since === undefined && this.config.startFrom === 'now'
          ? await newestMark(loaders, follower)
          : // After a restart the rows taken at the watermark's instant are those it keeps (only its own row for one kept before they were).
            await followOnce(loaders, follower, since, this.taken.get(follower.name) ?? takenAt(since), this.config.batchSize);
      touched.push(...result.rows);
      more ||= result.more;
      if (result.watermark !== undefined && result.watermark !== since) {
        nextMarks.set(follower.name, { ...result.watermark, taken: [...result.keysAtWatermark] });
        nextTaken.set(follower.name, result.keysAtWatermark);
      }
      // Caught up: no lag. Else how old the newest row taken is (the backlog behind it is older still).
      const lag = result.rows.length === 0 || result.watermark === undefined ? 0 : Math.max(0, (Date.now() - Date.parse(result.watermark.at)) / 1000);
      this.metrics.lagSeconds.set({ source: follower.name }, lag);
    }
    if (touched.length === 0) {
      if (nextMarks.size > 0) await this.commitMarks([], nextMarks, nextTaken);
      return { rows: 0, evaluated: 0, fired: 0, more };
    }

    const anchors = new Map<string, Anchor>();
    const rowsByAnchor = new Map<string, TouchedRow[]>();
    for (const row of touched) {
      const anchor: Anchor = { entity: row.anchor, key: row.anchorKey };
      const name = anchorName(anchor);
      anchors.set(name, anchor);
      rowsByAnchor.set(name, [...(rowsByAnchor.get(name) ?? []), row]);
    }
    // A segment rule has no stored state for a customer it never saw: their segments are also
    // read as of just before the batch's rows (the earliest, less 1 ms), in the same operation,
    // so that a customer long in a segment whom a view touches does not "enter" it, and one
    // whose first touch takes them out is seen leaving.
    const times = touched.map(({ row }) => Date.parse(String(row.occurredAt ?? row.placedAt ?? row.createdAt ?? ''))).filter((at) => !Number.isNaN(at));
    const earlierAt = this.segmentRules && times.length > 0 ? new Date(Math.min(...times) - 1).toISOString() : undefined;
    const evaluation = await evaluate(this.evaluator, [...anchors.values()], this.needs, earlierAt);
    for (let i = 0; i < evaluation.statements; i++) this.metrics.statements.inc();
    if (evaluation.failed.length > 0) throw new Error(`could not re-evaluate ${evaluation.failed.length} customer(s) now (a source is failing)`);
    for (const { anchor, reason } of evaluation.skipped) this.runtime.logger.warn({ anchor, err: reason }, 'trigger skipped a customer it could not evaluate');

    // Two anchors (a contact and its shop account) may be one customer.
    const customers = new Map<string, { view: CustomerView; rows: TouchedRow[] }>();
    for (const [name, view] of evaluation.views) {
      const entry = customers.get(view.customerId) ?? { view, rows: [] };
      entry.rows.push(...(rowsByAnchor.get(name) ?? []));
      customers.set(view.customerId, entry);
    }

    const changes: StateChange[] = [];
    const signals: Array<{ signal: Signal; rule: TriggerRule }> = [];
    const firedAt = new Date().toISOString();
    const statesByRule = new Map<string, ReadonlyMap<string, { active: boolean; fired: number }>>();
    for (const [ruleName, rule] of Object.entries(this.config.rules)) {
      const stateKey = this.config.dryRun || rule.dryRun === true ? `${ruleName}@dry-run` : ruleName;
      statesByRule.set(ruleName, await this.store.states(stateKey, [...customers.keys()]));
    }
    for (const [ruleName, rule] of Object.entries(this.config.rules)) {
      const dryRun = this.config.dryRun || rule.dryRun === true;
      // A dry run keeps its own states, so that turning it off starts from nothing.
      const stateKey = dryRun ? `${ruleName}@dry-run` : ruleName;
      const states = statesByRule.get(ruleName)!;
      for (const [customerId, { view, rows }] of customers) {
        this.metrics.evaluated.inc({ trigger: ruleName });
        const earlier = rule.when.segment === undefined || view.earlierSegments === undefined ? undefined : { ...view, segments: view.earlierSegments };
        const before = states.get(customerId) ?? { active: earlier === undefined ? false : holdsNow(rule.when, earlier), fired: 0 };
        const now = holdsNow(rule.when, view);
        if (!fires(rule.when, before.active, now)) {
          if (now !== before.active) changes.push({ rule: stateKey, customerId, active: now, fired: before.fired });
          continue;
        }
        if (!view.consents.has(rule.consent)) {
          this.metrics.suppressed.inc({ trigger: ruleName, reason: 'no_consent' });
          changes.push({ rule: stateKey, customerId, active: now, fired: before.fired });
          continue;
        }
        const episode = before.fired + 1;
        changes.push({ rule: stateKey, customerId, active: now, fired: episode });
        this.metrics.fired.inc({ trigger: ruleName });
        signals.push({ rule, signal: this.signalOf(ruleName, dryRun, view, rows, episode, firedAt) });
      }
    }

    await Promise.all(signals.map(({ signal, rule }) => this.dispatch(signal, rule)));
    if (this.stopped) throw new Error('stopped before the batch was committed; it is read again at the next start');
    await this.commitMarks(changes, nextMarks, nextTaken);
    return { rows: touched.length, evaluated: customers.size, fired: signals.length, more };
  }

  private async commitMarks(
    changes: ReadonlyArray<StateChange>,
    nextMarks: ReadonlyMap<string, Watermark>,
    nextTaken: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<void> {
    await this.store.commit(changes, nextMarks);
    this.watermarks = new Map([...(this.watermarks ?? []), ...nextMarks]);
    for (const [follower, keys] of nextTaken) this.taken.set(follower, keys);
  }

  private signalOf(trigger: string, dryRun: boolean, view: CustomerView, rows: ReadonlyArray<TouchedRow>, episode: number, firedAt: string): Signal {
    const events: EvidenceEvent[] = rows.slice(-MAX_EVIDENCE_ROWS).map(({ follower, row }) => ({
      source: follower,
      id: String(row.id),
      type: typeof row.type === 'string' ? row.type : follower === 'order' ? 'ORDER' : follower === 'ticket' ? 'TICKET' : null,
      occurredAt: (row.occurredAt ?? row.placedAt ?? row.createdAt ?? null) as string | null,
      productId: row.productId == null ? null : String(row.productId),
    }));
    return {
      idempotencyKey: idempotencyKeyOf(trigger, view.customerId, episode),
      trigger,
      customerId: view.customerId,
      firedAt,
      dryRun,
      evidence: {
        events,
        ...(view.intent !== undefined ? { intent: view.intent } : {}),
        ...(view.segments !== undefined ? { segments: view.segments } : {}),
        ...(view.lastCartAt !== undefined ? { cartAt: view.lastCartAt, storeVisitAt: view.lastStoreVisitAt ?? null } : {}),
        ...(view.openTickets !== undefined ? { openTickets: view.openTickets } : {}),
      },
      ...(view.contact === undefined ? {} : { customer: view.contact }),
      grantedPurposes: view.consents,
    };
  }

  private async dispatch(signal: Signal, rule: TriggerRule): Promise<void> {
    if (signal.dryRun) {
      this.remember({ ...this.firingOf(signal), destinations: rule.destinations.map((name) => ({ name, outcome: 'dryRun' })) });
      this.runtime.logger.info(
        { trigger: signal.trigger, customerId: signal.customerId, idempotencyKey: signal.idempotencyKey },
        'trigger would fire (dry run)',
      );
      return;
    }
    this.hub.publish(signal);
    const outcomes = await Promise.all(
      rule.destinations.map(async (name) => {
        const audience = this.audiences.get(name)!;
        const payload = payloadFor(signal, audience, this.policies);
        await this.audit(signal, name, audience, payload);
        return { name, outcome: await this.queues.get(name)!.push(payload, signal) };
      }),
    );
    const newest = Math.max(...signal.evidence.events.map((event) => (event.occurredAt === null ? Number.NEGATIVE_INFINITY : Date.parse(event.occurredAt))));
    if (Number.isFinite(newest)) this.metrics.signalSeconds.observe({ trigger: signal.trigger }, Math.max(0, (Date.now() - newest) / 1000));
    this.remember({ ...this.firingOf(signal), destinations: outcomes });
  }

  private async audit(signal: Signal, destination: string, audience: Audience, payload: Record<string, unknown>): Promise<void> {
    const evidence = Object.keys(payload.evidence as object).map((field) => `SignalEvidence.${field}`);
    const customer = Object.keys((payload.customer as object | undefined) ?? {}).map((field) => `Customer.${field}`);
    await this.privacy.audit.append({
      at: signal.firedAt,
      requestId: signal.idempotencyKey,
      principal: `trigger:${signal.trigger}`,
      role: audience.role,
      purpose: this.config.rules[signal.trigger]?.consent ?? null,
      operation: `trigger ${signal.trigger} -> ${destination}`,
      endpoint: 'trigger',
      customers: [this.privacy.auditPseudonym(signal.customerId)],
      fields: [...evidence, ...customer].filter((coordinate) => this.policies.has(coordinate)),
      outcome: 'allowed',
    });
  }

  private firingOf(signal: Signal): Omit<Firing, 'destinations'> {
    return { idempotencyKey: signal.idempotencyKey, trigger: signal.trigger, customerId: signal.customerId, firedAt: signal.firedAt, dryRun: signal.dryRun };
  }

  private remember(firing: Firing): void {
    const list = this.recent.get(firing.trigger) ?? [];
    list.unshift(firing);
    list.length = Math.min(list.length, RECENT_PER_TRIGGER);
    this.recent.set(firing.trigger, list);
  }

  /** Newest first; in dry-run, who would have fired. */
  firings(trigger: string, first: number): Firing[] {
    return (this.recent.get(trigger) ?? []).slice(0, first);
  }

  deadLetters(trigger: string | undefined, first: number): Promise<DeadLetter[]> {
    return this.store.deadLetters(trigger, first);
  }

  /** For /ready: destinations whose last try failed, and a failing poll. */
  readyNote(): Record<string, unknown> {
    const failing = Object.fromEntries(
      [...this.queues].flatMap(([name, queue]) => (queue.failing === undefined ? [] : [[name, { ...queue.failing, queued: queue.queued }]])),
    );
    return {
      status: Object.keys(failing).length > 0 || this.lastPollError !== undefined ? 'failing' : 'ok',
      ...(Object.keys(failing).length > 0 ? { failingDestinations: failing } : {}),
      ...(this.lastPollError === undefined ? {} : { lastPollError: this.lastPollError }),
    };
  }

  knows(trigger: string): boolean {
    return Object.hasOwn(this.config.rules, trigger);
  }
}
