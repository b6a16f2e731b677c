import type { BusinessCalendar, BusinessWindow, Holiday } from '../routing/business-calendar.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';

export interface CalendarView extends BusinessCalendar {
  id: string;
  name: string;
  windows: BusinessWindow[];
  holidays: Holiday[];
  createdAt: string;
  updatedAt: string;
}

type CalendarRow = { id: string; name: string; timeZone: string; windows: string; holidays: string; createdAt: Date; updatedAt: Date };

function toView(r: CalendarRow): CalendarView {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.timeZone,
    windows: JSON.parse(r.windows) as BusinessWindow[],
    holidays: JSON.parse(r.holidays) as Holiday[],
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listCalendars(x: Executor): Promise<CalendarView[]> {
  return (await x.allOf((qb) => qb.selectFrom('BusinessCalendar').selectAll().orderBy('name'))).map(toView);
}

export async function calendarById(x: Executor, id: string): Promise<CalendarView | null> {
  const row = await x.firstOf((qb) => qb.selectFrom('BusinessCalendar').selectAll().where('id', '=', id));
  return row ? toView(row) : null;
}

export async function insertCalendar(tx: Executor, c: BusinessCalendar & { name: string }, now: Date): Promise<string> {
  const id = newId(now.getTime());
  await tx.runOf((qb) =>
    qb.insertInto('BusinessCalendar').values({ id, name: c.name, timeZone: c.timeZone, windows: JSON.stringify(c.windows), holidays: JSON.stringify(c.holidays), createdAt: now, updatedAt: now }),
  );
  return id;
}

export async function updateCalendar(tx: Executor, id: string, c: BusinessCalendar & { name: string }, now: Date): Promise<void> {
  await tx.runOf((qb) =>
    qb
      .updateTable('BusinessCalendar')
      .set({ name: c.name, timeZone: c.timeZone, windows: JSON.stringify(c.windows), holidays: JSON.stringify(c.holidays), updatedAt: now })
      .where('id', '=', id),
  );
}

/** What uses a calendar: queues and accounts, by name. */
export async function calendarUsers(x: Executor, id: string): Promise<{ queues: string[]; accounts: string[] }> {
  const queues = await x.allOf((qb) => qb.selectFrom('Queue').select('name').where('calendarId', '=', id).orderBy('name'));
  const accounts = await x.allOf((qb) => qb.selectFrom('Account').select('name').where('calendarId', '=', id).orderBy('name'));
  return { queues: queues.map((q) => q.name), accounts: accounts.map((a) => a.name) };
}

export async function deleteCalendar(tx: Executor, id: string): Promise<boolean> {
  return (await tx.runOf((qb) => qb.deleteFrom('BusinessCalendar').where('id', '=', id))) > 0;
}

/** The first start's calendar: Monday to Friday, 09:00–17:00, in `timeZone`; nothing when any calendar exists. */
export async function seedCalendar(tx: Executor, timeZone: string, now: Date): Promise<void> {
  if (await tx.firstOf((qb) => qb.selectFrom('BusinessCalendar').select('id').limit(1))) return;
  const windows = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, from: '09:00', to: '17:00' }));
  await insertCalendar(tx, { name: 'Default', timeZone, windows, holidays: [] }, now);
}

/** The calendar of a queue or account that names none: the one called Default, else the oldest. */
export async function defaultCalendarId(x: Executor): Promise<string | null> {
  const row =
    (await x.firstOf((qb) => qb.selectFrom('BusinessCalendar').select('id').where('name', '=', 'Default'))) ??
    (await x.firstOf((qb) => qb.selectFrom('BusinessCalendar').select('id').orderBy('createdAt').orderBy('id').limit(1)));
  return row?.id ?? null;
}

/** The calendar a queue (by name) names; null when it names none or there is no such queue. */
export async function queueCalendarId(x: Executor, queueName: string): Promise<string | null> {
  return (await x.firstOf((qb) => qb.selectFrom('Queue').select('calendarId').where('name', '=', queueName)))?.calendarId ?? null;
}
