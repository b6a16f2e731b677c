import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { claimTimer, dueTimers, nextTimerDue, postponeTimer, type TimerRow } from '../../store/timer.repository.ts';
import type { EventBus, GatewayEvent } from '../events.ts';

/**
 * What a timer of one kind does when it fires: its work, in the transaction that takes the timer, so it
 * happens once or not at all. Returns the events to tell after the commit.
 */
export type TimerHandler = (tx: Executor, timer: TimerRow, now: Date) => Promise<GatewayEvent[]>;

export interface TimerWorkerDeps {
  db: Db;
  events: EventBus;
  log: FastifyBaseLogger;
  now: () => Date;
  handlers: ReadonlyMap<string, TimerHandler>;
  /** how often the table is looked at besides the known next due time: timers other instances set are fired by then at the latest */
  pollMs?: number;
  /** first pause after a failed firing (doubling, up to a minute) */
  retryMs?: number;
  /** told each firing's lateness (due to fired, ms): metrics and the bench */
  onFired?: (kind: string, lateMs: number) => void;
}

const BATCH = 200;
const MAX_RETRY_MS = 60_000;

/**
 * Fires durable timers (the Timer table) when they fall due: sleeps until the earliest due time it knows,
 * and looks at the table every `pollMs` besides. A timer is taken by deleting its row in the transaction
 * that does its work, so with several instances, or after a restart, each fires exactly once: a timer
 * whose moment passed while no instance ran fires at the next start.
 */
export class TimerWorker {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: TimerWorkerDeps) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Something may be due at `at` (a timer was just set), or now: the worker looks then. */
  wake(at?: Date): void {
    if (this.stopped) return;
    const when = at ? at.getTime() : this.deps.now().getTime();
    if (when > this.deps.now().getTime()) return this.sleepUntil(when);
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.fireDue().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private sleepUntil(when: number): void {
    if (this.stopped) return;
    if (this.wakeAt !== null && this.wakeAt <= when && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = when;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wakeAt = null;
        this.wake();
      },
      Math.max(0, when - this.deps.now().getTime()),
    );
    this.timer.unref();
  }

  private async fireDue(): Promise<void> {
    const pollMs = this.deps.pollMs ?? 1_000;
    try {
      for (;;) {
        const now = this.deps.now();
        const due = await dueTimers(this.deps.db.read, now, BATCH);
        // one group commit carries them all; each in its own savepoint
        await Promise.all(due.map((t) => this.fire(t, now)));
        if (due.length < BATCH || this.stopped) break;
      }
      const next = await nextTimerDue(this.deps.db.read);
      const poll = this.deps.now().getTime() + pollMs;
      this.sleepUntil(next ? Math.min(next.getTime(), poll) : poll);
    } catch (err) {
      this.deps.log.error({ err }, 'could not read the timers; trying again shortly');
      this.sleepUntil(this.deps.now().getTime() + pollMs);
    }
  }

  private async fire(t: TimerRow, now: Date): Promise<void> {
    const handler = this.deps.handlers.get(t.kind);
    let events: GatewayEvent[];
    try {
      events = await this.deps.db.transaction(async (tx) => {
        if (!(await claimTimer(tx, t.key, now))) return [];
        if (!handler) {
          this.deps.log.error({ key: t.key, kind: t.kind }, 'a timer of a kind nothing handles was dropped');
          return [];
        }
        return handler(tx, t, now);
      });
    } catch (err) {
      const attempts = t.attempts + 1;
      const pause = Math.min((this.deps.retryMs ?? 1_000) * 2 ** (attempts - 1), MAX_RETRY_MS);
      this.deps.log.error({ err, key: t.key, attempts }, 'a timer failed to fire; it is tried again');
      await this.deps.db.transaction((tx) => postponeTimer(tx, t.key, new Date(now.getTime() + pause), attempts)).catch(() => undefined);
      return;
    }
    this.deps.onFired?.(t.kind, this.deps.now().getTime() - t.dueAt.getTime());
    for (const e of events) this.deps.events.emit(e);
  }
}
