import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../../routing/business-calendar.ts';
import { computeSlaClocks, type CaseHistory, type SlaTerms } from '../../../routing/sla-clocks.ts';

const MIN = 60_000;
const t0 = new Date('2026-06-09T10:00:00Z'); // a Tuesday
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
const terms = (targets: SlaTerms['targets'], more: Partial<SlaTerms> = {}): SlaTerms => ({ targets, pauseStates: ['awaiting_customer'], warnBefore: null, ...more });
const history = (states: Array<[number, string]>, messages: Array<[number, 'customer' | 'agent']> = [[0, 'customer']]): CaseHistory => ({
  openedAt: t0,
  states: states.map(([m, state]) => ({ at: at(m), state })),
  messages: messages.map(([m, from]) => ({ at: at(m), from })),
});

describe('first response', () => {
  it('runs from the opening, warns before it is due, and is breached once the target has passed', () => {
    const h = history([[0, 'new']]);
    const running = computeSlaClocks(terms({ firstResponse: 60 * MIN }, { warnBefore: { fraction: 0.25 } }), h, null, at(30)).firstResponse!;
    expect(running).toMatchObject({ state: 'running', dueAt: at(60), warnAt: at(45), remainingMs: 30 * MIN, metAt: null });
    const late = computeSlaClocks(terms({ firstResponse: 60 * MIN }), h, null, at(61)).firstResponse!;
    expect(late).toMatchObject({ state: 'breached', dueAt: at(60), warnAt: null, remainingMs: -1 * MIN, metAt: null });
  });

  it('is met by the first answer, or breached when the answer came late', () => {
    const met = computeSlaClocks(terms({ firstResponse: 60 * MIN }), history([[0, 'new'], [20, 'awaiting_customer']], [[0, 'customer'], [20, 'agent']]), null, at(500)).firstResponse!;
    expect(met).toMatchObject({ state: 'met', dueAt: at(60), warnAt: null, remainingMs: 40 * MIN, metAt: at(20) });
    const lateAnswer = computeSlaClocks(terms({ firstResponse: 60 * MIN }), history([[0, 'new'], [90, 'awaiting_customer']], [[0, 'customer'], [90, 'agent']]), null, at(500)).firstResponse!;
    expect(lateAnswer).toMatchObject({ state: 'breached', remainingMs: -30 * MIN, metAt: at(90) });
  });

  it('runs in business time only: a case opened late on Friday is due on Monday', () => {
    const berlin = compileCalendar({ timeZone: 'Europe/Berlin', windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day: day as 'mon', from: '09:00', to: '17:00' })), holidays: [] });
    // Fri 2026-06-12 16:30 CEST
    const opened = new Date('2026-06-12T14:30:00Z');
    const h: CaseHistory = { openedAt: opened, states: [{ at: opened, state: 'new' }], messages: [{ at: opened, from: 'customer' }] };
    const saturday = computeSlaClocks(terms({ firstResponse: 60 * MIN }), h, berlin, new Date('2026-06-13T10:00:00Z')).firstResponse!;
    expect(saturday).toMatchObject({ state: 'running', remainingMs: 30 * MIN, dueAt: new Date('2026-06-15T07:30:00Z') });
    const monday = computeSlaClocks(terms({ firstResponse: 60 * MIN }), h, berlin, new Date('2026-06-15T08:00:00Z')).firstResponse!;
    expect(monday).toMatchObject({ state: 'breached', dueAt: new Date('2026-06-15T07:30:00Z'), remainingMs: -30 * MIN });
  });

  it('stops, unbroken, when the case is resolved without an answer', () => {
    const clock = computeSlaClocks(terms({ firstResponse: 60 * MIN }), history([[0, 'new'], [10, 'resolved']]), null, at(600)).firstResponse!;
    expect(clock).toMatchObject({ state: 'paused', dueAt: null, remainingMs: 50 * MIN });
  });
});

describe('pauses', () => {
  it('waiting for the customer stops the clock and a reply starts it again', () => {
    const h = history([[0, 'new'], [10, 'awaiting_customer'], [70, 'open']]);
    const clock = computeSlaClocks(terms({ resolution: 120 * MIN }), h, null, at(100)).resolution!;
    // 10 minutes before the pause, 30 after it
    expect(clock).toMatchObject({ state: 'running', dueAt: at(180), warnAt: null, remainingMs: 80 * MIN, metAt: null });
    const paused = computeSlaClocks(terms({ resolution: 120 * MIN }), history([[0, 'new'], [10, 'awaiting_customer']]), null, at(100)).resolution!;
    expect(paused).toMatchObject({ state: 'paused', dueAt: null, warnAt: null, remainingMs: 110 * MIN, metAt: null });
  });

  it('a breach in the past is dated by the active time, pauses left out', () => {
    const h = history([[0, 'new'], [10, 'awaiting_customer'], [70, 'open']]);
    const clock = computeSlaClocks(terms({ resolution: 30 * MIN }), h, null, at(200)).resolution!;
    expect(clock).toMatchObject({ state: 'breached', dueAt: at(90) });
  });
});

describe('resolution', () => {
  it('is met when the case is resolved, and runs on after a reopen without the time spent resolved', () => {
    const resolved = computeSlaClocks(terms({ resolution: 120 * MIN }), history([[0, 'new'], [50, 'resolved']]), null, at(300)).resolution!;
    expect(resolved).toMatchObject({ state: 'met', metAt: at(50), remainingMs: 70 * MIN });
    const reopened = computeSlaClocks(terms({ resolution: 120 * MIN }), history([[0, 'new'], [50, 'resolved'], [200, 'open']]), null, at(230)).resolution!;
    expect(reopened).toMatchObject({ state: 'running', dueAt: at(270), warnAt: null, remainingMs: 40 * MIN, metAt: null });
  });
});

describe('next response', () => {
  const policy = terms({ nextResponse: 30 * MIN }, { warnBefore: { ms: 10 * MIN } });

  it('has no clock before the first answer', () => {
    expect(computeSlaClocks(policy, history([[0, 'new']]), null, at(100)).nextResponse).toBeNull();
  });

  it('times each wait from the customer’s first unanswered message to the next answer', () => {
    const answered = history(
      [[0, 'new']],
      [[0, 'customer'], [5, 'agent'], [30, 'customer'], [35, 'customer'], [50, 'agent']],
    );
    expect(computeSlaClocks(policy, answered, null, at(55)).nextResponse).toMatchObject({ state: 'met', metAt: at(50), remainingMs: 10 * MIN, startedAt: at(30) });
    const waiting = history([[0, 'new']], [[0, 'customer'], [5, 'agent'], [30, 'customer'], [50, 'agent'], [60, 'customer']]);
    expect(computeSlaClocks(policy, waiting, null, at(75)).nextResponse).toMatchObject({ state: 'running', dueAt: at(90), warnAt: at(80), remainingMs: 15 * MIN, metAt: null, startedAt: at(60) });
    expect(computeSlaClocks(policy, waiting, null, at(100)).nextResponse).toMatchObject({ state: 'breached', dueAt: at(90), remainingMs: -10 * MIN });
  });

  it('policies without a target have no clock for it', () => {
    expect(computeSlaClocks(terms({}), history([[0, 'new']]), null, at(10))).toEqual({ firstResponse: null, nextResponse: null, resolution: null });
  });
});
