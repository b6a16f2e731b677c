import { DateTime } from 'luxon';
import type { Db } from '../../store/db.ts';
import { calendarById, defaultCalendarId } from '../../store/calendar.repository.ts';
import type { CompiledCalendar } from '../../routing/business-calendar.ts';
import type { CalendarHoursRef } from '../../routing/rule.types.ts';
import { compiledCalendar } from '../calendars/calendar.service.ts';

/** A calendar edited meanwhile is read again after this long (routing is synchronous: it uses what was read). */
const FRESH_MS = 10_000;

interface Held {
  ref: string;
  name: string;
  timeZone: string;
  compiled: CompiledCalendar;
  readAt: number;
}

/**
 * The business calendar the routing rules' hours name (`{"calendar": id | "default"}`), held ready for the
 * synchronous routing decision: read when the rules are loaded or changed, and again in the background when
 * older than ten seconds.
 */
export class RoutingCalendar {
  private held: Held | null = null;
  private reading: Promise<void> | null = null;

  constructor(private readonly deps: { db: Db; now: () => Date }) {}

  /** The calendar for `ref` as last read; null when none is named, or it is not read yet or gone. */
  get(ref: CalendarHoursRef | null): { name: string; timeZone: string; compiled: CompiledCalendar } | null {
    if (!ref) return null;
    const held = this.held?.ref === ref.calendar ? this.held : null;
    if (!held || this.deps.now().getTime() - held.readAt > FRESH_MS) void this.load(ref);
    return held;
  }

  /** Reads the calendar `ref` names (nothing when null). */
  load(ref: CalendarHoursRef | null): Promise<void> {
    if (!ref) {
      this.held = null;
      return Promise.resolve();
    }
    this.reading ??= (async () => {
      try {
        const id = ref.calendar === 'default' ? await defaultCalendarId(this.deps.db.read) : ref.calendar;
        const view = id ? await calendarById(this.deps.db.read, id) : null;
        this.held = view ? { ref: ref.calendar, name: view.name, timeZone: view.timeZone, compiled: compiledCalendar(view), readAt: this.deps.now().getTime() } : null;
      } catch {
        // the store is away: the calendar read last stays in use, and the next message asks again
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

/** When the team is back, as a customer reads it: "Monday 8 June at 09:00 (Europe/Berlin)". */
export function backAtText(at: Date, timeZone: string): string {
  return `${DateTime.fromJSDate(at, { zone: timeZone }).setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm")} (${timeZone})`;
}
