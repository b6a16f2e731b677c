import { describe, expect, it } from 'vitest';
import { momentKey, planEscalations } from '../../../routing/sla-escalation.ts';
import type { SlaClock, SlaClocks } from '../../../routing/sla-clocks.ts';
import type { SlaPolicy } from '../../../routing/sla-policy.ts';

const at = (min: number) => new Date(Date.UTC(2026, 5, 9, 10, min));
const policy: SlaPolicy = {
  id: 'p',
  name: 'P',
  match: {},
  calendar: null,
  targets: { firstResponse: 'PT60M' },
  warnBefore: 'PT15M',
  pauseStates: [],
  escalations: [
    { when: 'warning', target: 'firstResponse', actions: [{ type: 'notify', channel: 'console' }] },
    { when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] },
    { when: 'breach', target: 'firstResponse', actions: [{ type: 'priority', value: 1 }] },
  ],
};
const running: SlaClock = { state: 'running', dueAt: at(60), warnAt: at(45), remainingMs: 0, metAt: null, startedAt: at(0) };
const clocks = (first: SlaClock | null): SlaClocks => ({ firstResponse: first, nextResponse: null, resolution: null });

describe('planEscalations', () => {
  it('nothing is due before the warning; the next moment is the warning', () => {
    expect(planEscalations(policy, clocks(running), new Set(), at(30))).toEqual({ due: [], next: at(45), undone: [] });
  });

  it('the warning is due once; after it the next moment is the breach', () => {
    const plan = planEscalations(policy, clocks(running), new Set(), at(45));
    expect(plan.due).toEqual([{ key: momentKey('warning', 'firstResponse', at(0)), when: 'warning', target: 'firstResponse', at: at(45), actions: [{ type: 'notify', channel: 'console' }] }]);
    expect(plan.next).toEqual(at(60));
    expect(planEscalations(policy, clocks(running), new Set([plan.due[0]!.key]), at(50))).toEqual({ due: [], next: at(60), undone: [] });
  });

  it('a breach gathers the actions of every escalation for it, in order, and is never due twice', () => {
    const breached: SlaClock = { ...running, state: 'breached', warnAt: null };
    const plan = planEscalations(policy, clocks(breached), new Set(), at(61));
    expect(plan.due.map((d) => [d.when, d.actions])).toEqual([['breach', [{ type: 'tag', value: 'late' }, { type: 'priority', value: 1 }]]]);
    expect(planEscalations(policy, clocks(breached), new Set([plan.due[0]!.key]), at(90))).toEqual({ due: [], next: null, undone: [] });
  });

  it('met, paused and late-but-answered clocks escalate nothing', () => {
    for (const c of [
      { ...running, state: 'met' as const, warnAt: null, metAt: at(20) },
      { ...running, state: 'paused' as const, dueAt: null, warnAt: null },
      { ...running, state: 'breached' as const, warnAt: null, metAt: at(70) },
    ]) {
      expect(planEscalations(policy, clocks(c), new Set(), at(80))).toEqual({ due: [], next: null, undone: [] });
    }
  });

  it('a new round (a new customer message) has moments of its own', () => {
    const first = planEscalations(policy, clocks({ ...running, state: 'breached', warnAt: null }), new Set(), at(61)).due[0]!.key;
    const nextRound: SlaClock = { ...running, startedAt: at(100), dueAt: at(160), warnAt: at(145) };
    expect(planEscalations(policy, clocks({ ...nextRound, state: 'breached', warnAt: null }), new Set([first]), at(161)).due).toHaveLength(1);
  });
});

describe('a promise that runs again', () => {
  it('moments told before that lie ahead again are undone and come again', () => {
    const told = new Set([momentKey('warning', 'firstResponse', at(0)), momentKey('breach', 'firstResponse', at(0))]);
    // a longer target now: due at 90, warned at 75
    const later: SlaClock = { ...running, dueAt: at(90), warnAt: at(75) };
    expect(planEscalations(policy, clocks(later), told, at(70))).toEqual({ due: [], next: at(75), undone: [...told] });
  });

  it('a breach still broken is not undone nor told again', () => {
    const told = new Set([momentKey('breach', 'firstResponse', at(0))]);
    const broken: SlaClock = { ...running, state: 'breached' };
    expect(planEscalations(policy, clocks(broken), told, at(70))).toEqual({ due: [], next: null, undone: [] });
  });
});
