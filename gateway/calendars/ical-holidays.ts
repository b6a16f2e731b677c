import ICAL from 'ical.js';
import type { Holiday } from '../../routing/business-calendar.ts';

/** Occurrences of one recurring event taken at most (a yearly holiday over the window needs a handful). */
const MAX_OCCURRENCES = 400;

const isoDate = (t: ICAL.Time) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

/**
 * The holidays of an iCalendar file (RFC 5545): each event is a closed day, or a range of days when it
 * spans several (an all-day event's end is exclusive); recurring ones (a yearly RRULE) are expanded over
 * [from, to]. A timed event closes its whole start date. Throws a SyntaxError on text that is not iCalendar.
 */
export function icsToHolidays(ics: string, range: { from: string; to: string }): Holiday[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(ics));
  } catch (err) {
    throw new SyntaxError(`not an iCalendar file: ${(err as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new SyntaxError('not an iCalendar file: no VCALENDAR');
  const holidays: Holiday[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (!event.startDate) continue;
    const name = event.summary || undefined;
    const add = (start: ICAL.Time, end: ICAL.Time | null) => {
      const date = isoDate(start);
      if (date < range.from || date > range.to) return;
      let last = date;
      if (end && start.isDate) {
        const inclusive = end.clone();
        inclusive.adjust(-1, 0, 0, 0);
        if (isoDate(inclusive) > date) last = isoDate(inclusive);
      }
      holidays.push({ date, ...(last !== date ? { to: last } : {}), ...(name ? { name } : {}) });
    };
    if (!event.isRecurring()) {
      add(event.startDate, event.endDate ?? null);
      continue;
    }
    const it = event.iterator();
    for (let i = 0, next = it.next(); next && i < MAX_OCCURRENCES; i++, next = it.next()) {
      if (isoDate(next) > range.to) break;
      const details = event.getOccurrenceDetails(next);
      add(details.startDate, details.endDate);
    }
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}
