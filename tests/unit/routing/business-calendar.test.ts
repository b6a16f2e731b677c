import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  addBusinessTime,
  assertCalendar,
  businessMinutesBetween,
  businessTimeBetween,
  CalendarNeverOpens,
  compileCalendar,
  nextOpening,
  WEEKDAYS,
  type BusinessCalendar,
  type BusinessWindow,
} from '../../../routing/business-calendar.ts';

const weekdays = (from: string, to: string): BusinessWindow[] => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, from, to }));
const officeHours = (timeZone: string, holidays: BusinessCalendar['holidays'] = []) => compileCalendar({ timeZone, windows: weekdays('09:00', '17:00'), holidays });
const everyDay = (timeZone: string, from: string, to: string) => compileCalendar({ timeZone, windows: WEEKDAYS.map((day) => ({ day, from, to })), holidays: [] });
const utc = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('business time, office hours', () => {
  const ny = officeHours('America/New_York');

  it('a due time inside the day stays in the day; one that ends at closing time is the closing time', () => {
    // Tue 2026-06-09 10:00 EDT = 14:00Z
    expect(addBusinessMinutes(utc('2026-06-09T14:00:00Z'), 120, ny).toISOString()).toBe('2026-06-09T16:00:00.000Z');
    expect(addBusinessMinutes(utc('2026-06-09T13:00:00Z'), 8 * 60, ny).toISOString()).toBe('2026-06-09T21:00:00.000Z');
  });

  it('skips the night and the weekend', () => {
    // Fri 2026-06-12 16:00 EDT + 2 h = Mon 10:00 EDT
    expect(addBusinessMinutes(utc('2026-06-12T20:00:00Z'), 120, ny).toISOString()).toBe('2026-06-15T14:00:00.000Z');
    // from Saturday: the clock starts Monday 09:00
    expect(addBusinessMinutes(utc('2026-06-13T15:00:00Z'), 30, ny).toISOString()).toBe('2026-06-15T13:30:00.000Z');
  });

  it('zero business time is the next opening, or now when open', () => {
    expect(addBusinessTime(utc('2026-06-13T15:00:00Z'), 0, ny).toISOString()).toBe('2026-06-15T13:00:00.000Z');
    expect(addBusinessTime(utc('2026-06-09T15:00:00Z'), 0, ny).toISOString()).toBe('2026-06-09T15:00:00.000Z');
  });

  it('measures business minutes between two instants, nights and weekends excluded', () => {
    // Fri 16:00 EDT to Mon 10:00 EDT: one hour on Friday, one on Monday
    expect(businessMinutesBetween(utc('2026-06-12T20:00:00Z'), utc('2026-06-15T14:00:00Z'), ny)).toBe(120);
    expect(businessMinutesBetween(utc('2026-06-15T14:00:00Z'), utc('2026-06-12T20:00:00Z'), ny)).toBe(0);
  });

  it('says whether it is open, and when it opens next', () => {
    expect(nextOpening(utc('2026-06-09T15:00:00Z'), ny)).toEqual({ open: true, at: utc('2026-06-09T15:00:00Z') });
    expect(nextOpening(utc('2026-06-09T21:00:00Z'), ny)).toEqual({ open: false, at: utc('2026-06-10T13:00:00Z') });
    expect(nextOpening(utc('2026-06-13T12:00:00Z'), ny)).toEqual({ open: false, at: utc('2026-06-15T13:00:00Z') });
  });
});

describe('business time across DST changes', () => {
  it('America/New_York in March: a weekend that loses an hour, and a night window that is an hour shorter', () => {
    const ny = officeHours('America/New_York');
    // Fri 2026-03-06 16:00 EST (21:00Z) + 2 h = Mon 2026-03-09 10:00 EDT (14:00Z)
    expect(addBusinessMinutes(utc('2026-03-06T21:00:00Z'), 120, ny).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    // Sunday 2026-03-08 00:00–06:00 local holds five real hours (02:00 jumps to 03:00)
    const night = everyDay('America/New_York', '00:00', '06:00');
    expect(businessTimeBetween(utc('2026-03-08T05:00:00Z'), utc('2026-03-08T12:00:00Z'), night)).toBe(5 * HOUR);
  });

  it('America/New_York in November: the repeated hour counts twice', () => {
    const night = everyDay('America/New_York', '00:00', '06:00');
    // Sunday 2026-11-01 00:00 EDT (04:00Z) to 06:00 EST (11:00Z): seven real hours
    expect(businessTimeBetween(utc('2026-11-01T03:00:00Z'), utc('2026-11-01T12:00:00Z'), night)).toBe(7 * HOUR);
    const ny = officeHours('America/New_York');
    // Fri 2026-10-30 16:00 EDT (20:00Z) + 2 h = Mon 2026-11-02 10:00 EST (15:00Z)
    expect(addBusinessMinutes(utc('2026-10-30T20:00:00Z'), 120, ny).toISOString()).toBe('2026-11-02T15:00:00.000Z');
  });

  it('Europe/Berlin in March and October', () => {
    const berlin = officeHours('Europe/Berlin');
    // Fri 2026-03-27 16:00 CET (15:00Z) + 2 h = Mon 2026-03-30 10:00 CEST (08:00Z)
    expect(addBusinessMinutes(utc('2026-03-27T15:00:00Z'), 120, berlin).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    // Fri 2026-10-23 16:00 CEST (14:00Z) + 2 h = Mon 2026-10-26 10:00 CET (09:00Z)
    expect(addBusinessMinutes(utc('2026-10-23T14:00:00Z'), 120, berlin).toISOString()).toBe('2026-10-26T09:00:00.000Z');
    const night = everyDay('Europe/Berlin', '00:00', '06:00');
    expect(businessTimeBetween(utc('2026-03-28T22:00:00Z'), utc('2026-03-29T06:00:00Z'), night)).toBe(5 * HOUR);
    expect(businessTimeBetween(utc('2026-10-24T21:00:00Z'), utc('2026-10-25T06:00:00Z'), night)).toBe(7 * HOUR);
  });

  it('Australia/Lord_Howe moves by half an hour', () => {
    const night = everyDay('Australia/Lord_Howe', '00:00', '06:00');
    // 2026-04-05: 02:00 (+11) goes back to 01:30 (+10:30): six and a half real hours
    expect(businessTimeBetween(utc('2026-04-04T12:00:00Z'), utc('2026-04-05T00:00:00Z'), night)).toBe(6.5 * HOUR);
    // 2026-10-04: 02:00 (+10:30) jumps to 02:30 (+11): five and a half
    expect(businessTimeBetween(utc('2026-10-03T13:00:00Z'), utc('2026-10-04T00:00:00Z'), night)).toBe(5.5 * HOUR);
    const office = officeHours('Australia/Lord_Howe');
    // Fri 2026-04-03 16:00 (+11, 05:00Z) + 2 h = Mon 2026-04-06 10:00 (+10:30, 23:30Z on the 5th)
    expect(addBusinessMinutes(utc('2026-04-03T05:00:00Z'), 120, office).toISOString()).toBe('2026-04-05T23:30:00.000Z');
  });
});

describe('windows across midnight and split shifts', () => {
  it('a window whose end is not after its start runs into the next day', () => {
    const nights = compileCalendar({ timeZone: 'UTC', windows: [{ day: 'mon', from: '22:00', to: '06:00' }], holidays: [] });
    // Mon 2026-06-08 23:30 + 1 h = Tue 00:30
    expect(addBusinessMinutes(utc('2026-06-08T23:30:00Z'), 60, nights).toISOString()).toBe('2026-06-09T00:30:00.000Z');
    // Tue 05:30 + 1 h: half an hour now, the other half next Monday night
    expect(addBusinessMinutes(utc('2026-06-09T05:30:00Z'), 60, nights).toISOString()).toBe('2026-06-15T22:30:00.000Z');
    expect(nextOpening(utc('2026-06-09T03:00:00Z'), nights)).toEqual({ open: true, at: utc('2026-06-09T03:00:00Z') });
    // "00:00" as the end: until midnight
    const late = compileCalendar({ timeZone: 'UTC', windows: [{ day: 'mon', from: '18:00', to: '00:00' }], holidays: [] });
    expect(businessMinutesBetween(utc('2026-06-08T00:00:00Z'), utc('2026-06-10T00:00:00Z'), late)).toBe(6 * 60);
  });

  it('several windows a day (a split shift), overlapping windows counted once', () => {
    const split = compileCalendar({
      timeZone: 'Europe/Berlin',
      windows: [
        { day: 'mon', from: '08:00', to: '12:00' },
        { day: 'mon', from: '14:00', to: '18:00' },
        { day: 'mon', from: '11:00', to: '13:00' },
      ],
      holidays: [],
    });
    // 08:00–13:00 and 14:00–18:00 on Mon 2026-06-08 (CEST, UTC+2)
    expect(businessMinutesBetween(utc('2026-06-08T00:00:00Z'), utc('2026-06-09T00:00:00Z'), split)).toBe(9 * 60);
    // Mon 12:30 + 1 h = 14:00 + 30 min
    expect(addBusinessMinutes(utc('2026-06-08T10:30:00Z'), 60, split).toISOString()).toBe('2026-06-08T12:30:00.000Z');
  });
});

describe('holidays', () => {
  it('a holiday on the Friday before a weekend, and on the Monday after it', () => {
    const friday = officeHours('Europe/Berlin', [{ date: '2026-06-12', name: 'Company day' }]);
    // Thu 2026-06-11 16:00 CEST + 2 h = Mon 10:00
    expect(addBusinessMinutes(utc('2026-06-11T14:00:00Z'), 120, friday).toISOString()).toBe('2026-06-15T08:00:00.000Z');
    const both = officeHours('Europe/Berlin', [{ date: '2026-06-12' }, { date: '2026-06-15' }]);
    expect(addBusinessMinutes(utc('2026-06-11T14:00:00Z'), 120, both).toISOString()).toBe('2026-06-16T08:00:00.000Z');
    expect(nextOpening(utc('2026-06-12T08:00:00Z'), both)).toEqual({ open: false, at: utc('2026-06-16T07:00:00Z') });
  });

  it('a range of dates, inclusive, in the calendar’s own zone', () => {
    const winter = officeHours('America/New_York', [{ date: '2026-12-24', to: '2026-12-28', name: 'Winter break' }]);
    // Wed 2026-12-23 16:00 EST + 2 h = Tue 2026-12-29 10:00 EST
    expect(addBusinessMinutes(utc('2026-12-23T21:00:00Z'), 120, winter).toISOString()).toBe('2026-12-29T15:00:00.000Z');
    // 2026-12-24 01:00Z is still the 23rd in New York: not a holiday there (and after hours)
    expect(nextOpening(utc('2026-12-24T01:00:00Z'), winter)).toEqual({ open: false, at: utc('2026-12-29T14:00:00Z') });
  });

  it('closes an overnight window at the midnight into or out of a holiday', () => {
    const nights = compileCalendar({ timeZone: 'UTC', windows: [{ day: 'mon', from: '22:00', to: '06:00' }, { day: 'tue', from: '22:00', to: '06:00' }], holidays: [{ date: '2026-06-09' }] });
    // Mon 22:00–24:00 only (Tue is a holiday), then Wed 00:00–06:00 from Tuesday's window
    expect(businessMinutesBetween(utc('2026-06-08T00:00:00Z'), utc('2026-06-11T00:00:00Z'), nights)).toBe(2 * 60 + 6 * 60);
  });
});

describe('bad calendars', () => {
  it('refuses unknown zones, malformed times and dates, and ranges that end before they start', () => {
    const base = { timeZone: 'UTC', windows: weekdays('09:00', '17:00'), holidays: [] };
    expect(() => assertCalendar({ ...base, timeZone: 'Mars/Olympus' })).toThrow(/IANA time zone/);
    expect(() => assertCalendar({ ...base, windows: [{ day: 'mon', from: '9:00', to: '17:00' }] })).toThrow(/time of day/);
    expect(() => assertCalendar({ ...base, windows: [{ day: 'mon', from: '09:00', to: '24:00' }] })).toThrow(/time of day/);
    expect(() => assertCalendar({ ...base, windows: [{ day: 'funday' as never, from: '09:00', to: '17:00' }] })).toThrow(/weekday/);
    expect(() => assertCalendar({ ...base, holidays: [{ date: '2026-02-30' }] })).toThrow(/not a date/);
    expect(() => assertCalendar({ ...base, holidays: [{ date: '2026-12-28', to: '2026-12-24' }] })).toThrow(/ends before/);
  });

  it('a calendar that never opens says so instead of searching forever', () => {
    const never = compileCalendar({ timeZone: 'UTC', windows: [], holidays: [] });
    expect(() => addBusinessMinutes(utc('2026-06-08T00:00:00Z'), 1, never)).toThrow(CalendarNeverOpens);
    expect(nextOpening(utc('2026-06-08T00:00:00Z'), never)).toBeNull();
    expect(businessMinutesBetween(utc('2026-06-08T00:00:00Z'), utc('2026-07-08T00:00:00Z'), never)).toBe(0);
    expect(() => addBusinessTime(utc('2026-06-08T00:00:00Z'), -1, officeHours('UTC'))).toThrow(RangeError);
  });
});

describe('properties', () => {
  const calendars = [
    officeHours('America/New_York', [{ date: '2026-11-26' }, { date: '2026-12-24', to: '2026-12-26' }]),
    compileCalendar({ timeZone: 'Australia/Lord_Howe', windows: [...weekdays('22:00', '06:00'), { day: 'sat', from: '10:00', to: '12:30' }], holidays: [{ date: '2026-10-05' }] }),
    compileCalendar({ timeZone: 'Europe/Berlin', windows: [...weekdays('08:00', '12:00'), ...weekdays('13:00', '17:30')], holidays: [{ date: '2026-10-03' }] }),
  ];
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms));
  const duration = fc.integer({ min: 0, max: 20 * 24 * 60 }).map((minutes) => minutes * 60_000);

  it('adding business time and measuring it back gives the same duration', () => {
    for (const cal of calendars) {
      fc.assert(
        fc.property(instant, duration, (start, ms) => {
          const due = addBusinessTime(start, ms, cal);
          return due.getTime() >= start.getTime() && businessTimeBetween(start, due, cal) === ms;
        }),
        { numRuns: 300 },
      );
    }
  });

  it('business time between two instants never exceeds the wall-clock time between them, and adds up over a split', () => {
    for (const cal of calendars) {
      fc.assert(
        fc.property(instant, instant, instant, (x, y, z) => {
          const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
          const whole = businessTimeBetween(a, c, cal);
          return whole <= c.getTime() - a.getTime() && whole === businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal);
        }),
        { numRuns: 200 },
      );
    }
  });
});
