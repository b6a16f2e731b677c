/**
 * Which SLA escalations are due for a case, and when the next one comes: pure. A moment (a target's warning
 * or breach, in one round of that target) is named by a key; keys already done are never due again, so
 * every moment escalates once however often the clocks are worked out.
 */
import { SLA_TARGETS, type SlaClocks, type SlaTarget } from './sla-clocks.ts';
import type { EscalationAction, SlaPolicy } from './sla-policy.ts';

export type SlaMoment = 'warning' | 'breach';

export interface DueEscalation {
  key: string;
  when: SlaMoment;
  target: SlaTarget;
  /** the moment it was due */
  at: Date;
  /** every action of the policy's escalations for this moment and target, in order */
  actions: EscalationAction[];
}

/** A round of a target is named by when it began: a new customer message starts a new next-response round. */
export function momentKey(when: SlaMoment, target: SlaTarget, startedAt: Date): string {
  return `${when}:${target}:${startedAt.getTime()}`;
}

/**
 * `undone`: moments escalated before that lie in the future again (a lowered priority chose a policy with a
 * longer target, an admin lengthened one): the promise runs again, so its warning and breach will be told
 * again when they come; the caller forgets those keys.
 */
export function planEscalations(
  policy: SlaPolicy,
  clocks: SlaClocks,
  done: ReadonlySet<string>,
  now: Date,
): { due: DueEscalation[]; next: Date | null; undone: string[] } {
  const due: DueEscalation[] = [];
  const undone: string[] = [];
  let next: Date | null = null;
  for (const target of SLA_TARGETS) {
    const clock = clocks[target];
    if (!clock) continue;
    const moments: Array<{ when: SlaMoment; at: Date }> = [];
    if (clock.state === 'running') {
      if (clock.warnAt) moments.push({ when: 'warning', at: clock.warnAt });
      if (clock.dueAt) moments.push({ when: 'breach', at: clock.dueAt });
    } else if (clock.state === 'breached' && clock.metAt === null && clock.dueAt) {
      // broken and still unanswered; a warning never given is moot now
      moments.push({ when: 'breach', at: clock.dueAt });
    }
    for (const m of moments) {
      const key = momentKey(m.when, target, clock.startedAt);
      const past = m.at.getTime() <= now.getTime();
      if (done.has(key)) {
        if (past || clock.state !== 'running') continue;
        undone.push(key);
      }
      if (past) {
        const actions = policy.escalations.filter((e) => e.when === m.when && (e.target === target || e.target === 'any')).flatMap((e) => e.actions);
        due.push({ key, when: m.when, target, at: m.at, actions });
      } else if (!next || m.at < next) {
        next = m.at;
      }
    }
  }
  return { due, next, undone };
}
