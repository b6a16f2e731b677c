/**
 * Carrier keywords through the real gateway: STOP opts the number out (replies then fail with
 * OPTED_OUT without calling Twilio), START / UNSTOP opt it back in, HELP is answered with the help
 * text. Each is recorded on the case it belongs to and none opens or reopens a case.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const HELP_TEXT = 'Acme support <24/7>: reply here or call 0800 000 000. Reply STOP to opt out.';

let api: FakeTwilioApi;
let t: TestApp;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  t = await startApp({ ...smsTestEnv(api), SMS_HELP_TEXT: HELP_TEXT, SMS_RATE_PER_SECOND: '100' });
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

/** Texts the app as the customer and returns the webhook's answer (TwiML). */
async function textFrom(phone: string, body: string): Promise<string> {
  const res = await textTheApp(t, phone, body);
  expect(res.status).toBe(200);
  return res.text;
}

const casesOf = async (phone: string): Promise<any[]> => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
const caseView = async (number: string): Promise<any> => (await t.api('GET', `/api/v1/cases/${number}`)).body;

/** Sends an agent reply and waits for its final word: failed, or accepted by the API. */
async function reply(number: string, text: string): Promise<any> {
  const res = await t.api('POST', `/api/v1/cases/${number}/replies`, { text });
  expect(res.status).toBe(202);
  return eventually(async () => {
    // the outbox entry first: once it is settled, the message's status is final
    const outbox = await inStore(t.app.switchboard.db).outboxItem.findUnique({ where: { interactionId: res.body.interactionId } });
    if (!outbox || outbox.status === 'pending') return null;
    return (await caseView(number)).interactions.find((i: any) => i.id === res.body.interactionId);
  });
}

describe('STOP and START', () => {
  it('STOP is recorded on the case, opens nothing, and replies then fail with OPTED_OUT without calling Twilio', async () => {
    const phone = '+447700900501';
    await textFrom(phone, 'My router keeps rebooting');
    const [kase] = await casesOf(phone);
    expect((await reply(kase.number, 'Have you tried another socket?')).status).toBe('queued');
    const before = api.requests.length;

    expect(await textFrom(phone, 'Stop')).toBe(EMPTY_TWIML);
    expect(await casesOf(phone)).toHaveLength(1);
    const view = await caseView(kase.number);
    expect(view.interactions.at(-1)).toMatchObject({ direction: 'inbound', kind: 'opt_out', text: 'Stop' });

    const refused = await reply(kase.number, 'Are you still there?');
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/^OPTED_OUT/);
    expect(api.requests.length).toBe(before);

    // an ordinary message afterwards still reaches the case; the number stays opted out
    await textFrom(phone, 'Actually it works now');
    expect((await reply(kase.number, 'Great!')).error).toMatch(/^OPTED_OUT/);
    expect(api.requests.length).toBe(before);

    expect(await textFrom(phone, 'START')).toBe(EMPTY_TWIML);
    const resumed = await reply(kase.number, 'Welcome back');
    expect(resumed.status).toBe('queued');
    expect(api.sends.at(-1)!.params).toMatchObject({ To: phone, Body: 'Welcome back' });
    expect((await caseView(kase.number)).interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => i.kind)).toEqual([
      'message',
      'opt_out',
      'message',
      'opt_in',
    ]);
  });

  const family = ['STOP', 'stopall', 'UNSUBSCRIBE', 'end', 'Quit', 'REVOKE', 'optout', 'cancel'];
  it.each(family.map((word, i) => [word, `+44770090060${i}`]))('%j opts out; UNSTOP opts back in', async (word, phone) => {
    await textFrom(phone, 'hello');
    const [kase] = await casesOf(phone);
    await textFrom(phone, ` ${word} `);
    expect((await reply(kase.number, 'one')).error).toMatch(/^OPTED_OUT/);
    await textFrom(phone, 'unstop');
    expect((await reply(kase.number, 'two')).status).toBe('queued');
  });

  it('STOP from a number without a case opens none, and the first case of that number stays opted out', async () => {
    const phone = '+447700900502';
    await textFrom(phone, 'STOP');
    expect(await casesOf(phone)).toHaveLength(0);
    await textFrom(phone, 'Wait, I do have a question');
    const [kase] = await casesOf(phone);
    const before = api.requests.length;
    expect((await reply(kase.number, 'Sure, ask away')).error).toMatch(/^OPTED_OUT/);
    expect(api.requests.length).toBe(before);
  });

  it('STOP on a resolved case records it there without reopening it', async () => {
    const phone = '+447700900503';
    await textFrom(phone, 'Thanks for the help');
    const [kase] = await casesOf(phone);
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'resolved' })).status).toBe(200);
    await textFrom(phone, 'STOP');
    const view = await caseView(kase.number);
    expect(view.state).toBe('resolved');
    expect(view.interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => i.kind)).toEqual(['message', 'opt_out']);
    expect(await casesOf(phone)).toHaveLength(1);
  });

  it('"yes" is an answer for the agent, not a keyword', async () => {
    const phone = '+447700900504';
    await textFrom(phone, 'Is my refund coming?');
    const [kase] = await casesOf(phone);
    await textFrom(phone, 'YES');
    const inbound = (await caseView(kase.number)).interactions.filter((i: any) => i.direction === 'inbound');
    expect(inbound.map((i: any) => [i.kind, i.status])).toEqual([
      ['message', 'processed'],
      ['message', 'processed'],
    ]);
  });
});

describe('HELP', () => {
  const helpTwiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${HELP_TEXT.replace('<', '&lt;').replace('>', '&gt;')}</Message></Response>`;

  it('is answered with the configured help text and recorded on the case, which it does not reopen', async () => {
    const phone = '+447700900511';
    await textFrom(phone, 'Where do I send the form?');
    const [kase] = await casesOf(phone);
    expect(await textFrom(phone, 'help')).toBe(helpTwiml);
    expect(await textFrom(phone, 'INFO')).toBe(helpTwiml);
    const view = await caseView(kase.number);
    expect(view.interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => i.kind)).toEqual(['message', 'help', 'help']);
    expect(await casesOf(phone)).toHaveLength(1);
    // the answer travels in the webhook's response, never through the Messages API
    expect(api.requests.some((r) => r.params.To === phone)).toBe(false);
  });

  it('from a number without a case is answered and opens none; a replay is not answered twice', async () => {
    const phone = '+447700900512';
    const first = await textTheApp(t, phone, 'HELP');
    expect(first.text).toBe(helpTwiml);
    expect((await textTheApp(t, phone, 'HELP', { sid: first.sid })).text).toBe(EMPTY_TWIML);
    const row = await inStore(t.app.switchboard.db).interaction.findFirst({ where: { channel: 'sms', externalId: first.sid } });
    expect(row).toMatchObject({ kind: 'help', status: 'ignored', caseId: null });
    expect(await casesOf(phone)).toHaveLength(0);
  });
});
