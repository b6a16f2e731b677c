/**
 * Business time: when a team works, in its own time zone, and arithmetic on it (SLA due times, "back at").
 * Pure: instants in, instants out. Local times become instants through Luxon; nothing here adds offsets by
 * hand, so DST changes, half-hour zones and half-hour shifts (Australia/Lord_Howe) come out right.
 */
import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessWindow {
  day: Weekday;
  /** "HH:MM" local time */
  from: string;
  /** "HH:MM" local time; not after `from`: the window runs past midnight into the next day ("00:00" = until midnight) */
  to: string;
}

export interface Holiday {
  /** the local date closed, "YYYY-MM-DD" */
  date: string;
  /** the last local date closed, for a range (inclusive); absent for one day */
  to?: string;
  name?: string;
}

export interface BusinessCalendar {
  /** IANA time zone, e.g. "Europe/Berlin" */
  timeZone: string;
  windows: readonly BusinessWindow[];
  holidays: readonly Holiday[];
}

/** An instant range [start, end) in epoch milliseconds. */
export type Span = [number, number];

/** How far ahead a search goes before it gives up on a calendar that never opens (or a very long duration). */
const MAX_DAYS = 3 * 366;

const MS_PER_MINUTE = 60_000;

function parseClock(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not a time of day (HH:MM)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * Throws a RangeError naming the first problem: an unknown time zone, a malformed time or date, a range that
 * ends before it starts.
 */
export function assertCalendar(cal: BusinessCalendar): void {
  if (!DateTime.local().setZone(cal.timeZone).isValid) throw new RangeError(`"${cal.timeZone}" is not an IANA time zone`);
  for (const w of cal.windows) {
    if (!WEEKDAYS.includes(w.day)) throw new RangeError(`"${w.day}" is not a weekday (${WEEKDAYS.join(', ')})`);
    parseClock(w.from);
    parseClock(w.to);
  }
  for (const h of cal.holidays) {
    const from = DateTime.fromISO(h.date, { zone: cal.timeZone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date) || !from.isValid) throw new RangeError(`"${h.date}" is not a date (YYYY-MM-DD)`);
    if (h.to !== undefined) {
      const to = DateTime.fromISO(h.to, { zone: cal.timeZone });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(h.to) || !to.isValid) throw new RangeError(`"${h.to}" is not a date (YYYY-MM-DD)`);
      if (h.to < h.date) throw new RangeError(`the holiday ${h.date} ends before it starts (${h.to})`);
    }
  }
}

/**
 * A calendar made ready for arithmetic: windows grouped by weekday, holidays as a set of local dates. Build
 * it once per calendar version and reuse it: the functions below take it.
 */
export interface CompiledCalendar {
  readonly timeZone: string;
  /** windows starting on each weekday (Luxon's 1 = Monday … 7 = Sunday), as local clock times */
  readonly byWeekday: ReadonlyArray<ReadonlyArray<{ from: { hour: number; minute: number }; to: { hour: number; minute: number }; overnight: boolean }>>;
  readonly closedDates: ReadonlySet<string>;
  /** holiday ranges too long to list date by date */
  readonly closedRanges: ReadonlyArray<[string, string]>;
  /** whether it has any window at all */
  readonly everOpen: boolean;
  /**
   * Local dates already worked out, by the instant they start: their spans and their neighbours' starts.
   * Due times walk the same days again and again; Luxon is asked about a day once.
   */
  readonly dayCache: Map<number, LocalDay>;
  /** the start of the local date each quarter hour (by its index since the epoch) falls in */
  readonly dayStartCache: Map<number, number>;
}

/** One local date of a calendar: when it starts, when the dates around it start, and its business spans. */
interface LocalDay {
  start: number;
  prev: number;
  next: number;
  spans: Span[];
}

export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  assertCalendar(cal);
  const byWeekday: Array<Array<CompiledCalendar['byWeekday'][number][number]>> = Array.from({ length: 8 }, () => []);
  for (const w of cal.windows) {
    const from = parseClock(w.from);
    const to = parseClock(w.to);
    const overnight = to.hour * 60 + to.minute <= from.hour * 60 + from.minute;
    byWeekday[WEEKDAYS.indexOf(w.day) + 1]!.push({ from, to, overnight });
  }
  const closedDates = new Set<string>();
  const closedRanges: Array<[string, string]> = [];
  for (const h of cal.holidays) {
    if (h.to === undefined || h.to === h.date) {
      closedDates.add(h.date);
      continue;
    }
    closedRanges.push([h.date, h.to]);
  }
  return { timeZone: cal.timeZone, byWeekday, closedDates, closedRanges, everOpen: cal.windows.length > 0, dayCache: new Map(), dayStartCache: new Map() };
}

function isClosedDate(cal: CompiledCalendar, isoDate: string): boolean {
  if (cal.closedDates.has(isoDate)) return true;
  for (const [from, to] of cal.closedRanges) if (isoDate >= from && isoDate <= to) return true;
  return false;
}

/** The local date starting at `start` (an instant), worked out once. */
function localDay(cal: CompiledCalendar, start: number): LocalDay {
  const known = cal.dayCache.get(start);
  if (known) return known;
  const day = DateTime.fromMillis(start, { zone: cal.timeZone });
  const found: LocalDay = {
    start,
    prev: day.minus({ days: 1 }).startOf('day').toMillis(),
    next: day.plus({ days: 1 }).startOf('day').toMillis(),
    spans: computeSpansOfDay(cal, day),
  };
  if (cal.dayCache.size >= DAY_CACHE_SIZE) cal.dayCache.delete(cal.dayCache.keys().next().value!);
  cal.dayCache.set(start, found);
  return found;
}

// every zone's offset is a whole number of quarter hours: a local date starts and ends on a quarter hour
const QUARTER_HOUR_MS = 15 * 60_000;

/** The start of the local date `ms` falls in. */
function dayStartOf(cal: CompiledCalendar, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const known = cal.dayStartCache.get(quarter);
  if (known !== undefined) return known;
  const start = DateTime.fromMillis(ms, { zone: cal.timeZone }).startOf('day').toMillis();
  if (cal.dayStartCache.size >= DAY_CACHE_SIZE * 4) cal.dayStartCache.delete(cal.dayStartCache.keys().next().value!);
  cal.dayStartCache.set(quarter, start);
  return start;
}

const DAY_CACHE_SIZE = 2_000;

function computeSpansOfDay(cal: CompiledCalendar, day: DateTime): Span[] {
  const raw: Span[] = [];
  for (const w of cal.byWeekday[day.weekday]!) {
    const start = day.set({ hour: w.from.hour, minute: w.from.minute });
    const endDay = w.overnight ? day.plus({ days: 1 }) : day;
    const end = endDay.set({ hour: w.to.hour, minute: w.to.minute });
    // a holiday closes its whole local day: an overnight window is cut at the midnight into or out of one
    const midnight = day.plus({ days: 1 }).startOf('day');
    const dayClosed = isClosedDate(cal, day.toISODate()!);
    const nextClosed = w.overnight && isClosedDate(cal, midnight.toISODate()!);
    const s = dayClosed ? midnight.toMillis() : start.toMillis();
    const e = nextClosed ? midnight.toMillis() : end.toMillis();
    if (e > s) raw.push([s, e]);
  }
  return mergeSpans(raw);
}

function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/**
 * Business spans from the local day before `from` onwards (an overnight window of the day before may still
 * be running), one day at a time, merged across days, clipped to start no earlier than `from`.
 */
function* spansFrom(cal: CompiledCalendar, from: number): Generator<Span> {
  if (!cal.everOpen) return;
  let day = localDay(cal, localDay(cal, dayStartOf(cal, from)).prev);
  let pending: Span | null = null;
  for (let i = 0; i <= MAX_DAYS; i++) {
    for (const [s, e] of day.spans) {
      if (e <= from) continue;
      const span: Span = [Math.max(s, from), e];
      if (pending && span[0] <= pending[1]) {
        pending[1] = Math.max(pending[1], span[1]);
        continue;
      }
      if (pending) yield pending;
      pending = span;
    }
    // spans of later days start at the next midnight or later: one ending before it is complete
    if (pending && pending[1] < day.next) {
      yield pending;
      pending = null;
    }
    day = localDay(cal, day.next);
  }
  if (pending) yield pending;
}

/** Thrown when a calendar never opens within the search horizon (no windows, or holidays cover everything). */
export class CalendarNeverOpens extends Error {
  constructor() {
    super(`the calendar has no business time in the next ${MAX_DAYS} days`);
  }
}

/** The instant `ms` milliseconds of business time after `start` (a due time). 0 gives the next opening, or `start` if open. */
export function addBusinessTime(start: Date, ms: number, cal: CompiledCalendar): Date {
  if (ms < 0) throw new RangeError('a duration cannot be negative');
  let left = ms;
  for (const [s, e] of spansFrom(cal, start.getTime())) {
    // a due time that falls exactly on a closing time is that closing time, not the next opening
    if (e - s >= left) return new Date(s + left);
    left -= e - s;
  }
  throw new CalendarNeverOpens();
}

export function addBusinessMinutes(start: Date, minutes: number, cal: CompiledCalendar): Date {
  return addBusinessTime(start, minutes * MS_PER_MINUTE, cal);
}

/** Business milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessTimeBetween(from: Date, to: Date, cal: CompiledCalendar): number {
  const end = to.getTime();
  let total = 0;
  if (end <= from.getTime()) return 0;
  for (const [s, e] of spansFrom(cal, from.getTime())) {
    if (s >= end) break;
    total += Math.min(e, end) - s;
  }
  return total;
}

export function businessMinutesBetween(from: Date, to: Date, cal: CompiledCalendar): number {
  return businessTimeBetween(from, to, cal) / MS_PER_MINUTE;
}

/** Whether the team works at `at`, and if not, when it opens next (null: never within the horizon). */
export function nextOpening(at: Date, cal: CompiledCalendar): { open: boolean; at: Date } | null {
  const t = at.getTime();
  for (const [s] of spansFrom(cal, t)) return { open: s <= t, at: new Date(Math.max(s, t)) };
  return null;
}
