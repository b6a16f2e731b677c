/**
 * SLA clocks of one case, computed from what happened to it: pure, so a clock can be worked out again at
 * any moment from the case's history (after a restart, a policy change, a reopen) and gives the same
 * answer. Time counts only while the case is not paused (its state is one of the policy's pause states)
 * and, with a calendar, only in business hours.
 */
import { addBusinessTime, businessTimeBetween, type CompiledCalendar } from './business-calendar.ts';

export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export interface SlaTerms {
  /** milliseconds of (business) time allowed per target; absent: no such promise */
  targets: Partial<Record<SlaTarget, number>>;
  /** states in which the clocks stand still, e.g. awaiting_customer */
  pauseStates: readonly string[];
  /** how long before the due time the warning comes: a fixed time, or a fraction of the target */
  warnBefore: { ms: number } | { fraction: number } | null;
}

export interface CaseHistory {
  openedAt: Date;
  /** the case's state from `openedAt` on, each change with its time, oldest first */
  states: ReadonlyArray<{ at: Date; state: string }>;
  /** messages that count: a customer's message and an agent's answer to the customer, oldest first */
  messages: ReadonlyArray<{ at: Date; from: 'customer' | 'agent' }>;
}

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

export interface SlaClock {
  state: ClockState;
  /** when the promise falls due: for a running clock as things stand now; null while paused */
  dueAt: Date | null;
  /** when the warning falls due (running clocks only) */
  warnAt: Date | null;
  /** time left (negative once breached), in milliseconds of the clock's own time */
  remainingMs: number;
  /** when it was met (met, or breached and met late) */
  metAt: Date | null;
  /** when this round of the promise began (the case opened; for the next response, the customer's message): names the round its escalations belong to */
  startedAt: Date;
}

export type SlaClocks = Record<SlaTarget, SlaClock | null>;

const STOPPED_STATES = ['resolved', 'closed'];

/** The clocks of a case under these terms at `now`; `calendar` null counts calendar time. */
export function computeSlaClocks(terms: SlaTerms, history: CaseHistory, calendar: CompiledCalendar | null, now: Date): SlaClocks {
  // a resolved or closed case stops every clock: none of its promises runs on while nobody is expected to act
  const pauseStates = [...terms.pauseStates, ...STOPPED_STATES];
  const active = activeSpans(history, pauseStates, now);
  const pausedNow = pauseStates.includes(history.states.at(-1)?.state ?? '');
  const measure = (from: Date, to: Date) => sumActive(active, from, to, calendar);
  const clocks: SlaClocks = { firstResponse: null, nextResponse: null, resolution: null };

  const first = terms.targets.firstResponse;
  if (first !== undefined) {
    const answer = history.messages.find((m) => m.from === 'agent' && m.at >= history.openedAt);
    clocks.firstResponse = clock(first, history.openedAt, answer?.at ?? null);
  }

  const next = terms.targets.nextResponse;
  if (next !== undefined) {
    // the customer's first message after the agents' latest answer starts the wait; a first answer must exist
    const firstAnswer = history.messages.findIndex((m) => m.from === 'agent');
    if (firstAnswer !== -1) {
      let waitingSince: Date | null = null;
      let answeredAt: Date | null = null;
      let lastWait: { since: Date; answered: Date | null } | null = null;
      for (const m of history.messages.slice(firstAnswer + 1)) {
        if (m.from === 'customer') {
          waitingSince ??= m.at;
          answeredAt = null;
        } else if (waitingSince) {
          answeredAt = m.at;
          lastWait = { since: waitingSince, answered: answeredAt };
          waitingSince = null;
        }
      }
      if (waitingSince) clocks.nextResponse = clock(next, waitingSince, null);
      else if (lastWait) clocks.nextResponse = clock(next, lastWait.since, lastWait.answered);
    }
  }

  const resolution = terms.targets.resolution;
  if (resolution !== undefined) {
    // resolved is where the clock stops; a reopen resumes it without the time spent resolved
    const resolvedAt = lastEntryInto(history, STOPPED_STATES);
    clocks.resolution = clock(resolution, history.openedAt, resolvedAt);
  }
  return clocks;

  function clock(target: number, start: Date, metAt: Date | null): SlaClock {
    const until = metAt ?? now;
    const elapsed = measure(start, until);
    const remainingMs = target - elapsed;
    if (metAt) {
      return { state: remainingMs >= 0 ? 'met' : 'breached', dueAt: remainingMs >= 0 ? projectDue(metAt, remainingMs) : dueInPast(start, target), warnAt: null, remainingMs, metAt, startedAt: start };
    }
    if (remainingMs <= 0) return { state: 'breached', dueAt: dueInPast(start, target), warnAt: null, remainingMs, metAt: null, startedAt: start };
    if (pausedNow) return { state: 'paused', dueAt: null, warnAt: null, remainingMs, metAt: null, startedAt: start };
    const warnMs = warningLead(terms.warnBefore, target);
    const dueAt = addTime(now, remainingMs);
    // a warning already past (the lead is longer than what is left) is due now: the timer still gives it once
    const warnAt = warnMs > 0 ? (remainingMs > warnMs ? addTime(now, remainingMs - warnMs) : now) : null;
    return { state: 'running', dueAt, warnAt, remainingMs, metAt: null, startedAt: start };
  }

  /** The due time a met clock had: `remaining` after the moment it was met (before it, when late). */
  function projectDue(metAt: Date, remainingMs: number): Date | null {
    return remainingMs >= 0 ? addTime(metAt, remainingMs) : null;
  }

  /** When a breached clock ran out: the moment `target` of active time had passed since `start`. */
  function dueInPast(start: Date, target: number): Date {
    let left = target;
    for (const [s, e] of active) {
      if (e.getTime() <= start.getTime()) continue;
      const from = s < start ? start : s;
      const span = measureSpan(from, e);
      if (span >= left) return addTime(from, left);
      left -= span;
    }
    return now;
  }

  function measureSpan(from: Date, to: Date): number {
    return calendar ? businessTimeBetween(from, to, calendar) : to.getTime() - from.getTime();
  }

  function addTime(from: Date, ms: number): Date {
    return calendar ? addBusinessTime(from, ms, calendar) : new Date(from.getTime() + ms);
  }
}

function warningLead(warn: SlaTerms['warnBefore'], target: number): number {
  if (!warn) return 0;
  return 'ms' in warn ? warn.ms : Math.round(target * warn.fraction);
}

/** The moment the case last entered one of `states` (its latest run of them). */
function lastEntryInto(history: CaseHistory, states: readonly string[]): Date | null {
  let entered: Date | null = null;
  let inside = false;
  for (const s of history.states) {
    const now = states.includes(s.state);
    if (now && !inside) entered = s.at;
    inside = now;
  }
  return inside ? entered : null;
}

/** The spans of [openedAt, now] in which the case was not paused, oldest first. */
function activeSpans(history: CaseHistory, pauseStates: readonly string[], now: Date): Array<[Date, Date]> {
  const spans: Array<[Date, Date]> = [];
  let since: Date | null = history.openedAt;
  for (const s of history.states) {
    if (s.at < history.openedAt) continue;
    const paused = pauseStates.includes(s.state);
    if (paused && since) {
      if (s.at > since) spans.push([since, s.at]);
      since = null;
    } else if (!paused && !since) since = s.at;
  }
  if (since && now > since) spans.push([since, now]);
  return spans;
}

/** Active time in [from, to): in business hours when there is a calendar. */
function sumActive(spans: ReadonlyArray<[Date, Date]>, from: Date, to: Date, calendar: CompiledCalendar | null): number {
  let total = 0;
  for (const [s, e] of spans) {
    const a = s < from ? from : s;
    const b = e > to ? to : e;
    if (b <= a) continue;
    total += calendar ? businessTimeBetween(a, b, calendar) : b.getTime() - a.getTime();
  }
  return total;
}
