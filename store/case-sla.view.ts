/** A case's SLA as stored on it (Case.sla, JSON), and as the case JSON shows it. */
import type { SlaClock, SlaTarget } from '../routing/sla-clocks.ts';

/** One clock as stored on the case. Running clocks keep no remaining time: it follows from `dueAt`. */
export interface StoredClock {
  state: SlaClock['state'];
  dueAt: string | null;
  warnAt: string | null;
  /** paused, met, or breached and answered: the clock's own time left (negative: late by) */
  remainingMs: number | null;
  metAt: string | null;
  startedAt: string;
}

/** A case's SLA as stored (Case.sla, JSON). */
export interface StoredSla {
  /** null: no policy applies now; kept for `done`, so a policy applying again does not tell the same moments twice */
  policyId: string | null;
  policy: string;
  calendarId: string | null;
  calendar: string | null;
  clocks: Record<SlaTarget, StoredClock | null>;
  /** the SLA moments escalated already (see routing/sla-escalation.ts) */
  done: string[];
  /** the case's updatedAt this was worked out from: a start finds the cases whose SLA missed a change */
  caseUpdatedAt: string;
  /** when the case's SLA timer is set for; null: none */
  timerAt: string | null;
}

/** The `sla` of a case's JSON (the API contract). */
export interface SlaTargetView {
  dueAt: string | null;
  state: SlaClock['state'];
  remainingSeconds: number;
  business: boolean;
}
export interface CaseSlaView {
  policy: string;
  calendar: string | null;
  firstResponse: SlaTargetView | null;
  nextResponse: SlaTargetView | null;
  resolution: SlaTargetView | null;
}

/** A stored SLA as the case JSON shows it at `now`: a running clock past its due time shows breached before its timer has fired. */
export function slaView(text: string | null, now: Date): CaseSlaView | null {
  if (!text) return null;
  let stored: StoredSla;
  try {
    stored = JSON.parse(text) as StoredSla;
  } catch {
    return null;
  }
  if (stored.policyId === null) return null;
  const view = (c: StoredClock | null): SlaTargetView | null => {
    if (!c) return null;
    const business = stored.calendarId !== null;
    if ((c.state === 'running' || (c.state === 'breached' && c.metAt === null)) && c.dueAt) {
      const left = Math.round((Date.parse(c.dueAt) - now.getTime()) / 1000);
      return { dueAt: c.dueAt, state: left <= 0 ? 'breached' : c.state, remainingSeconds: left, business };
    }
    return { dueAt: c.dueAt, state: c.state, remainingSeconds: Math.round((c.remainingMs ?? 0) / 1000), business };
  };
  return { policy: stored.policy, calendar: stored.calendar, firstResponse: view(stored.clocks.firstResponse), nextResponse: view(stored.clocks.nextResponse), resolution: view(stored.clocks.resolution) };
}

