/**
 * Business calendars through the API: the seeded default, creating and changing them, holidays from an
 * iCalendar file, the business-time arithmetic behind SLA due times, calendars on queues and accounts.
 * Bad input is refused with a coded 400 and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agentToken: string;

beforeAll(async () => {
  t = await startApp({ DEFAULT_TIME_ZONE: 'America/New_York' });
  agentToken = (await t.api('POST', '/api/v1/agents', { name: 'Cal Agent', email: 'cal@support.test' })).body.token;
});
afterAll(() => t.close());

const berlin = {
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '09:00', to: '17:00' })),
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
};

describe('business calendars', () => {
  it('a first start has a Monday–Friday 09:00–17:00 calendar in the configured zone', async () => {
    const { items } = (await t.api('GET', '/api/v1/calendars', undefined, agentToken)).body;
    expect(items).toEqual([
      expect.objectContaining({ name: 'Default', timeZone: 'America/New_York', windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '09:00', to: '17:00' })), holidays: [] }),
    ]);
  });

  it('computes due times in business time: nights, weekends and holidays skipped, seconds allowed', async () => {
    const created = await t.api('POST', '/api/v1/calendars', berlin);
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Thu 2026-12-24 16:30 CET + 1 h: 30 min on Thursday, Friday is Christmas, then the weekend: Mon 09:30 CET
    const due = await t.api('GET', `/api/v1/calendars/${id}/due?from=2026-12-24T15:30:00Z&duration=PT1H`, undefined, agentToken);
    expect(due.body).toEqual({ dueAt: '2026-12-28T08:30:00.000Z', openAtStart: true, opensAt: null });
    const seconds = await t.api('GET', `/api/v1/calendars/${id}/due?from=2026-12-26T12:00:00Z&duration=PT30S`, undefined, agentToken);
    expect(seconds.body).toEqual({ dueAt: '2026-12-28T08:00:30.000Z', openAtStart: false, opensAt: '2026-12-28T08:00:00.000Z' });
  });

  it('a window that ends before it starts runs past midnight', async () => {
    const nights = (await t.api('POST', '/api/v1/calendars', { name: 'Night shift', timeZone: 'UTC', windows: [{ day: 'mon', from: '22:00', to: '06:00' }] })).body;
    const due = await t.api('GET', `/api/v1/calendars/${nights.id}/due?from=2026-06-08T23:00:00Z&duration=PT2H`);
    expect(due.body.dueAt).toBe('2026-06-09T01:00:00.000Z');
  });

  it('imports holidays from an iCalendar file: ranges, and yearly ones over the coming years', async () => {
    const cal = (await t.api('POST', '/api/v1/calendars', { ...berlin, name: 'Imported' })).body;
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example//Holidays//EN',
      'BEGIN:VEVENT',
      'UID:xmas@example.test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20261224',
      'DTEND;VALUE=DATE:20261227',
      'SUMMARY:Christmas break',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:newyear@example.test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20270101',
      'DTEND;VALUE=DATE:20270102',
      'RRULE:FREQ=YEARLY',
      'SUMMARY:New Year',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const imported = await t.api('POST', `/api/v1/calendars/${cal.id}/holidays/import`, { ics });
    expect(imported.status).toBe(200);
    const holidays = imported.body.calendar.holidays;
    // added to the one it had; the yearly one up to three years ahead of the gateway's clock
    expect(holidays[0]).toEqual({ date: '2026-12-24', to: '2026-12-26', name: 'Christmas break' });
    expect(holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
    expect(holidays.filter((h: any) => h.name === 'New Year').map((h: any) => h.date).slice(0, 2)).toEqual(['2027-01-01', '2028-01-01']);
    // replace: only the file's
    const replaced = await t.api('POST', `/api/v1/calendars/${cal.id}/holidays/import`, { ics, replace: true });
    expect(replaced.body.calendar.holidays.some((h: any) => h.name === 'Christmas Day')).toBe(false);
    const bad = await t.api('POST', `/api/v1/calendars/${cal.id}/holidays/import`, { ics: 'this is not a calendar' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_CALENDAR']);
    expect((await t.api('GET', `/api/v1/calendars/${cal.id}`)).body.holidays).toEqual(replaced.body.calendar.holidays);
  });

  it('queues and accounts name their calendar; one in use cannot be deleted', async () => {
    const cal = (await t.api('POST', '/api/v1/calendars', { ...berlin, name: 'Support EU' })).body;
    const queue = await t.api('POST', '/api/v1/queues', { name: 'EU Support', calendarId: cal.id });
    expect(queue.body.calendarId).toBe(cal.id);
    const account = await t.api('POST', '/api/v1/accounts', { name: 'Weltfirma', calendarId: cal.id });
    expect(account.body.calendarId).toBe(cal.id);
    const refused = await t.api('DELETE', `/api/v1/calendars/${cal.id}`);
    expect([refused.status, refused.body.error.message]).toEqual([409, 'the calendar is in use by queue EU Support, account Weltfirma']);
    expect((await t.api('PATCH', `/api/v1/queues/${queue.body.id}`, { calendarId: null })).body.calendarId).toBeNull();
    expect((await t.api('PATCH', `/api/v1/accounts/${account.body.id}`, { calendarId: null })).status).toBe(200);
    // an SLA policy's clocks would fall back to calendar time
    const policy = await t.api('POST', '/api/v1/sla-policies', { name: 'EU promise', calendar: cal.id, targets: { firstResponse: 'PT2H' } });
    expect(policy.status).toBe(201);
    const byPolicy = await t.api('DELETE', `/api/v1/calendars/${cal.id}`);
    expect([byPolicy.status, byPolicy.body.error.message]).toEqual([409, 'the calendar is in use by SLA policy EU promise']);
    expect((await t.api('DELETE', `/api/v1/sla-policies/${policy.body.id}`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/calendars/${cal.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/calendars/${cal.id}`)).status).toBe(404);
    expect((await t.api('POST', '/api/v1/queues', { name: 'Nowhere', calendarId: 'nope' })).body.error.code).toBe('CALENDAR_NOT_FOUND');
    expect((await t.api('GET', '/api/v1/queues')).body.items.some((q: any) => q.name === 'Nowhere')).toBe(false);
  });

  it('changes are audited', async () => {
    const cal = (await t.api('POST', '/api/v1/calendars', { ...berlin, name: 'Audited' })).body;
    expect((await t.api('PATCH', `/api/v1/calendars/${cal.id}`, { timeZone: 'Europe/Vienna' })).body.timeZone).toBe('Europe/Vienna');
    const audit = (await t.api('GET', `/api/v1/audit?target=calendar:${cal.id}`)).body.items;
    expect(audit.map((a: any) => a.action)).toEqual(['calendar.updated', 'calendar.created']);
    expect(audit[0]).toMatchObject({ before: expect.objectContaining({ timeZone: 'Europe/Berlin' }), after: { timeZone: 'Europe/Vienna' } });
  });

  it('refuses bad calendars and bad arithmetic requests, changing nothing', async () => {
    const id = (await t.api('POST', '/api/v1/calendars', { ...berlin, name: 'Stable' })).body.id;
    const before = (await t.api('GET', '/api/v1/calendars')).body.items;
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/v1/calendars', { ...berlin, name: 'X', timeZone: 'Mars/Olympus' }, 400, 'INVALID_CALENDAR'],
      ['POST', '/api/v1/calendars', { ...berlin, name: 'X', windows: [{ day: 'mon', from: '9:00', to: '17:00' }] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/calendars', { ...berlin, name: 'X', windows: [{ day: 'funday', from: '09:00', to: '17:00' }] }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/calendars', { ...berlin, name: 'X', holidays: [{ date: '2026-02-30' }] }, 400, 'INVALID_CALENDAR'],
      ['POST', '/api/v1/calendars', { ...berlin, name: 'X', holidays: [{ date: '2026-12-28', to: '2026-12-24' }] }, 400, 'INVALID_CALENDAR'],
      ['POST', '/api/v1/calendars', { ...berlin, name: 'Stable' }, 409, 'CONFLICT'],
      ['PATCH', `/api/v1/calendars/${id}`, { timeZone: 'Nowhere/Land' }, 400, 'INVALID_CALENDAR'],
      ['PATCH', `/api/v1/calendars/${id}`, {}, 400, 'VALIDATION_FAILED'],
      ['PATCH', '/api/v1/calendars/nope', { name: 'Y' }, 404, 'CALENDAR_NOT_FOUND'],
      ['GET', `/api/v1/calendars/${id}/due?from=2026-06-08T10:00:00Z&duration=P1M`, undefined, 400, 'BAD_REQUEST'],
      ['GET', `/api/v1/calendars/${id}/due?from=2026-06-08T10:00:00Z&duration=soon`, undefined, 400, 'BAD_REQUEST'],
      ['GET', `/api/v1/calendars/${id}/due?from=yesterday&duration=PT1H`, undefined, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/v1/calendars/${id}/due?duration=PT1H`, undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/calendars/nope/due?from=2026-06-08T10:00:00Z&duration=PT1H', undefined, 404, 'CALENDAR_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await t.api(method, path, body);
      expect([res.status, res.body?.error?.code], `${method} ${path} ${JSON.stringify(body)}`).toEqual([status, code]);
    }
    expect((await t.api('POST', '/api/v1/calendars', { ...berlin, name: 'By an agent' }, agentToken)).status).toBe(403);
    const never = (await t.api('POST', '/api/v1/calendars', { name: 'Closed', timeZone: 'UTC', windows: [] })).body;
    const closed = await t.api('GET', `/api/v1/calendars/${never.id}/due?from=2026-06-08T10:00:00Z&duration=PT1H`);
    expect([closed.status, closed.body.error.code]).toEqual([400, 'INVALID_CALENDAR']);
    const after = (await t.api('GET', '/api/v1/calendars')).body.items;
    expect(after.filter((c: any) => c.name !== 'Closed')).toEqual(before);
  });
});
