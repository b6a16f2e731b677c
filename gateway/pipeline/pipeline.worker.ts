import type { FastifyBaseLogger } from 'fastify';
import type { RuleHits } from '../rules/rule-hits.ts';
import { CommitLost } from '../../store/db.ts';
import { dueInboundIds, nextInboundRetry, recordInboundFailure, unprocessedInboundCounts } from '../../store/interaction.repository.ts';
import type { EventBus } from '../events.ts';
import type { PipelineReporter } from '../metrics/reporters.ts';
import { retryDelay, type BackoffPolicy } from '../outbox/backoff.ts';
import { processInbound, type PipelineDeps, type ProcessOutcome } from './process-inbound.ts';

/** messages processed per transaction: enough to share the commit's cost, few enough to keep the event loop free */
const BATCH = 32;

export interface PipelineSettings {
  /** PIPELINE_WINDOW: at most this many messages are held in memory; the rest wait in the store */
  window: number;
  /** PIPELINE_MAX_ATTEMPTS, PIPELINE_RETRY_BASE_MS, PIPELINE_RETRY_MAX_MS: back-off between failed attempts, then `failed` */
  retry: BackoffPolicy;
  /** PIPELINE_RESCAN_MS: how often the store is searched for messages nobody holds (a failure that could not even be recorded) */
  rescanMs: number;
}

type Failure = { id: string; reason: unknown };

/**
 * Processes stored inbound interactions off the request path. The store is the queue: a message is
 * `received` until processed, and memory holds only a window of them (ids, at most `window`); when more
 * arrive than it holds, the rest are read from the store as the window empties. A failed attempt backs off
 * and is tried again while the process runs; after `retry.maxAttempts` the message is `failed` with its
 * reason, for a supervisor to look at and retry. Start-up never waits for the backlog.
 */
export class PipelineWorker {
  private readonly queue: string[] = [];
  /** the window: id → when it was queued (right after the commit that stored it), for the lag metric */
  private readonly queued = new Map<string, number>();
  /** failures that could not be recorded (the store refused the write too): not taken again before this time */
  private readonly coolingOff = new Map<string, number>();
  /** the store may hold due messages that are not in the window */
  private backlog = false;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private rescanTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** when the store was last read for due messages: those due since are not in hand */
  private lookedAt: Date | null = null;
  private retryReads = 0;

  constructor(
    private readonly deps: PipelineDeps & { events: EventBus; log: FastifyBaseLogger; metrics?: PipelineReporter; settings: PipelineSettings; ruleHits?: RuleHits },
  ) {}

  /** A message was stored: process it soon. Past the window it stays in the store until there is room. */
  enqueue(id: string): void {
    if (this.stopped || this.queued.has(id)) return;
    if (this.queued.size >= this.deps.settings.window) {
      this.backlog = true;
      return;
    }
    this.admit(id);
    this.kick();
  }

  /**
   * Starts taking what the store holds (left by a crash or a stop, or backing off) and looking for it
   * periodically. Returns at once with how many messages wait; processing them goes on in the background.
   */
  async start(): Promise<number> {
    this.stopped = false;
    this.rescanTimer = setInterval(() => this.rescan(), this.deps.settings.rescanMs);
    this.rescanTimer.unref();
    this.rescan();
    // messages backing off since before a restart are due again at their own time
    void this.scheduleRetry();
    return (await unprocessedInboundCounts(this.deps.db.read)).received;
  }

  /** how many messages memory holds now (never more than the window) */
  inMemory(): number {
    return this.queued.size;
  }

  /** Resolves when nothing is being processed: what was queued so far is done, or waits in the store. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Finishes the batch in hand; the rest stay `received` in the store for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.rescanTimer, this.retryTimer]) if (t) clearTimeout(t);
    this.rescanTimer = this.retryTimer = null;
    await this.idle();
    this.queue.length = 0;
    this.queued.clear();
  }

  private admit(id: string): void {
    this.queued.set(id, performance.now());
    this.queue.push(id);
  }

  private rescan(): void {
    if (this.stopped) return;
    this.backlog = true;
    this.kick();
  }

  private kick(): void {
    // deferred to the end of this turn: messages committed together are then processed in one batch
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch((err: unknown) => this.deps.log.error({ err }, 'the inbound pipeline stopped on an error; the next rescan resumes it'))
      .finally(() => {
        this.draining = null;
        // a message enqueued between the loop's last look and here is taken now, not at the next rescan
        if (!this.stopped && (this.queue.length > 0 || this.backlog)) this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      if (this.queue.length === 0 && !(this.backlog && (await this.refill()))) {
        // idle: wake when the earliest message backing off is due again
        await this.scheduleRetry();
        // messages enqueued while that was read are taken now, not at the next rescan
        if (this.queue.length === 0 && !this.backlog) break;
        continue;
      }
      // Started together, a batch shares one commit; each message still succeeds or fails alone, in order.
      const batch = this.queue.splice(0, BATCH);
      const failures = this.settle(batch, await Promise.allSettled(batch.map((id) => processInbound(this.deps, id))));
      if (failures.length > 1 && failures.every((f) => f.reason instanceof CommitLost)) {
        // The commit was lost as a whole (one write in it made SQLite roll everything back): each message
        // goes again in a commit of its own, so only the one at fault counts a failed attempt.
        const alone: Failure[] = [];
        for (const { id } of failures) {
          if (this.stopped) break;
          alone.push(...this.settle([id], [await processInbound(this.deps, id).then(fulfilled, rejected)]));
        }
        await this.recordFailures(alone);
      } else {
        await this.recordFailures(failures);
      }
      // gives other work (webhooks, sends) a turn between batches
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Fills the window from the store, oldest first; false when nothing is due. */
  private async refill(): Promise<boolean> {
    this.backlog = false;
    const room = this.deps.settings.window - this.queued.size;
    if (room <= 0) return this.queue.length > 0;
    const now = Date.now();
    for (const [id, until] of this.coolingOff) if (until <= now) this.coolingOff.delete(id);
    const at = this.deps.now();
    this.lookedAt = at;
    const ids = await dueInboundIds(this.deps.db.read, at, room, [...this.queued.keys(), ...this.coolingOff.keys()]);
    for (const id of ids) this.admit(id);
    // a full read may have left more behind
    if (ids.length === room) this.backlog = true;
    return this.queue.length > 0;
  }

  /** Emits what succeeded; returns the failures (still in the window until recorded). */
  private settle(batch: string[], outcomes: Array<PromiseSettledResult<ProcessOutcome>>): Failure[] {
    const failures: Failure[] = [];
    outcomes.forEach((o, i) => {
      const id = batch[i]!;
      if (o.status === 'rejected') {
        failures.push({ id, reason: o.reason });
        return;
      }
      const queuedAt = this.queued.get(id);
      this.queued.delete(id);
      this.coolingOff.delete(id);
      // a message taken from the store counts from then: how long it waited while the gateway was down is not known here
      if (o.value.channel && queuedAt !== undefined) this.deps.metrics?.processed(o.value.channel, (performance.now() - queuedAt) / 1000);
      for (const e of o.value.events) this.deps.events.emit(e);
      if (o.value.routed) this.deps.ruleHits?.record(o.value.routed.trace, o.value.routed.at);
    });
    return failures;
  }

  /** Counts each failed attempt in the store, with its back-off or its end as `failed`. */
  private async recordFailures(failures: Failure[]): Promise<void> {
    if (failures.length === 0) return;
    const { db, log, now, settings } = this.deps;
    const recorded = await Promise.allSettled(
      failures.map(({ id, reason }) =>
        db.transaction((tx) =>
          recordInboundFailure(tx, id, {
            reason: reason instanceof Error ? reason.message : String(reason),
            maxAttempts: settings.retry.maxAttempts,
            retryAt: (attempts) => new Date(now().getTime() + retryDelay(settings.retry, attempts)),
            now: now(),
          }),
        ),
      ),
    );
    recorded.forEach((r, i) => {
      const { id, reason } = failures[i]!;
      this.queued.delete(id);
      if (r.status === 'rejected') {
        // not even the failure could be written: memory keeps it aside for a while, the rescan finds it again
        this.coolingOff.set(id, Date.now() + retryDelay(settings.retry, 1));
        log.error({ err: reason, recordErr: r.reason, interactionId: id }, 'processing an inbound message failed, and so did recording it');
      } else if (r.value?.failed) {
        log.error({ err: reason, interactionId: id, attempts: r.value.attempts }, 'processing an inbound message failed for good; it is marked failed');
      } else {
        log.warn({ err: reason, interactionId: id, attempt: r.value?.attempts }, 'processing an inbound message failed; it will be tried again');
      }
    });
    await this.scheduleRetry();
  }

  /**
   * Wakes when the next message backing off is due again, or the first cooling-off (a failure that could
   * not be recorded) ends. A message already due is in hand, so a store refusing writes is not polled in a
   * tight loop.
   */
  private async scheduleRetry(): Promise<void> {
    if (this.stopped) return;
    // reads may finish out of order (PostgreSQL's pool): only the last one asked sets the timer, or an
    // older read, made before a failure was stored, would clear the timer a newer one set
    const asked = ++this.retryReads;
    const now = this.deps.now();
    const delays: number[] = [];
    // due after the store was last looked at: a message that fell due between that look and now is not in
    // hand either (asking for those due after now would leave it to the next rescan, a minute later)
    const backingOff = await nextInboundRetry(this.deps.db.read, this.lookedAt ?? now).catch((err: unknown) => {
      this.deps.log.warn({ err }, 'the next retry of inbound messages could not be read; the rescan looks again');
      return null;
    });
    if (this.stopped || asked !== this.retryReads) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (backingOff) delays.push(backingOff.getTime() - now.getTime());
    if (this.coolingOff.size) delays.push(Math.min(...this.coolingOff.values()) - Date.now());
    if (delays.length === 0) return;
    // a millisecond late rather than early: timers may fire a little before the clock reaches their time
    const delay = Math.max(10, Math.min(this.deps.settings.rescanMs, Math.min(...delays) + 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.rescan();
    }, delay);
    this.retryTimer.unref();
  }
}

const fulfilled = (value: ProcessOutcome): PromiseSettledResult<ProcessOutcome> => ({ status: 'fulfilled', value });
const rejected = (reason: unknown): PromiseSettledResult<ProcessOutcome> => ({ status: 'rejected', reason });
