import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { applyWaitChange, queueWaitRules, waitingCaseIds, waitSnapshots, type WaitChange, type WaitSnapshot } from '../../store/assignment.repository.ts';
import { parseJsonArray, QUEUE_MOVE_RESET } from '../../store/case.repository.ts';
import { parseOverflow } from '../../store/directory.repository.ts';
import { addCaseEvent } from '../../store/interaction.repository.ts';
import { cancelTimer, scheduleTimer, type TimerRow } from '../../store/timer.repository.ts';
import { WAITING_STATES, type CaseState } from '../../routing/case-state.ts';
import { planWait, type OverflowStep } from '../../routing/queue-overflow.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import type { TimerHandler } from '../timers/timer.worker.ts';
import { CaseBatches, caseOfTimer } from '../case-batches.ts';

/** The timer kind of a waiting case's next overflow or aging step; one per case, keyed `wait:<case id>`. */
export const WAIT_TIMER = 'wait';
const ORIGIN = 'overflow';
const MAX_MOVES = 5;
const WAIT_FIELDS = new Set(['assignee', 'state', 'queue', 'priority']);

interface QueueRules {
  id: string;
  name: string;
  steps: OverflowStep[];
  agingSeconds: number | null;
}

export interface WaitStepsDeps {
  db: Db;
  events: EventBus;
  now: () => Date;
  log: FastifyBaseLogger;
  wakeTimers: (at: Date) => void;
  /** how long a change waits for others to share its pass (default 20 ms) */
  gatherMs?: number;
}

/**
 * A queue's overflow steps and aging for the cases that wait in it: each waiting case of a queue that has
 * either gets one durable timer for its next step, set when it begins to wait (or the queue's settings
 * change) and taken when it falls due, in the transaction that carries the step out. Every step is
 * written on the case's timeline. Queues with neither cost nothing: their cases are never looked at.
 */
export class WaitStepsService {
  private readonly batches: CaseBatches;
  private unsubscribe: (() => void) | null = null;
  private readonly rework: { pending: Set<string>; running: Promise<void> | null } = { pending: new Set(), running: null };

  constructor(private readonly deps: WaitStepsDeps) {
    this.batches = new CaseBatches({
      run: (ids) => this.pass(ids),
      gatherMs: deps.gatherMs,
      onFailure: (err, ids, retried) =>
        deps.log.error({ err, cases: ids.length, retried }, 'the overflow steps of waiting cases could not be planned; tried again in a second, then at their next change'),
    });
  }

  start(): void {
    this.unsubscribe = this.deps.events.on((e, source) => {
      if (source !== 'local') return;
      if (e.type === 'queue.waitChanged') this.reworkQueue(e.queueId);
      else if (e.type === 'case.created') this.touch(e.caseId);
      // a case that begins or stops waiting, changes queue or has its priority set (aging's next step moves); its own steps are planned where they are made
      else if (e.type === 'case.updated' && e.origin !== ORIGIN && e.changes.some((c) => WAIT_FIELDS.has(c))) this.touch(e.caseId);
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    while (this.rework.running) await this.rework.running;
    await this.batches.stop();
  }

  /**
   * The queue's steps or aging changed: its waiting cases are planned again (or their timers dropped). Runs
   * one at a time; queues changed meanwhile are gathered into the next run.
   */
  reworkQueue(queueId: string): void {
    this.rework.pending.add(queueId);
    if (this.rework.running) return;
    this.rework.running = (async () => {
      while (this.rework.pending.size > 0) {
        const queueIds = [...this.rework.pending];
        this.rework.pending.clear();
        await this.reworkWaiting(queueIds).catch((err: unknown) => this.deps.log.error({ err, queueIds }, 'waiting cases could not be planned after a queue change'));
      }
    })().finally(() => {
      this.rework.running = null;
    });
  }

  /** Plans every waiting case of these queues. */
  private async reworkWaiting(queueIds: string[]): Promise<void> {
    let afterId = 0;
    for (;;) {
      const ids = await waitingCaseIds(this.deps.db.read, queueIds, afterId, 1_000);
      if (ids.length === 0) return;
      for (const id of ids) this.touch(id);
      afterId = ids[ids.length - 1]!;
      await this.batches.settled();
    }
  }

  touch(caseId: number): void {
    this.batches.touch(caseId);
  }

  async settled(): Promise<void> {
    while (this.rework.running) await this.rework.running;
    await this.batches.settled();
  }

  readonly onTimer: TimerHandler = async (tx, timer: TimerRow, now) => {
    const id = caseOfTimer(timer.key, WAIT_TIMER);
    if (id === null) return [];
    const { events, wakeAt } = await this.work(tx, [id], now, id);
    if (wakeAt) queueMicrotask(() => this.deps.wakeTimers(wakeAt));
    return events;
  };

  /** Plans the cases named; throws when the transaction fails (the batches try again). */
  private async pass(ids: number[]): Promise<void> {
    // no queue has steps or aging (the usual case): no transaction at all
    if ((await this.rules(this.deps.db.read)).size === 0) return;
    const { events, wakeAt } = await this.deps.db.transaction((tx) => this.work(tx, ids, this.deps.now(), null));
    for (const e of events) this.deps.events.emit(e);
    if (wakeAt) this.deps.wakeTimers(wakeAt);
  }

  /** Queues with steps or aging, by id. */
  private async rules(x: Executor): Promise<Map<string, QueueRules>> {
    const rules = new Map<string, QueueRules>();
    for (const q of await queueWaitRules(x)) {
      const steps = [...parseOverflow(q.overflow)].sort((a, b) => a.afterSeconds - b.afterSeconds);
      if (steps.length > 0 || q.agingSeconds) rules.set(q.id, { id: q.id, name: q.name, steps, agingSeconds: q.agingSeconds });
    }
    return rules;
  }

  /**
   * Carries out the steps due for `ids` at `now` and sets each case's timer for its next one; a case no
   * longer waiting (or in a queue without steps) has its timer dropped. `timerTaken`: the case whose timer
   * this transaction took.
   */
  private async work(tx: Executor, ids: number[], now: Date, timerTaken: number | null, hops = 0): Promise<{ events: GatewayEvent[]; wakeAt: Date | null }> {
    const rules = await this.rules(tx);
    const events: GatewayEvent[] = [];
    let wakeAt: Date | null = null;
    if (rules.size === 0 && timerTaken === null) return { events, wakeAt };
    const byName = new Map([...(await queueWaitRules(tx))].map((q) => [q.name.toLowerCase(), q]));
    for (const snap of await waitSnapshots(tx, ids)) {
      const key = `${WAIT_TIMER}:${snap.id}`;
      const waiting = snap.assigneeId === null && WAITING_STATES.includes(snap.state as CaseState);
      const rule = snap.queueId ? rules.get(snap.queueId) : undefined;
      if (!waiting || !rule) {
        if (timerTaken !== snap.id) await cancelTimer(tx, key);
        continue;
      }
      const since = snap.waitingSince ?? snap.createdAt;
      const plan = planWait({ since, priority: snap.priority, steps: rule.steps, stepsDone: snap.overflowSteps, agingSeconds: rule.agingSeconds, agingDone: snap.agingSteps }, now);
      // queues that overflow into each other would move a case round in circles: a few moves per look, then the timer
      if ((plan.steps.length > 0 || plan.aging > 0) && hops < MAX_MOVES) {
        const moved = await this.carryOut(tx, snap, rule, plan, byName, now, events);
        // moved to another queue: its own steps apply from there, in this same transaction
        if (moved) {
          const next = await this.work(tx, [snap.id], now, timerTaken, hops + 1);
          events.push(...next.events);
          if (next.wakeAt && (!wakeAt || next.wakeAt < wakeAt)) wakeAt = next.wakeAt;
          continue;
        }
      }
      if (plan.next) {
        await scheduleTimer(tx, { key, kind: WAIT_TIMER, dueAt: plan.next }, now);
        if (!wakeAt || plan.next < wakeAt) wakeAt = plan.next;
      } else if (timerTaken !== snap.id) {
        await cancelTimer(tx, key);
      }
    }
    return { events, wakeAt };
  }

  /** The due steps' actions on one case, and one timeline entry saying what and why. Returns whether the case moved to another queue. */
  private async carryOut(
    tx: Executor,
    snap: WaitSnapshot,
    rule: QueueRules,
    plan: ReturnType<typeof planWait>,
    byName: Map<string, { id: string; name: string }>,
    now: Date,
    events: GatewayEvent[],
  ): Promise<boolean> {
    const change: WaitChange = {};
    const changes = new Set<string>();
    const did: string[] = [];
    let priority = snap.priority;
    let widened = parseJsonArray(snap.widenedTo);
    let moved = false;
    const waited = Math.round((now.getTime() - (snap.waitingSince ?? snap.createdAt).getTime()) / 1000);
    for (const { step } of plan.steps) {
      for (const a of step.actions) {
        if (moved) break; // the rest of a step after a move is the other queue's business
        switch (a.type) {
          case 'relaxSkills':
            if (parseJsonArray(snap.requiredSkills).length > 0 && change.requiredSkills === undefined) {
              Object.assign(change, { requiredSkills: '[]', skillsRelaxed: true });
              changes.add('requiredSkills');
              did.push(`required skills ${parseJsonArray(snap.requiredSkills).join(', ')} dropped`);
            }
            break;
          case 'widen': {
            const add = a.queues.filter((q) => !widened.includes(q));
            if (add.length) {
              widened = [...widened, ...add];
              change.widenedTo = JSON.stringify(widened);
              changes.add('widenedTo');
              did.push(`agents of ${add.join(', ')} may take it`);
            }
            break;
          }
          case 'move': {
            const target = byName.get(a.queue.toLowerCase());
            if (!target) did.push(`not moved: no queue ${a.queue} any more`);
            else if (target.id !== snap.queueId) {
              Object.assign(change, { queueId: target.id, ...QUEUE_MOVE_RESET });
              changes.add('queue');
              if (snap.offeredToId) changes.add('offeredTo');
              did.push(`moved to ${target.name}`);
              moved = true;
            }
            break;
          }
          case 'priority':
            if (a.value < priority) {
              did.push(`priority raised from ${priority} to ${a.value}`);
              priority = a.value;
              change.priority = priority;
              changes.add('priority');
            }
            break;
          case 'alert':
            events.push({ type: 'assignment.alert', caseId: snap.id, reason: `waited ${waited} s in ${rule.name}` });
            did.push('consoles alerted');
            break;
        }
      }
      if (moved) break;
    }
    if (!moved) change.overflowSteps = snap.overflowSteps + plan.steps.length;
    if (plan.aging > 0 && !moved) {
      const to = Math.max(1, priority - plan.aging);
      if (to < priority) {
        did.push(`priority raised from ${priority} to ${to} by aging`);
        change.priority = to;
        changes.add('priority');
      }
      change.agingSteps = snap.agingSteps + plan.aging;
    }
    await applyWaitChange(tx, snap.id, change, now);
    const text = `waited ${waited} s in ${rule.name}${did.length ? `: ${did.join('; ')}` : ''}`;
    const entry = await addCaseEvent(tx, { caseId: snap.id, channel: snap.channel, agentId: null, text, now });
    events.push({ type: 'interaction.added', caseId: snap.id, interactionId: entry.id, direction: 'event', channel: snap.channel, kind: 'event', origin: ORIGIN });
    if (changes.size > 0) events.push({ type: 'case.updated', caseId: snap.id, changes: [...changes], actor: ORIGIN, origin: ORIGIN });
    return moved;
  }
}
