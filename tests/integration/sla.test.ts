/**
 * SLA clocks and escalation end to end, on an injected clock: a case nobody answers breaches at the right
 * business minute and escalates once; an answered one is met; waiting for the customer pauses the clock;
 * a change of priority selects another policy and moves the due time; a restart between the due moment
 * and its firing still fires once. One test on the real clock shows the timer fires within a second.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';

const MIN = 60_000;

/** Real time moved to `at` (and on from there as the test steps it). */
function clockAt(at: string) {
  const clock = { offsetMs: Date.parse(at) - Date.now(), now: () => new Date(Date.now() + clock.offsetMs) };
  return { clock, advanceTo: (iso: string) => (clock.offsetMs = Date.parse(iso) - Date.now()), advanceBy: (ms: number) => (clock.offsetMs += ms) };
}

const apps: TestApp[] = [];
const clients: ChatClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const a of apps.splice(0)) await a.close();
});

async function start(clock?: { now: () => Date }, dataDir = tempDir()): Promise<TestApp> {
  const t = await startApp({ DEFAULT_TIME_ZONE: 'UTC' }, clock ? { clock } : {}, dataDir);
  apps.push(t);
  return t;
}

/** Replaces the policies in force by `policies`, in order. */
async function setPolicies(t: TestApp, policies: object[]): Promise<any[]> {
  for (const p of (await t.api('GET', '/api/v1/sla-policies')).body.items) expect((await t.api('DELETE', `/api/v1/sla-policies/${p.id}`)).status).toBe(204);
  const made = [];
  for (const p of policies) {
    const res = await t.api('POST', '/api/v1/sla-policies', p);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    made.push(res.body);
  }
  return made;
}

async function openChatCase(t: TestApp, email: string, text = 'My order has not arrived'): Promise<string> {
  const visitor = await ChatClient.open(t.url, { name: 'Visitor', email });
  clients.push(visitor);
  visitor.send({ type: 'message', id: 'm1', text });
  await visitor.waitFor((f) => f.type === 'ack');
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]);
  return kase.number as string;
}

/** The case once its SLA was worked out after its latest change. */
async function settledCase(t: TestApp, number: string): Promise<any> {
  await t.app.switchboard.slaClocks.settled();
  return (await t.api('GET', `/api/v1/cases/${number}`)).body;
}

/** Lets the timers look at the (moved) clock and fire what is due. */
async function fireDue(t: TestApp): Promise<void> {
  t.app.switchboard.timers.wake();
  await new Promise((r) => setTimeout(r, 100));
  await t.app.switchboard.slaClocks.settled();
}

const slaEntries = (kase: any, word: string) => kase.interactions.filter((i: any) => i.direction === 'event' && i.text.startsWith('SLA ') && i.text.includes(word));

describe('a case nobody answers', () => {
  it('is due at the right business minute, warns once, breaches once at that minute and escalates once', async () => {
    // Friday 16:50 UTC; the team works Monday to Friday 09:00–17:00 UTC
    const { clock, advanceTo, advanceBy } = clockAt('2026-06-05T16:50:00Z');
    const t = await start(clock);
    const calendar = (await t.api('GET', '/api/v1/calendars')).body.items.find((c: any) => c.name === 'Default');
    expect(calendar.timeZone).toBe('UTC');
    await setPolicies(t, [
      {
        name: 'Chat',
        match: { channel: 'chat' },
        calendar: calendar.id,
        targets: { firstResponse: 'PT15M' },
        warnBefore: 'PT5M',
        escalations: [
          { when: 'warning', target: 'firstResponse', actions: [{ type: 'notify', channel: 'console' }] },
          { when: 'breach', target: 'any', actions: [{ type: 'priority', value: 1 }, { type: 'tag', value: 'sla-late' }] },
        ],
      },
    ]);
    const number = await openChatCase(t, 'late@example.org');
    const opened = await settledCase(t, number);
    // 10 minutes on Friday (from the moment the case opened, a little after 16:50), 5 on Monday morning
    const lateOpening = Date.parse(opened.createdAt) - Date.parse('2026-06-05T16:50:00Z');
    expect(lateOpening).toBeGreaterThanOrEqual(0);
    expect(lateOpening).toBeLessThan(5 * MIN);
    const due = Date.parse('2026-06-08T09:05:00Z') + lateOpening;
    expect(opened.sla).toMatchObject({ policy: 'Chat', calendar: 'Default', nextResponse: null, resolution: null });
    expect(opened.sla.firstResponse).toMatchObject({ state: 'running', business: true, dueAt: new Date(due).toISOString() });
    const at = (ms: number) => advanceTo(new Date(ms).toISOString());

    // the weekend passes: nothing happens
    advanceTo('2026-06-08T08:59:00Z');
    await fireDue(t);
    expect(slaEntries(await settledCase(t, number), 'SLA')).toEqual([]);

    // inside the last 5 business minutes: one warning
    at(due - 4.5 * MIN);
    await fireDue(t);
    await fireDue(t);
    let kase = await settledCase(t, number);
    expect(slaEntries(kase, 'due soon')).toHaveLength(1);
    expect(slaEntries(kase, 'breached')).toHaveLength(0);
    expect(kase.priority).not.toBe(1);

    // one second before the due moment: still running
    at(due - 1_000);
    await fireDue(t);
    kase = await settledCase(t, number);
    expect(kase.sla.firstResponse.state).toBe('running');
    expect(slaEntries(kase, 'breached')).toHaveLength(0);

    // just past it: breached, escalated once
    at(due + 1_000);
    await fireDue(t);
    kase = await settledCase(t, number);
    expect(kase.sla.firstResponse).toMatchObject({ state: 'breached' });
    expect(kase.sla.firstResponse.remainingSeconds).toBeLessThanOrEqual(0);
    expect(kase.priority).toBe(1);
    expect(kase.tags).toContain('sla-late');
    const breach = slaEntries(kase, 'breached');
    expect(breach).toHaveLength(1);
    expect(breach[0].text).toContain('priority raised');
    expect(breach[0].text).toContain('tagged sla-late');

    // later passes, timers and changes do not escalate it again
    advanceBy(60 * MIN);
    await fireDue(t);
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { priority: 2 })).status).toBe(200);
    await fireDue(t);
    kase = await settledCase(t, number);
    expect(slaEntries(kase, 'breached')).toHaveLength(1);
    expect(slaEntries(kase, 'due soon')).toHaveLength(1);
  });
});

describe('clocks that stop and move', () => {
  const chatPolicies = [
    { name: 'Urgent chat', match: { channel: 'chat', priority: 1 }, calendar: null, targets: { firstResponse: 'PT5M' } },
    { name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M', resolution: 'PT1H' } },
  ];

  it('an answered case is met', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    await setPolicies(t, chatPolicies);
    const number = await openChatCase(t, 'met@example.org');
    advanceBy(4 * MIN);
    expect((await t.api('POST', `/api/v1/cases/${number}/replies`, { text: 'Looking into it now.' })).status).toBe(202);
    advanceBy(20 * MIN);
    await fireDue(t);
    const kase = await settledCase(t, number);
    expect(kase.sla.firstResponse).toMatchObject({ state: 'met' });
    // answered with 11 minutes to spare
    expect(kase.sla.firstResponse.remainingSeconds).toBeGreaterThan(10.9 * 60);
    expect(kase.sla.firstResponse.remainingSeconds).toBeLessThanOrEqual(11 * 60);
    expect(slaEntries(kase, 'breached')).toEqual([]);
  });

  it('waiting for the customer pauses the resolution clock and a reply resumes it', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    await setPolicies(t, chatPolicies);
    const number = await openChatCase(t, 'pause@example.org');
    advanceBy(10 * MIN);
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { state: 'awaiting_customer' })).status).toBe(200);
    let kase = await settledCase(t, number);
    expect(kase.sla.resolution).toMatchObject({ state: 'paused', dueAt: null });
    expect(kase.sla.resolution.remainingSeconds).toBeGreaterThan(49.9 * 60);
    // two hours waiting do not count
    advanceBy(120 * MIN);
    await fireDue(t);
    kase = await settledCase(t, number);
    expect(kase.sla.resolution.state).toBe('paused');
    expect(slaEntries(kase, 'breached').filter((e: any) => e.text.includes('resolution'))).toEqual([]);
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { state: 'open' })).status).toBe(200);
    kase = await settledCase(t, number);
    expect(kase.sla.resolution.state).toBe('running');
    // 50 minutes left from now
    const left = Date.parse(kase.sla.resolution.dueAt) - clock.now().getTime();
    expect(left).toBeGreaterThan(49.9 * MIN);
    expect(left).toBeLessThanOrEqual(50 * MIN);
  });

  it('a change of priority selects another policy and moves the due time', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    await setPolicies(t, chatPolicies);
    const number = await openChatCase(t, 'priority@example.org');
    const before = await settledCase(t, number);
    expect(before.sla.policy).toBe('Chat');
    advanceBy(2 * MIN);
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { priority: 1 })).status).toBe(200);
    const after = await settledCase(t, number);
    expect(after.sla).toMatchObject({ policy: 'Urgent chat', resolution: null });
    // due 5 minutes after the case opened, not 15
    expect(Date.parse(before.sla.firstResponse.dueAt) - Date.parse(after.sla.firstResponse.dueAt)).toBeGreaterThan(9.9 * MIN);
    expect(Date.parse(before.sla.firstResponse.dueAt) - Date.parse(after.sla.firstResponse.dueAt)).toBeLessThanOrEqual(10 * MIN);
    // the list sorted by due time puts it first
    const other = await openChatCase(t, 'other@example.org');
    await settledCase(t, other);
    const due = (await t.api('GET', '/api/v1/cases?sort=due')).body.items.map((c: any) => c.number);
    expect(due).toEqual([number, other]);
  });
});

describe('an escalation that changes the case', () => {
  it('raising the priority selects the policy of the new priority, without escalating the same moment again', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    await setPolicies(t, [
      { name: 'Urgent chat', match: { channel: 'chat', priority: 1 }, calendar: null, targets: { firstResponse: 'PT5M' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'urgent-late' }] }] },
      { name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'priority', value: 1 }] }] },
    ]);
    const number = await openChatCase(t, 'escalated@example.org');
    expect((await settledCase(t, number)).sla.policy).toBe('Chat');
    advanceBy(16 * MIN);
    await fireDue(t);
    const kase = await eventually(async () => {
      const k = await settledCase(t, number);
      return k.sla?.policy === 'Urgent chat' ? k : null;
    });
    expect(kase.priority).toBe(1);
    expect(kase.sla.firstResponse.state).toBe('breached');
    // the first-response breach of this round was escalated once, under the policy in force then
    expect(slaEntries(kase, 'breached')).toHaveLength(1);
    expect(kase.tags).not.toContain('urgent-late');
  });
});

describe('a change of the policies', () => {
  it('applies to the open cases at once: a deleted policy leaves no clock, a new one sets its own', async () => {
    const { clock } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    const [chat] = await setPolicies(t, [{ name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M' } }]);
    const number = await openChatCase(t, 'policy-change@example.org');
    expect((await settledCase(t, number)).sla.policy).toBe('Chat');
    expect((await t.api('DELETE', `/api/v1/sla-policies/${chat.id}`)).status).toBe(204);
    const without = await eventually(async () => {
      const k = await settledCase(t, number);
      return k.sla === null ? k : null;
    });
    expect(without.sla).toBeNull();
    expect((await t.api('POST', '/api/v1/sla-policies', { name: 'Everything', calendar: null, targets: { resolution: 'PT8H' } })).status).toBe(201);
    const under = await eventually(async () => {
      const k = await settledCase(t, number);
      return k.sla?.policy === 'Everything' ? k : null;
    });
    expect(under.sla).toMatchObject({ firstResponse: null, resolution: { state: 'running' } });
  });
});

describe('moments told once, and told again when the promise runs again', () => {
  const lateTag = { when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] };

  it('a policy disabled and enabled again does not tell a breach twice', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    const [chat] = await setPolicies(t, [{ name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M' }, escalations: [lateTag] }]);
    const number = await openChatCase(t, 'twice@example.org');
    await settledCase(t, number);
    advanceBy(16 * MIN);
    await fireDue(t);
    expect(slaEntries(await eventually(async () => ((k) => (slaEntries(k, 'breached').length ? k : null))(await settledCase(t, number))), 'breached')).toHaveLength(1);

    expect((await t.api('PATCH', `/api/v1/sla-policies/${chat.id}`, { enabled: false })).status).toBe(200);
    await eventually(async () => ((await settledCase(t, number)).sla === null ? true : null));
    expect((await t.api('PATCH', `/api/v1/sla-policies/${chat.id}`, { enabled: true })).status).toBe(200);
    const back = await eventually(async () => ((k) => (k.sla?.policy === 'Chat' ? k : null))(await settledCase(t, number)));
    await fireDue(t);
    expect(back.sla.firstResponse.state).toBe('breached');
    expect(slaEntries(await settledCase(t, number), 'breached')).toHaveLength(1);
  });

  it('a lowered priority that puts the case under a longer target tells that target’s breach when it comes', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const t = await start(clock);
    await setPolicies(t, [
      { name: 'Urgent chat', match: { channel: 'chat', priority: 1 }, calendar: null, targets: { firstResponse: 'PT5M' }, escalations: [lateTag] },
      { name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M' }, escalations: [lateTag] },
    ]);
    const number = await openChatCase(t, 'lowered@example.org');
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { priority: 1 })).status).toBe(200);
    expect((await settledCase(t, number)).sla.policy).toBe('Urgent chat');
    advanceBy(6 * MIN);
    await fireDue(t);
    await eventually(async () => (slaEntries(await settledCase(t, number), 'breached').length === 1 ? true : null));

    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { priority: 3 })).status).toBe(200);
    const running = await eventually(async () => ((k) => (k.sla?.policy === 'Chat' ? k : null))(await settledCase(t, number)));
    expect(running.sla.firstResponse.state).toBe('running');
    advanceBy(10 * MIN);
    await fireDue(t);
    const kase = await eventually(async () => ((k) => (slaEntries(k, 'breached').length === 2 ? k : null))(await settledCase(t, number)));
    expect(slaEntries(kase, 'breached').map((e: any) => e.text)).toEqual([expect.stringContaining('policy Urgent chat'), expect.stringContaining('policy Chat')]);
  });
});

describe('changes around the case', () => {
  it('a calendar’s new hours and an account’s new tier apply to the open cases at once', async () => {
    const { clock } = clockAt('2026-06-09T10:00:00Z'); // a Tuesday
    const t = await start(clock);
    const calendar = (await t.api('GET', '/api/v1/calendars')).body.items.find((c: any) => c.name === 'Default');
    await setPolicies(t, [
      { name: 'Gold', match: { tier: ['gold'] }, calendar: null, targets: { firstResponse: 'PT5M' } },
      { name: 'Chat', match: { channel: 'chat' }, calendar: calendar.id, targets: { firstResponse: 'PT8H' } },
    ]);
    const account = (await t.api('POST', '/api/v1/accounts', { name: 'Example Org', domains: ['example.org'] })).body;
    const number = await openChatCase(t, 'hours@example.org');
    const before = await settledCase(t, number);
    expect(before.sla.policy).toBe('Chat');
    // 7 business hours today (10:00–17:00) and 1 tomorrow from 09:00
    const near = (at: string, expected: string) => expect(Math.abs(Date.parse(at) - Date.parse(expected)), `${at} ≈ ${expected}`).toBeLessThan(5_000);
    near(before.sla.firstResponse.dueAt, '2026-06-10T10:00:00Z');

    expect((await t.api('PATCH', `/api/v1/calendars/${calendar.id}`, { windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '08:00', to: '20:00' })) })).status).toBe(200);
    const longer = await eventually(async () => ((k) => (k.sla.firstResponse.dueAt !== before.sla.firstResponse.dueAt ? k : null))(await settledCase(t, number)));
    near(longer.sla.firstResponse.dueAt, '2026-06-09T18:00:00Z');

    expect((await t.api('PATCH', `/api/v1/accounts/${account.id}`, { tier: 'gold' })).status).toBe(200);
    const gold = await eventually(async () => ((k) => (k.sla.policy === 'Gold' ? k : null))(await settledCase(t, number)));
    near(gold.sla.firstResponse.dueAt, '2026-06-09T10:05:00Z');
  });
});

describe('a restart between the due moment and its firing', () => {
  it('fires the breach at the next start, once', async () => {
    const { clock, advanceBy } = clockAt('2026-06-09T10:00:00Z');
    const dataDir = tempDir();
    let t = await start(clock, dataDir);
    await setPolicies(t, [{ name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT15M' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] }] }]);
    const number = await openChatCase(t, 'restart@example.org');
    await settledCase(t, number);
    await t.close();
    apps.splice(apps.indexOf(t), 1);
    // the due moment passes while nothing runs
    advanceBy(30 * MIN);
    t = await start(clock, dataDir);
    const kase = await eventually(async () => {
      const k = await settledCase(t, number);
      return slaEntries(k, 'breached').length === 1 ? k : null;
    });
    expect(kase.tags).toContain('late');
    await t.close();
    apps.splice(apps.indexOf(t), 1);
    // and again: nothing more
    t = await start(clock, dataDir);
    await fireDue(t);
    expect(slaEntries(await settledCase(t, number), 'breached')).toHaveLength(1);
  });
});

describe('on the real clock', () => {
  it('the timer fires within a second of the due moment', async () => {
    const t = await start();
    await setPolicies(t, [{ name: 'Quick', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT2S' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] }] }]);
    const number = await openChatCase(t, 'quick@example.org');
    const opened = await settledCase(t, number);
    const dueAt = Date.parse(opened.sla.firstResponse.dueAt);
    const breach = await eventually(async () => slaEntries((await t.api('GET', `/api/v1/cases/${number}`)).body, 'breached')[0], 10_000);
    const lateMs = Date.parse(breach.createdAt) - dueAt;
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
  });
});
