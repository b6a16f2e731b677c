/**
 * Threading by number across channels: once an agent gives a contact a phone number, an SMS from it
 * joins that contact's open case on another channel active within CONTINUITY_HOURS, and the answer
 * goes back by SMS; after that window it opens an SMS case of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const HOUR = 3_600_000;

/** Real time shifted by `offsetMs`: the gateway's clock, moved forward to step past CONTINUITY_HOURS. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

let api: FakeTwilioApi;
let t: TestApp;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  t = await startApp({ ...smsTestEnv(api), CONTINUITY_HOURS: '24', SMS_RATE_PER_SECOND: '100' }, { clock });
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

async function textFrom(phone: string, body: string): Promise<void> {
  expect((await textTheApp(t, phone, body)).status).toBe(200);
}

/** A chat visitor with an email address writes; returns the case that opened. */
async function chatCase(email: string, text: string): Promise<any> {
  const visitor = await ChatClient.open(t.url, { name: 'Chat Visitor', email });
  visitor.send({ type: 'message', id: 'm1', text });
  await visitor.waitFor((f) => f.type === 'ack');
  await visitor.close();
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]);
}

async function caseView(number: string): Promise<any> {
  return (await t.api('GET', `/api/v1/cases/${number}`)).body;
}

describe('an SMS joins the open case of the contact its number belongs to', () => {
  it('the agent records the phone on the case; the next SMS from it joins the chat case and the answer goes by SMS', async () => {
    const kase = await chatCase('ann@example.com', 'My order 4411 has not arrived');
    const patched = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900401' } });
    expect(patched.status).toBe(200);
    expect(patched.body.contact).toEqual({ name: 'Chat Visitor', email: 'ann@example.com', phone: '+447700900401' });

    await textFrom('+447700900401', 'Texting you instead: any news on 4411?');

    const byPhone = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+447700900401')}`)).body.items;
    expect(byPhone.map((c: any) => c.number)).toEqual([kase.number]);
    const full = await caseView(kase.number);
    expect(full.channel).toBe('chat');
    expect(full.interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => [i.channel, i.text])).toEqual([
      ['chat', 'My order 4411 has not arrived'],
      ['sms', 'Texting you instead: any news on 4411?'],
    ]);
    expect(full.interactions.some((i: any) => i.kind === 'event' && /contact phone set to \+447700900401/.test(i.text))).toBe(true);
    expect(full.routing.thread.reason).toMatch(/open case on chat, active within 24 h/);

    // the customer last wrote by SMS, so that is where the answer goes
    const reply = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'It ships tomorrow.' });
    expect(reply.status).toBe(202);
    const sent = await eventually(async () => api.sends.find((s) => s.params.Body === 'It ships tomorrow.'));
    expect(sent.params).toMatchObject({ To: '+447700900401', From: TEST_TWILIO.from });
  });

  it(`after CONTINUITY_HOURS without activity the SMS opens its own case for the same contact`, async () => {
    const kase = await chatCase('bob@example.com', 'Cannot log in');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900402' } })).status).toBe(200);
    clock.offsetMs = 25 * HOUR;
    try {
      await textFrom('+447700900402', 'Still cannot log in');
    } finally {
      clock.offsetMs = 0;
    }
    const byPhone = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+447700900402')}`)).body.items;
    expect(byPhone).toHaveLength(2);
    const smsCase = byPhone.find((c: any) => c.number !== kase.number);
    // the same person: one contact with both addresses
    expect(smsCase).toMatchObject({ channel: 'sms', contact: { email: 'bob@example.com', phone: '+447700900402' } });
    expect((await caseView(kase.number)).interactions.filter((i: any) => i.direction === 'inbound')).toHaveLength(1);
  });

  it('a resolved case on another channel is not joined', async () => {
    const kase = await chatCase('cat@example.com', 'Refund please');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900403' }, state: 'resolved' })).status).toBe(200);
    await textFrom('+447700900403', 'Hello again');
    const byPhone = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+447700900403')}`)).body.items;
    expect(byPhone.map((c: any) => c.channel).sort()).toEqual(['chat', 'sms']);
    expect((await caseView(kase.number)).state).toBe('resolved');
  });

  it('the open SMS case gets the text even when an older SMS case of the contact was touched more recently', async () => {
    const phone = '+447700900406';
    const casesOfPhone = async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
    try {
      await textFrom(phone, 'My router keeps rebooting');
      const [old] = await casesOfPhone();
      expect((await t.api('PATCH', `/api/v1/cases/${old.number}`, { state: 'resolved' })).status).toBe(200);
      clock.offsetMs = 8 * 24 * HOUR; // past REOPEN_DAYS: a new, linked case
      await textFrom(phone, 'It is rebooting again');
      const open = (await casesOfPhone()).find((c: any) => c.number !== old.number);
      expect(open).toMatchObject({ state: 'new', linkedCase: old.number });
      clock.offsetMs = 10 * 24 * HOUR; // the open case has been quiet for two days, more than CONTINUITY_HOURS
      expect((await t.api('PATCH', `/api/v1/cases/${old.number}`, { state: 'closed' })).status).toBe(200);
      await textFrom(phone, 'Any news?');
    } finally {
      clock.offsetMs = 0;
    }
    expect(await casesOfPhone()).toHaveLength(2);
  });

  it('without a recorded phone the SMS sender is a stranger to the chat contact', async () => {
    const kase = await chatCase('dan@example.com', 'Question about billing');
    await textFrom('+447700900404', 'Question about billing, by text');
    const smsCases = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+447700900404')}`)).body.items;
    expect(smsCases).toHaveLength(1);
    expect(smsCases[0].number).not.toBe(kase.number);
    expect(smsCases[0].contact).toEqual({ name: null, email: null, phone: '+447700900404' });
  });

  it('a phone already used by another contact is refused with 409, a malformed one with 400, and nothing changes', async () => {
    await textFrom('+447700900405', 'I text from this number');
    const kase = await chatCase('eve@example.com', 'Hello from chat');
    const taken = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone: '+447700900405' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CONFLICT');
    for (const phone of ['07700 900405', '+0447700900405', '+44', 'call me', '']) {
      const bad = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { phone } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: {} })).status).toBe(400);
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { contact: { email: 'x@example.com' } })).status).toBe(400);
    const after = await caseView(kase.number);
    expect(after.contact.phone).toBeNull();
    expect(after.interactions.filter((i: any) => i.kind === 'event')).toHaveLength(0);
  });
});
