/**
 * The gateway runs on the clock it is given, not on the machine's: with a clock ten days ahead,
 * every stored time is on that clock, and threading's continuity (CONTINUITY_HOURS) runs from the
 * case's last customer or agent message on that same clock.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseNumber } from '../../routing/case-number.ts';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Real time shifted ten days ahead (and further when a test steps it on). */
const clock = { offsetMs: 10 * DAY, now: () => new Date(Date.now() + clock.offsetMs) };

let api: FakeTwilioApi;
let t: TestApp;
let agentToken: string;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  t = await startApp({ ...smsTestEnv(api), CONTINUITY_HOURS: '24', SMS_RATE_PER_SECOND: '100' }, { clock });
  const agent = await t.api('POST', '/api/v1/agents', { name: 'Gil Agent', email: 'gil@support.test', presence: 'offline' });
  expect(agent.status).toBe(201);
  agentToken = agent.body.token;
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

/** A time the gateway wrote lies between `from` and now, both read on the injected clock. */
function expectOnInjectedClock(what: string, iso: string | null | undefined, from: Date): void {
  expect(iso, what).toBeTruthy();
  const at = Date.parse(iso!);
  expect(at, `${what} ${iso} is before ${from.toISOString()} (the machine's clock?)`).toBeGreaterThanOrEqual(from.getTime());
  expect(at, `${what} ${iso} is in the future`).toBeLessThanOrEqual(clock.now().getTime());
}

async function textFrom(phone: string, body: string): Promise<void> {
  expect((await textTheApp(t, phone, body)).status).toBe(200);
}

async function openChatCase(email: string, text: string): Promise<{ visitor: ChatClient; kase: any }> {
  const visitor = await ChatClient.open(t.url, { name: 'Chat Visitor', email });
  visitor.send({ type: 'message', id: 'm1', text });
  await visitor.waitFor((f) => f.type === 'ack');
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]);
  return { visitor, kase };
}

async function caseView(number: string): Promise<any> {
  return (await t.api('GET', `/api/v1/cases/${number}`)).body;
}

async function casesOfPhone(phone: string): Promise<any[]> {
  return (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
}

describe('a clock ahead of the machine’s', () => {
  it('an SMS seconds after a chat case opened joins it, and every time stored is on the injected clock', async () => {
    clock.offsetMs = 10 * DAY;
    const from = clock.now();
    const { visitor, kase } = await openChatCase('ivy@example.com', 'My order 5521 is late');
    await visitor.close();
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900501' } })).status).toBe(200);

    await textFrom('+447700900501', 'Any news on 5521?');

    expect((await casesOfPhone('+447700900501')).map((c) => c.number)).toEqual([kase.number]);
    const full = await caseView(kase.number);
    expect(full.routing.thread.reason).toMatch(/open case on chat, active within 24 h/);
    expect(full.interactions.map((i: any) => [i.direction, i.channel])).toEqual([
      ['inbound', 'chat'],
      ['event', 'chat'],
      ['inbound', 'sms'],
    ]);
    expectOnInjectedClock('case createdAt', full.createdAt, from);
    expectOnInjectedClock('case updatedAt', full.updatedAt, from);
    for (const i of full.interactions) expectOnInjectedClock(`${i.direction} ${i.channel} interaction createdAt`, i.createdAt, from);

    const stored = inStore(t.app.switchboard.db);
    const row = await stored.case.findUniqueOrThrow({ where: { id: parseCaseNumber(kase.number) } });
    const contact = await stored.contact.findUniqueOrThrow({ where: { id: row.contactId } });
    expectOnInjectedClock('case lastActivityAt', row.lastActivityAt.toISOString(), from);
    expectOnInjectedClock('contact updatedAt (phone set)', contact.updatedAt.toISOString(), from);
  });

  it('the chat socket stamps answers and history with the injected clock', async () => {
    clock.offsetMs = 10 * DAY;
    const from = clock.now();
    const { visitor, kase } = await openChatCase('jon@example.com', 'Where is my refund?');
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'On its way.' }, agentToken)).status).toBe(202);
    const answer = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expectOnInjectedClock('pushed answer at', answer.at, from);
    await visitor.close();

    await visitor.connect();
    const history = await visitor.waitFor((f) => f.type === 'history');
    expect(history.messages.map((m: any) => m.direction)).toEqual(['inbound', 'outbound']);
    for (const m of history.messages) expectOnInjectedClock(`history ${m.direction} at`, m.at, from);
    await visitor.close();

    const full = await caseView(kase.number);
    expectOnInjectedClock('case updatedAt after the answer', full.updatedAt, from);
  });

  it('continuity runs from the agent’s last answer, not from the customer’s first message', async () => {
    clock.offsetMs = 10 * DAY;
    const { visitor, kase } = await openChatCase('kim@example.com', 'The app crashes on start');
    await visitor.close();
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900502' } })).status).toBe(200);
    try {
      clock.offsetMs = 10 * DAY + 20 * HOUR;
      expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Which version do you run?' }, agentToken)).status).toBe(202);
      // 30 h after the customer wrote, 10 h after the agent did
      clock.offsetMs = 10 * DAY + 30 * HOUR;
      await textFrom('+447700900502', 'Version 4.2');
    } finally {
      clock.offsetMs = 10 * DAY;
    }
    expect((await casesOfPhone('+447700900502')).map((c) => c.number)).toEqual([kase.number]);
  });
});
