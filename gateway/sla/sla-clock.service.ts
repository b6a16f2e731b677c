import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { appendStateChange, caseMessageTimes, caseSlaSnapshots, caseStateChanges, openCasesForSla, saveCaseSla, type CaseSlaSnapshot } from '../../store/sla.repository.ts';
import { calendarById, defaultCalendarId } from '../../store/calendar.repository.ts';
import { agentById, queueNamed, queueSupervisors } from '../../store/directory.repository.ts';
import { getCaseRow, HELD_RESET, QUEUE_MOVE_RESET, setCaseTags, toCaseView, updateCase } from '../../store/case.repository.ts';
import { noteTaken } from '../../store/assignment.repository.ts';
import { addCaseEvent, NOTICE_KIND } from '../../store/interaction.repository.ts';
import { enqueueNotice } from '../../store/outbound.repository.ts';
import { slaNoticeMail } from './sla-notice.ts';
import { cancelTimer, scheduleTimer, type TimerRow } from '../../store/timer.repository.ts';
import { CalendarNeverOpens, type CompiledCalendar } from '../../routing/business-calendar.ts';
import { compiledCalendar } from '../calendars/calendar.service.ts';
import { computeSlaClocks, SLA_TARGETS, type SlaClock, type SlaClocks, type SlaTarget } from '../../routing/sla-clocks.ts';
import { CASE_CALENDAR, selectPolicy, termsOf, type NotifyChannel, type SlaPolicy } from '../../routing/sla-policy.ts';
import { planEscalations, type DueEscalation } from '../../routing/sla-escalation.ts';
import { ACTIVE_STATES } from '../../routing/case-state.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import type { TimerHandler } from '../timers/timer.worker.ts';
import { CaseBatches, caseOfTimer } from '../case-batches.ts';
import type { StoredClock, StoredSla } from '../../store/case-sla.view.ts';

/** The timer kind of SLA moments; one timer per case, keyed `sla:<case id>`. */
export const SLA_TIMER = 'sla';


const TARGET_WORDS: Record<SlaTarget, string> = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };

export interface SlaClockDeps {
  db: Db;
  events: EventBus;
  now: () => Date;
  log: FastifyBaseLogger;
  policies: () => readonly SlaPolicy[];
  /** a timer was set for `at`: the timer worker looks then */
  wakeTimers: (at: Date) => void;
  /** the console's address, which email notices link to */
  consoleUrl: string;
  /** how long a change waits for others to share its pass (default 20 ms) */
  gatherMs?: number;
  /** told the time each pass took and how many cases it worked out (metrics and the bench) */
  onPass?: (cases: number, ms: number) => void;
}

/**
 * Keeps every case's SLA clocks: works them out again after each change that matters (a message, an
 * answer, a state, priority, queue or account change, a reopen), stores them on the case with the nearest
 * due time, and sets the case's timer for its next moment (a warning or a breach), where the escalations
 * run. Nothing scans the cases on a schedule: a pass runs for the cases an event named, and the timers
 * wake the rest.
 */
export class SlaClockService {
  private readonly batches: CaseBatches;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: SlaClockDeps) {
    this.batches = new CaseBatches({
      run: (ids) => this.pass(ids),
      gatherMs: deps.gatherMs,
      // until a pass succeeds the cases have no timer, so their moments would wait for their next change
      onFailure: (err, ids, retried) =>
        deps.log.error({ err, cases: ids.length, retried }, 'SLA clocks could not be worked out; tried again in a second, then at their next change or the next start'),
    });
  }

  /** Follows this instance's events (each event is local to one instance, so each change is worked out once). */
  start(): void {
    this.unsubscribe = this.deps.events.on((e, source) => {
      if (source !== 'local') return;
      // new policies apply to the open cases at once, not at each case's next change
      if (e.type === 'sla.changed' || e.type === 'calendar.changed') {
        void this.reworkOpenCases(true).catch((err: unknown) => this.deps.log.error({ err }, 'open cases could not be put under the changed SLA policies; their next change does it'));
        return;
      }
      if (e.caseId === null) return;
      // an escalation's own changes (a higher priority, another queue) may select another policy; its clock updates alone change nothing
      if (e.type === 'case.created' || (e.type === 'interaction.added' && e.origin !== 'sla-clock') || (e.type === 'case.updated' && (e.origin !== 'sla-clock' || e.changes.some((c) => c !== 'sla')))) {
        this.touch(e.caseId);
      }
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.batches.stop();
  }

  /** Works out the SLA of open cases changed while no instance kept their clocks (a crash between a change and its pass). */
  catchUp(): Promise<number> {
    return this.reworkOpenCases(false);
  }

  /** Works out the SLA of every open case (`all`), or of those whose stored SLA missed a change; returns how many. */
  private async reworkOpenCases(all: boolean): Promise<number> {
    let afterId = 0;
    let stale = 0;
    for (;;) {
      const rows = await openCasesForSla(this.deps.db.read, ACTIVE_STATES, afterId, 1_000);
      if (rows.length === 0) return stale;
      for (const r of rows) {
        let upToDate = false;
        try {
          upToDate = r.sla !== null && (JSON.parse(r.sla) as StoredSla).caseUpdatedAt === r.updatedAt.toISOString();
        } catch {
          upToDate = false;
        }
        if (all || (!upToDate && this.deps.policies().length > 0)) {
          stale++;
          this.touch(r.id);
        }
      }
      afterId = rows[rows.length - 1]!.id;
      await this.batches.settled();
    }
  }

  /** A case changed: its clocks are worked out in the next pass (one transaction for every case touched meanwhile). */
  touch(caseId: number): void {
    this.batches.touch(caseId);
  }

  /** Waits until every case touched so far is worked out. */
  settled(): Promise<void> {
    return this.batches.settled();
  }

  /** Works out the clocks of the cases named; throws when the transaction fails (the batches try again). */
  private async pass(ids: number[]): Promise<void> {
    const started = performance.now();
    try {
      const { events, wakeAt } = await this.deps.db.transaction((tx) => this.work(tx, ids, this.deps.now(), null));
      for (const e of events) this.deps.events.emit(e);
      if (wakeAt) this.deps.wakeTimers(wakeAt);
    } finally {
      this.deps.onPass?.(ids.length, performance.now() - started);
    }
  }

  /** The timer of a case's SLA moment fired: its clocks are worked out now and what is due escalates, in the timer's transaction. */
  readonly onTimer: TimerHandler = async (tx, timer: TimerRow, now) => {
    const id = caseOfTimer(timer.key, SLA_TIMER);
    if (id === null) return [];
    const { events, wakeAt } = await this.work(tx, [id], now, id);
    if (wakeAt) queueMicrotask(() => this.deps.wakeTimers(wakeAt));
    return events;
  };

  /**
   * Works out the clocks of `ids` at `now` in one transaction: records a state change the history lacks,
   * selects the policy, computes the clocks, escalates what is due, stores the SLA and sets the timer.
   * `timerTaken`: the case whose timer this transaction took (it is set again if a moment remains).
   */
  private async work(tx: Executor, ids: number[], now: Date, timerTaken: number | null): Promise<{ events: GatewayEvent[]; wakeAt: Date | null }> {
    // one after another: a transaction is one connection, which runs one statement at a time
    const snaps = await caseSlaSnapshots(tx, ids);
    const histories = await caseStateChanges(tx, ids);
    const messages = await caseMessageTimes(tx, ids);
    const calendars = new CalendarCache(tx);
    const events: GatewayEvent[] = [];
    let wakeAt: Date | null = null;
    for (const snap of snaps) {
      const states = histories.get(snap.id) ?? [];
      const last = states.at(-1);
      if ((last?.state ?? 'new') !== snap.state) {
        // the moment of the change is the case's last update (a pass follows each change at once)
        const at = last && last.at > snap.updatedAt ? last.at : snap.updatedAt;
        await appendStateChange(tx, snap.id, snap.state, at);
        states.push({ state: snap.state, at });
      }
      const stored = parseStored(snap.sla);
      const { policy } = selectPolicy(this.deps.policies(), factsOf(snap));
      const timerKey = `${SLA_TIMER}:${snap.id}`;
      if (!policy) {
        if (stored && (stored.policyId !== null || stored.caseUpdatedAt !== snap.updatedAt.toISOString())) {
          // the moments told stay on record: a policy that applies again must not tell them twice
          const none: StoredSla = {
            policyId: null, policy: '', calendarId: null, calendar: null, clocks: { firstResponse: null, nextResponse: null, resolution: null },
            done: stored.done, caseUpdatedAt: snap.updatedAt.toISOString(), timerAt: null,
          };
          await saveCaseSla(tx, snap.id, JSON.stringify(none), null);
          if (stored.timerAt) await cancelTimer(tx, timerKey);
          if (stored.policyId !== null) events.push({ type: 'case.updated', caseId: snap.id, changes: ['sla'], origin: 'sla-clock' });
        }
        continue;
      }
      const calendarId = policy.calendar === CASE_CALENDAR ? (snap.accountCalendarId ?? snap.queueCalendarId ?? (await calendars.defaultId())) : policy.calendar;
      const calendar = calendarId ? await calendars.get(calendarId) : null;
      let clocks: SlaClocks;
      try {
        clocks = computeSlaClocks(termsOf(policy), { openedAt: snap.createdAt, states, messages: messages.get(snap.id) ?? [] }, calendar?.compiled ?? null, now);
      } catch (err) {
        if (!(err instanceof CalendarNeverOpens)) throw err;
        this.deps.log.error({ caseId: snap.id, calendar: calendar?.name }, 'the SLA calendar never opens; the case has no SLA clocks until it does');
        continue;
      }
      const done = new Set(stored?.done ?? []);
      const plan = planEscalations(policy, clocks, done, now);
      for (const k of plan.undone) done.delete(k);
      let changed: string[] = [];
      for (const due of plan.due) {
        const outcome = await this.escalate(tx, snap, policy, due, now);
        changed = [...new Set([...changed, ...outcome.changes])];
        done.add(due.key);
        events.push(...outcome.events);
      }
      const next: StoredSla = {
        policyId: policy.id,
        policy: policy.name,
        calendarId: calendar ? calendarId : null,
        calendar: calendar?.name ?? null,
        clocks: Object.fromEntries(SLA_TARGETS.map((t) => [t, storedClock(clocks[t])])) as StoredSla['clocks'],
        // the moments of a target's current round are enough to remember; a target this policy does not set keeps its own
        done: [...done].filter((k) => SLA_TARGETS.some((t) => k.includes(`:${t}:`) && (!clocks[t] || k.endsWith(`:${t}:${clocks[t]!.startedAt.getTime()}`)))),
        caseUpdatedAt: snap.updatedAt.toISOString(),
        timerAt: plan.next?.toISOString() ?? null,
      };
      const text = JSON.stringify(next);
      if (text !== snap.sla) {
        await saveCaseSla(tx, snap.id, text, nearestDue(clocks));
        // what the case shows changed (not only the change it was worked out after): consoles and cards redraw
        if (!stored || JSON.stringify({ ...stored, caseUpdatedAt: null }) !== JSON.stringify({ ...next, caseUpdatedAt: null })) changed.push('sla');
      }
      if (plan.next && (next.timerAt !== stored?.timerAt || timerTaken === snap.id)) {
        await scheduleTimer(tx, { key: timerKey, kind: SLA_TIMER, dueAt: plan.next }, now);
        if (!wakeAt || plan.next < wakeAt) wakeAt = plan.next;
      } else if (!plan.next && stored?.timerAt) {
        await cancelTimer(tx, timerKey);
      }
      if (changed.length > 0) events.push({ type: 'case.updated', caseId: snap.id, changes: changed, origin: 'sla-clock' });
    }
    return { events, wakeAt };
  }

  /** Carries out one SLA moment's actions and writes it on the case's timeline with the reason. */
  private async escalate(tx: Executor, snap: CaseSlaSnapshot, policy: SlaPolicy, due: DueEscalation, now: Date): Promise<{ changes: string[]; events: GatewayEvent[] }> {
    const changes: string[] = [];
    const did: string[] = [];
    const notify: Array<{ channel: NotifyChannel; to?: string }> = [];
    const emailTo: string[] = [];
    for (const a of due.actions) {
      switch (a.type) {
        case 'priority':
          if (a.value < snap.priority) {
            await updateCase(tx, snap.id, { priority: a.value }, now);
            did.push(`priority raised from ${snap.priority} to ${a.value}`);
            snap.priority = a.value;
            changes.push('priority');
          }
          break;
        case 'tag':
          if (!snap.tags.includes(a.value)) {
            snap.tags = [...snap.tags, a.value];
            await setCaseTags(tx, snap.id, snap.tags, now);
            did.push(`tagged ${a.value}`);
            changes.push('tags');
          }
          break;
        case 'queue': {
          const queue = await queueNamed(tx, a.value);
          if (!queue) did.push(`not moved: no queue ${a.value} any more`);
          else if (queue.id !== snap.queueId) {
            await updateCase(tx, snap.id, { queueId: queue.id, ...QUEUE_MOVE_RESET }, now);
            did.push(`moved from ${snap.queueName ?? 'no queue'} to ${queue.name}`);
            snap.queueId = queue.id;
            snap.queueName = queue.name;
            changes.push('queue');
          }
          break;
        }
        case 'assign': {
          const to = a.value === 'supervisor' ? (await queueSupervisors(tx, snap.queueName ?? ''))[0]?.id : a.value;
          if (!to) did.push(`not assigned: the queue ${snap.queueName ?? ''} has no supervisor`);
          else if (to !== snap.assigneeId) {
            await updateCase(tx, snap.id, { assigneeId: to, assignedAt: now, ...HELD_RESET }, now);
            await noteTaken(tx, to, now);
            did.push(`assigned to ${(await agentById(tx, to))?.name ?? to}${a.value === 'supervisor' ? ' (supervisor)' : ''}`);
            snap.assigneeId = to;
            changes.push('assignee');
          }
          break;
        }
        case 'notify':
          notify.push(a.to ? { channel: a.channel, to: a.to } : { channel: a.channel });
          if (a.channel === 'email') emailTo.push(a.to!);
          else did.push(a.channel === 'slack' ? `Slack told${a.to ? ` (${a.to})` : ''}` : 'consoles alerted');
          break;
      }
    }
    const notices: GatewayEvent[] = [];
    if (emailTo.length > 0) {
      const row = await getCaseRow(tx, snap.id);
      if (row) {
        const assignee = row.assigneeId ? await agentById(tx, row.assigneeId) : undefined;
        const mail = slaNoticeMail({
          kase: toCaseView(row, now), assigneeName: assignee?.name ?? null, target: TARGET_WORDS[due.target], when: due.when, policy: policy.name,
          dueAt: due.at, did, consoleUrl: this.deps.consoleUrl,
        });
        for (const to of new Set(emailTo)) {
          const notice = await enqueueNotice(tx, { caseId: snap.id, to, ...mail, now });
          notices.push({ type: 'interaction.added', caseId: snap.id, interactionId: notice.id, direction: 'outbound', channel: 'email', kind: NOTICE_KIND, origin: 'sla-clock' });
        }
        did.push(`emailed ${[...new Set(emailTo)].join(', ')}`);
      }
    }
    const moment = due.when === 'warning' ? 'due soon' : 'breached';
    const text = `SLA ${TARGET_WORDS[due.target]} ${moment} (policy ${policy.name}, due ${due.at.toISOString()})${did.length ? `: ${did.join('; ')}` : ''}`;
    const entry = await addCaseEvent(tx, { caseId: snap.id, channel: snap.channel, agentId: null, text, now });
    const events: GatewayEvent[] = [
      { type: 'interaction.added', caseId: snap.id, interactionId: entry.id, direction: 'event', channel: entry.channel, kind: 'event', origin: 'sla-clock' },
      ...notices,
      { type: 'sla.alert', caseId: snap.id, when: due.when, target: due.target, policy: policy.name, dueAt: due.at.toISOString(), notify },
    ];
    return { changes, events };
  }
}

function factsOf(s: CaseSlaSnapshot) {
  return { priority: s.priority, channel: s.channel, queue: s.queueName ?? '', category: s.category, tags: s.tags, tier: s.tier, vip: s.vip };
}

function parseStored(text: string | null): StoredSla | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as StoredSla;
  } catch {
    return null;
  }
}

function storedClock(c: SlaClock | null): StoredClock | null {
  if (!c) return null;
  const followsDue = c.state === 'running' || (c.state === 'breached' && c.metAt === null);
  return {
    state: c.state,
    dueAt: c.dueAt?.toISOString() ?? null,
    warnAt: c.warnAt?.toISOString() ?? null,
    remainingMs: followsDue ? null : c.remainingMs,
    metAt: c.metAt?.toISOString() ?? null,
    startedAt: c.startedAt.toISOString(),
  };
}

/** The nearest due time of a promise still to keep (running, or broken and still unanswered): the "due" order of the case list, overdue first. */
function nearestDue(clocks: SlaClocks): Date | null {
  let nearest: Date | null = null;
  for (const t of SLA_TARGETS) {
    const c = clocks[t];
    const open = c?.state === 'running' || (c?.state === 'breached' && c.metAt === null);
    if (open && c.dueAt && (!nearest || c.dueAt < nearest)) nearest = c.dueAt;
  }
  return nearest;
}

/** Calendars read and compiled once per pass (a calendar changes rarely; a pass is one transaction). */
class CalendarCache {
  private readonly byId = new Map<string, { name: string; compiled: CompiledCalendar } | null>();
  private defaultCalendar: string | null | undefined;

  constructor(private readonly x: Executor) {}

  async defaultId(): Promise<string | null> {
    if (this.defaultCalendar === undefined) this.defaultCalendar = await defaultCalendarId(this.x);
    return this.defaultCalendar;
  }

  async get(id: string): Promise<{ name: string; compiled: CompiledCalendar } | null> {
    if (!this.byId.has(id)) {
      const view = await calendarById(this.x, id);
      this.byId.set(id, view ? { name: view.name, compiled: compiledCalendar(view) } : null);
    }
    return this.byId.get(id)!;
  }
}
