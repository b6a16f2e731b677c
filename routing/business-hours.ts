/** Whether an instant falls inside a team's business hours, in the team's own time zone. */

export interface BusinessHours {
  /** IANA zone, e.g. "Europe/Berlin" */
  timezone: string;
  /** days open, 0 = Sunday … 6 = Saturday */
  days: number[];
  /** "HH:MM", local time; `close` is exclusive and may be "24:00" */
  open: string;
  close: string;
  /** local dates closed all day, "YYYY-MM-DD" */
  holidays?: string[];
}

export interface BusinessHoursCheck {
  inside: boolean;
  /** e.g. "Tue 2024-05-14 18:02 Europe/Berlin: after 17:00" */
  reason: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function minutes(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`bad time "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Throws RangeError on an unknown time zone or a malformed time. */
export function checkBusinessHours(now: Date, hours: BusinessHours): BusinessHoursCheck {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timezone,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const weekday = WEEKDAYS.indexOf(get('weekday'));
  const local = Number(get('hour')) * 60 + Number(get('minute'));
  const label = `${get('weekday')} ${date} ${get('hour')}:${get('minute')} ${hours.timezone}`;
  if (hours.holidays?.includes(date)) return { inside: false, reason: `${label}: holiday` };
  if (!hours.days.includes(weekday)) return { inside: false, reason: `${label}: closed on ${get('weekday')}` };
  if (local < minutes(hours.open)) return { inside: false, reason: `${label}: before ${hours.open}` };
  if (local >= minutes(hours.close)) return { inside: false, reason: `${label}: after ${hours.close}` };
  return { inside: true, reason: `${label}: open ${hours.open}–${hours.close}` };
}
