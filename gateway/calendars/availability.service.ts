import type { Db } from '../../store/db.ts';
import { calendarById, defaultCalendarId } from '../../store/calendar.repository.ts';
import { nextOpening } from '../../routing/business-calendar.ts';
import type { SlaPolicyService } from '../sla/sla-policy.service.ts';
import { compiledCalendar } from './calendar.service.ts';

export interface Availability {
  /** whether the team works now (on the default calendar) */
  open: boolean;
  /** closed: when it opens next; null when open or never within a year */
  opensAt: string | null;
  timeZone: string | null;
  /** the first-response promise of a usual case (priority 3) on this channel, ISO 8601; null when none applies */
  firstResponse: string | null;
  /** whether that promise counts business hours only */
  businessTime: boolean;
}

/**
 * What a customer may expect before writing: whether the team is in and, if not, when it is back, and how
 * soon a usual case on the channel is answered, from the default calendar and the SLA policies.
 */
export class AvailabilityService {
  constructor(private readonly deps: { db: Db; now: () => Date; sla: SlaPolicyService }) {}

  async of(channel: string): Promise<Availability> {
    const now = this.deps.now();
    const id = await defaultCalendarId(this.deps.db.read);
    const view = id ? await calendarById(this.deps.db.read, id) : null;
    const opening = view ? nextOpening(now, compiledCalendar(view)) : { open: true, at: now };
    const usual = await this.deps.sla.simulate({ priority: 3, channel, at: now });
    const target = usual.policy ? this.deps.sla.policies.find((p) => p.name === usual.policy) : undefined;
    return {
      open: opening?.open ?? false,
      opensAt: opening && !opening.open ? opening.at.toISOString() : null,
      timeZone: view?.timeZone ?? null,
      firstResponse: target?.targets.firstResponse ?? null,
      businessTime: target ? target.calendar !== null : false,
    };
  }
}
