/**
 * The after-hours reply on a business calendar: with the rules' business hours naming a calendar, a
 * message outside its hours (a holiday, a weekend, an overnight gap) gets the after-hours reply saying when
 * the team is back, in the calendar's zone; inside them, the usual one. A calendar that does not exist is
 * refused with the path of the problem.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const clockAt = (iso: string) => ({ offset: Date.parse(iso) - Date.now(), now() { return new Date(Date.now() + this.offset); } });

async function start(at: string): Promise<TestApp> {
  const t = await startApp({ DEFAULT_TIME_ZONE: 'UTC' }, { clock: clockAt(at) });
  apps.push(t);
  return t;
}

async function autoReplyTo(t: TestApp, email: string): Promise<string> {
  const v = await ChatClient.open(t.url, { name: 'Visitor', email });
  v.send({ type: 'message', id: 'm1', text: 'Hello, is anyone there?' });
  await v.waitFor((f) => f.type === 'ack');
  await v.close();
  return eventually(async () => {
    const kase = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0];
    if (!kase) return null;
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    return detail.interactions.find((i: any) => i.direction === 'outbound' && i.kind === 'auto_reply')?.text ?? null;
  });
}

describe('the after-hours reply on a business calendar', () => {
  it('says when the team is back: after a holiday that follows a weekend, in the calendar’s own zone', async () => {
    // Saturday 13 June 2026 in Berlin; Monday 15 June is a holiday; the team works 08:00–16:30 Berlin time
    const t = await start('2026-06-13T10:00:00Z');
    const calendar = await t.api('POST', '/api/v1/calendars', {
      name: 'Berlin',
      timeZone: 'Europe/Berlin',
      windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '08:00', to: '16:30' })),
      holidays: [{ date: '2026-06-15', name: 'Company day' }],
    });
    expect(calendar.status).toBe(201);
    expect((await t.api('PATCH', '/api/v1/rules', { businessHours: { calendar: calendar.body.id } })).status).toBe(200);
    expect(await autoReplyTo(t, 'weekend@example.org')).toContain('away right now and back Tuesday 16 June at 08:00 (Europe/Berlin)');
  });

  it('"default" names the default calendar; inside its hours there is no after-hours reply, and the trace says why', async () => {
    // Tuesday 10:00 UTC: the default calendar (Monday–Friday 09:00–17:00 UTC) is open
    const t = await start('2026-06-09T10:00:00Z');
    expect((await t.api('PATCH', '/api/v1/rules', { businessHours: { calendar: 'default' } })).status).toBe(200);
    const v = await ChatClient.open(t.url, { name: 'Visitor', email: 'tuesday@example.org' });
    v.send({ type: 'message', id: 'm1', text: 'Hello, is anyone there?' });
    await v.waitFor((f) => f.type === 'ack');
    await v.close();
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=tuesday%40example.org')).body.items[0]);
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(detail.tags).not.toContain('after-hours');
    expect(detail.interactions.filter((i: any) => i.kind === 'auto_reply')).toEqual([]);
    expect(JSON.stringify(detail.routing.trace)).toContain('calendar Default: open');
    // the same on a Sunday: closed until Monday 09:00 UTC
    const sunday = await start('2026-06-14T10:00:00Z');
    expect((await sunday.api('PATCH', '/api/v1/rules', { businessHours: { calendar: 'default' } })).status).toBe(200);
    expect(await autoReplyTo(sunday, 'sunday@example.org')).toContain('back Monday 15 June at 09:00 (UTC)');
  });

  it('a calendar that does not exist is refused with its path, and the rules stay as they were', async () => {
    const t = await start('2026-06-09T10:00:00Z');
    const before = (await t.api('GET', '/api/v1/rules')).body;
    for (const businessHours of [{ calendar: 'no-such-calendar' }, { calendar: '' }, { calendar: 'default', extra: 1 }]) {
      const res = await t.api('PATCH', '/api/v1/rules', { businessHours });
      expect(res.status, JSON.stringify(businessHours)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_RULES');
      expect(res.body.error.details[0].path).toMatch(/^businessHours/);
    }
    expect((await t.api('GET', '/api/v1/rules')).body.version).toBe(before.version);
  });
});
