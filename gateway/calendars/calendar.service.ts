import { DateTime } from 'luxon';
import { durationMs } from '../../routing/sla-policy.ts';
import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { latestSlaPolicies } from '../../store/sla.repository.ts';
import type { SlaPolicy } from '../../routing/sla-policy.ts';
import { calendarById, calendarUsers, deleteCalendar, insertCalendar, listCalendars, updateCalendar, type CalendarView } from '../../store/calendar.repository.ts';
import { insertAudit } from '../../store/audit.repository.ts';
import { addBusinessTime, CalendarNeverOpens, compileCalendar, nextOpening, type BusinessCalendar, type CompiledCalendar, type Holiday } from '../../routing/business-calendar.ts';
import { actorName, type Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { icsToHolidays } from './ical-holidays.ts';

export type CalendarInput = BusinessCalendar & { name: string };

/** A duration as ISO 8601 (`PT4H`, `PT30S`, `P2D`), in milliseconds; months and years have no fixed length and are refused. */
export function parseDuration(text: string): number {
  const ms = durationMs(text);
  if (ms === null) throw new GatewayError('BAD_REQUEST', `"${text}" is not an ISO 8601 duration of days, hours, minutes or seconds (e.g. PT4H, PT30M, P1DT2H)`);
  return ms;
}

/**
 * Business calendars: when each team works. Changes are validated as a whole (zone, times, dates),
 * audited, and compiled once per version for the arithmetic (`compiled`).
 */
export class CalendarService {
  constructor(private readonly deps: { db: Db; now: () => Date; events: EventBus }) {}

  list(): Promise<CalendarView[]> {
    return listCalendars(this.deps.db.read);
  }

  async get(id: string): Promise<CalendarView> {
    const found = await calendarById(this.deps.db.read, id);
    if (!found) throw new GatewayError('CALENDAR_NOT_FOUND', `no calendar ${id}`);
    return found;
  }

  async create(actor: Actor, input: CalendarInput): Promise<CalendarView> {
    const now = this.deps.now();
    const calendar = checked(input);
    const id = await this.named(input.name, () =>
      this.deps.db.transaction(async (tx) => {
        const created = await insertCalendar(tx, calendar, now);
        await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'calendar.created', target: `calendar:${created}`, after: calendar }, now);
        return created;
      }),
    );
    return this.get(id);
  }

  async update(actor: Actor, id: string, patch: Partial<CalendarInput>): Promise<CalendarView> {
    const now = this.deps.now();
    await this.named(patch.name ?? '', () =>
      this.deps.db.transaction(async (tx) => {
        const before = await calendarById(tx, id);
        if (!before) throw new GatewayError('CALENDAR_NOT_FOUND', `no calendar ${id}`);
        const calendar = checked({ name: before.name, timeZone: before.timeZone, windows: before.windows, holidays: before.holidays, ...patch });
        await updateCalendar(tx, id, calendar, now);
        await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'calendar.updated', target: `calendar:${id}`, before, after: patch }, now);
      }),
    );
    // due times on it moved: open cases are worked out again at once, not at their next change
    this.deps.events.emit({ type: 'calendar.changed', caseId: null, calendarId: id });
    return this.get(id);
  }

  /** Adds the holidays of an iCalendar file (over the past year and the next three), or replaces them all. */
  async importHolidays(actor: Actor, id: string, ics: string, replace: boolean): Promise<{ calendar: CalendarView; imported: number }> {
    const today = DateTime.fromJSDate(this.deps.now(), { zone: 'utc' });
    let found: Holiday[];
    try {
      found = icsToHolidays(ics, { from: today.minus({ years: 1 }).toISODate()!, to: today.plus({ years: 3 }).toISODate()! });
    } catch (err) {
      throw new GatewayError('INVALID_CALENDAR', (err as Error).message);
    }
    const before = await this.get(id);
    const key = (h: Holiday) => `${h.date}/${h.to ?? ''}`;
    const kept = replace ? [] : before.holidays;
    const known = new Set(kept.map(key));
    const holidays = [...kept, ...found.filter((h) => !known.has(key(h)))].sort((a, b) => a.date.localeCompare(b.date));
    if (holidays.length > MAX_HOLIDAYS) throw new GatewayError('INVALID_CALENDAR', `a calendar holds at most ${MAX_HOLIDAYS} holidays; this would make ${holidays.length}`);
    const calendar = await this.update(actor, id, { holidays });
    return { calendar, imported: found.length };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const before = await calendarById(tx, id);
      if (!before) throw new GatewayError('CALENDAR_NOT_FOUND', `no calendar ${id}`);
      const users = await calendarUsers(tx, id);
      // a policy's clocks would fall back to calendar time, nights and weekends included
      const latest = await latestSlaPolicies(tx);
      const policies = latest ? (JSON.parse(latest.policies) as SlaPolicy[]).filter((p) => p.calendar === id).map((p) => `SLA policy ${p.name}`) : [];
      const names = [...users.queues.map((q) => `queue ${q}`), ...users.accounts.map((a) => `account ${a}`), ...policies];
      if (names.length) throw new GatewayError('CONFLICT', `the calendar is in use by ${names.slice(0, 5).join(', ')}${names.length > 5 ? '…' : ''}`);
      await deleteCalendar(tx, id);
      await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'calendar.deleted', target: `calendar:${id}`, before }, now);
    });
  }

  /** When `duration` of business time after `from` ends, and whether (and when) the team is open at `from`. */
  async due(id: string, from: Date, duration: string): Promise<{ dueAt: string; openAtStart: boolean; opensAt: string | null }> {
    const ms = parseDuration(duration);
    const compiled = await this.compiled(id);
    try {
      const opening = nextOpening(from, compiled);
      return { dueAt: addBusinessTime(from, ms, compiled).toISOString(), openAtStart: opening?.open ?? false, opensAt: opening && !opening.open ? opening.at.toISOString() : null };
    } catch (err) {
      if (err instanceof CalendarNeverOpens) throw new GatewayError('INVALID_CALENDAR', err.message);
      throw err;
    }
  }

  /** The calendar ready for arithmetic, compiled once per version. */
  async compiled(id: string): Promise<CompiledCalendar> {
    return compiledCalendar(await this.get(id));
  }

  private async named<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw new GatewayError('CONFLICT', `a calendar named "${name}" exists already`);
      throw err;
    }
  }
}

const MAX_HOLIDAYS = 2_000;

// compiled calendars by id and version: compiling builds per-day caches worth keeping between uses
const compiledCache = new Map<string, { updatedAt: string; compiled: CompiledCalendar }>();

/** A stored calendar ready for arithmetic, compiled once per version. */
export function compiledCalendar(view: CalendarView): CompiledCalendar {
  const cached = compiledCache.get(view.id);
  if (cached && cached.updatedAt === view.updatedAt) return cached.compiled;
  const compiled = compileCalendar(view);
  if (compiledCache.size >= 1_000) compiledCache.clear();
  compiledCache.set(view.id, { updatedAt: view.updatedAt, compiled });
  return compiled;
}

/** The calendar as stored, or 400 INVALID_CALENDAR naming what is wrong. */
function checked(input: CalendarInput): CalendarInput {
  const calendar: CalendarInput = { name: input.name, timeZone: input.timeZone, windows: input.windows, holidays: input.holidays };
  try {
    compileCalendar(calendar);
  } catch (err) {
    if (err instanceof RangeError) throw new GatewayError('INVALID_CALENDAR', err.message);
    throw err;
  }
  return calendar;
}
