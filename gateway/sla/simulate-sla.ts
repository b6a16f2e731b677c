import type { Executor } from '../../store/executor.ts';
import { calendarById, defaultCalendarId, queueCalendarId } from '../../store/calendar.repository.ts';
import { CalendarNeverOpens } from '../../routing/business-calendar.ts';
import { computeSlaClocks, SLA_TARGETS, type SlaTarget } from '../../routing/sla-clocks.ts';
import { CASE_CALENDAR, selectPolicy, termsOf, type SlaPolicy } from '../../routing/sla-policy.ts';
import { compiledCalendar } from '../calendars/calendar.service.ts';
import { GatewayError } from '../errors.ts';

export interface SlaSimulationRequest {
  priority: number;
  channel: string;
  queue?: string;
  category?: string | null;
  tags?: string[];
  tier?: string;
  vip?: boolean;
  accountCalendar?: string | null;
  /** when the case opens */
  at: Date;
}

type DueTimes = { dueAt: string; warnAt: string | null } | null;

/**
 * Which policy a case with these facts would fall under and when each promise would fall due if nobody
 * answered: "a priority-1 email arriving Friday 16:30 would be due Monday 09:15". Writes nothing.
 */
export async function simulateSla(x: Executor, policies: readonly SlaPolicy[], req: SlaSimulationRequest) {
  const queue = req.queue ?? 'General';
  const { policy, trace } = selectPolicy(policies, {
    priority: req.priority,
    channel: req.channel,
    queue,
    category: req.category ?? null,
    tags: req.tags ?? [],
    tier: req.tier ?? 'standard',
    vip: req.vip ?? false,
  });
  const none: Record<SlaTarget, DueTimes> = { firstResponse: null, nextResponse: null, resolution: null };
  if (!policy) return { policy: null, trace, calendar: null, ...none };
  const calendarId = policy.calendar === CASE_CALENDAR ? (req.accountCalendar ?? (await queueCalendarId(x, queue)) ?? (await defaultCalendarId(x))) : policy.calendar;
  const view = calendarId ? await calendarById(x, calendarId) : null;
  if (calendarId && !view) throw new GatewayError('CALENDAR_NOT_FOUND', `no calendar ${calendarId}`);
  let clocks;
  try {
    // a case that opened at `at` and was never answered, seen at `at`; a next-response promise is timed as if the customer wrote then
    const terms = termsOf(policy);
    clocks = computeSlaClocks(terms, { openedAt: req.at, states: [], messages: [] }, view ? compiledCalendar(view) : null, req.at);
    if (terms.targets.nextResponse !== undefined) {
      const waiting = computeSlaClocks(terms, { openedAt: req.at, states: [], messages: [{ at: req.at, from: 'agent' }, { at: req.at, from: 'customer' }] }, view ? compiledCalendar(view) : null, req.at);
      clocks.nextResponse = waiting.nextResponse;
    }
  } catch (err) {
    if (err instanceof CalendarNeverOpens) throw new GatewayError('INVALID_CALENDAR', err.message);
    throw err;
  }
  const times = { ...none };
  for (const t of SLA_TARGETS) {
    const c = clocks[t];
    if (c?.dueAt) times[t] = { dueAt: c.dueAt.toISOString(), warnAt: c.warnAt?.toISOString() ?? null };
  }
  return { policy: policy.name, trace, calendar: view?.name ?? null, ...times };
}
