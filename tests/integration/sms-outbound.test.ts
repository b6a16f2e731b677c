/**
 * Agent answers by SMS through the real gateway and a fake Twilio Messages API: what is sent, how
 * status callbacks move the interaction (never backwards), which API errors fail at once and which
 * retry with backoff, and how sends to one number are paced.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import {
  postTwilioWebhook,
  signTwilioWebhook,
  smsTestEnv,
  startFakeTwilioApi,
  statusCallbackFields,
  TEST_TWILIO,
  textTheApp,
  type FakeTwilioApi,
} from '../support/fake-twilio-api.ts';

const STATUS = '/webhooks/twilio/status';
const RATE_PER_SECOND = 5;
const INTERVAL_MS = 1000 / RATE_PER_SECOND;
const RETRY_BASE_MS = 300;
const MAX_ATTEMPTS = 4;

let api: FakeTwilioApi;
let t: TestApp;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  t = await startApp({
    ...smsTestEnv(api),
    SMS_RATE_PER_SECOND: String(RATE_PER_SECOND),
    OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS),
    OUTBOX_RETRY_MAX_MS: '2000',
    OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  });
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});
beforeEach(() => api.reset());

const target = () => ({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken });
const caseView = async (number: string): Promise<any> => (await t.api('GET', `/api/v1/cases/${number}`)).body;

let nextNumber = 700;
/** A customer texts in from a number of their own; returns the case that opened and the number. */
async function customerCase(): Promise<{ number: string; phone: string }> {
  const phone = `+447700900${nextNumber++}`;
  expect((await textTheApp(t, phone, 'I need help with my order')).status).toBe(200);
  const [kase] = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
  return { number: kase.number, phone };
}

async function reply(number: string, text: string): Promise<string> {
  const res = await t.api('POST', `/api/v1/cases/${number}/replies`, { text });
  expect(res.status).toBe(202);
  return res.body.interactionId;
}

async function interaction(number: string, id: string): Promise<any> {
  return (await caseView(number)).interactions.find((i: any) => i.id === id);
}

/** Waits until the outbox is done with one answer (sent, or failed for good). */
async function settled(id: string, ms = 15_000): Promise<{ status: string; attempts: number; lastError: string | null }> {
  return eventually(async () => {
    const item = await inStore(t.app.switchboard.db).outboxItem.findUnique({ where: { interactionId: id } });
    return item && item.status !== 'pending' ? item : null;
  }, ms, `outbox entry of ${id}`);
}

function postStatus(sid: string, phone: string, status: string, errorCode?: number) {
  const fields = statusCallbackFields({ sid, accountSid: TEST_TWILIO.accountSid, from: TEST_TWILIO.from, to: phone, status, errorCode });
  return postTwilioWebhook(target(), STATUS, fields);
}

describe('an agent reply by SMS', () => {
  it('reaches the Messages API with our number, the customer, the text and our status callback', async () => {
    const { number, phone } = await customerCase();
    const id = await reply(number, 'Your parcel left the depot this morning.');
    expect((await settled(id)).status).toBe('done');
    expect(api.sends).toHaveLength(1);
    const sent = api.sends[0]!;
    expect(sent.accountSid).toBe(TEST_TWILIO.accountSid);
    expect(sent.params).toEqual({
      To: phone,
      From: TEST_TWILIO.from,
      Body: 'Your parcel left the depot this morning.',
      StatusCallback: `${TEST_TWILIO.publicUrl}${STATUS}?i=${id}`,
    });
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${TEST_TWILIO.accountSid}:${TEST_TWILIO.authToken}`).toString('base64')}`);
    expect(await interaction(number, id)).toMatchObject({ direction: 'outbound', channel: 'sms', status: 'queued', error: null });
    expect((await caseView(number)).state).toBe('awaiting_customer');
  });

  it('a status callback that arrives before the API has answered the send still reaches its message', async () => {
    const { number, phone } = await customerCase();
    let early: { status: number } | undefined;
    api.beforeNextAnswer(async (created) => {
      const callback = new URL(created.params.StatusCallback!);
      const fields = statusCallbackFields({ sid: created.sid!, accountSid: TEST_TWILIO.accountSid, from: TEST_TWILIO.from, to: phone, status: 'delivered' });
      early = await postTwilioWebhook(target(), `${callback.pathname}${callback.search}`, fields);
    });
    const id = await reply(number, 'Delivered before you knew it.');
    expect((await settled(id)).status).toBe('done');
    expect(early?.status).toBe(200);
    // the send's own answer ("queued") comes later and does not move the status back
    expect(await interaction(number, id)).toMatchObject({ status: 'delivered', error: null });
  });

  it('a text longer than one SMS can carry fails at once without calling the API', async () => {
    const { number } = await customerCase();
    const id = await reply(number, 'x'.repeat(1601));
    expect((await settled(id)).status).toBe('failed');
    expect((await interaction(number, id)).error).toMatch(/^BODY_TOO_LONG/);
    expect(api.requests).toHaveLength(0);
  });
});

describe('status callbacks', () => {
  it('move the interaction queued → sent → delivered → read and never backwards', async () => {
    const { number, phone } = await customerCase();
    const id = await reply(number, 'Track it here.');
    await settled(id);
    const sid = api.sends[0]!.sid!;
    const statusOf = async () => (await interaction(number, id)).status;

    for (const [posted, expected] of [
      ['queued', 'queued'],
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      // late and duplicate callbacks arrive out of order: they never move it back
      ['sent', 'delivered'],
      ['queued', 'delivered'],
      ['delivered', 'delivered'],
      ['read', 'read'],
      ['delivered', 'read'],
    ] as const) {
      const res = await postStatus(sid, phone, posted);
      expect(res.status).toBe(200);
      expect(await statusOf()).toBe(expected);
    }
  });

  it('undelivered and failed keep Twilio’s error code on the interaction', async () => {
    const { number, phone } = await customerCase();
    const undelivered = await reply(number, 'first');
    const failed = await reply(number, 'second');
    await settled(undelivered);
    await settled(failed);
    const [first, second] = api.sends;
    await postStatus(first!.sid!, phone, 'sent');
    await postStatus(first!.sid!, phone, 'undelivered', 30003);
    await postStatus(second!.sid!, phone, 'failed', 30007);
    // a delivered report after the failure is stale
    await postStatus(second!.sid!, phone, 'sent');
    expect(await interaction(number, undelivered)).toMatchObject({ status: 'undelivered', error: 'Twilio error 30003' });
    expect(await interaction(number, failed)).toMatchObject({ status: 'failed', error: 'Twilio error 30007' });
  });

  it('a callback with a bad signature is 403 and changes nothing; one for an unknown sid is 200 and changes nothing', async () => {
    const { number, phone } = await customerCase();
    const id = await reply(number, 'hello');
    await settled(id);
    const sid = api.sends[0]!.sid!;
    const fields = statusCallbackFields({ sid, accountSid: TEST_TWILIO.accountSid, from: TEST_TWILIO.from, to: phone, status: 'failed', errorCode: 30007 });
    const forged = await postTwilioWebhook(target(), STATUS, fields, { signature: signTwilioWebhook('not-our-token', `${TEST_TWILIO.publicUrl}${STATUS}`, fields) });
    expect(forged.status).toBe(403);
    expect(forged.json().error.code).toBe('BAD_SIGNATURE');
    expect((await postStatus(`SM${'0'.repeat(32)}`, phone, 'failed', 30007)).status).toBe(200);
    const bad = await postTwilioWebhook(target(), STATUS, { MessageSid: sid, MessageStatus: 'exploded' });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_MESSAGE_STATUS');
    expect(await interaction(number, id)).toMatchObject({ status: 'queued', error: null });
  });
});

describe('API errors', () => {
  it.each([
    [21211, "The 'To' number +447700900999 is not a valid phone number.", 'INVALID_RECIPIENT'],
    [21610, 'Attempt to send to unsubscribed recipient', 'RECIPIENT_OPTED_OUT'],
    [21614, "'To' number is not a valid mobile number", 'RECIPIENT_NOT_MOBILE'],
  ])('%i fails at once with the reason on the case', async (code, message, name) => {
    const { number } = await customerCase();
    api.failNext(1, { status: 400, code, message });
    const id = await reply(number, 'Can you hear me?');
    const item = await settled(id);
    expect(item).toMatchObject({ status: 'failed', attempts: 1 });
    expect(api.requests).toHaveLength(1);
    const row = await interaction(number, id);
    expect(row.status).toBe('failed');
    expect(row.error).toBe(`${name}: Twilio error ${code}: ${message}`);
  });

  it('21610 marks the number opted out: the next answer fails at once without calling the API', async () => {
    const { number } = await customerCase();
    api.failNext(1, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    expect((await settled(await reply(number, 'First try'))).status).toBe('failed');
    const requestsBefore = api.requests.length;
    const second = await reply(number, 'Second try');
    expect((await settled(second)).status).toBe('failed');
    expect(api.requests.length).toBe(requestsBefore);
    expect((await interaction(number, second)).error).toMatch(/OPTED_OUT/);
  });

  it.each([
    ['429 Too Many Requests', { status: 429, code: 20429, message: 'Too Many Requests' }],
    ['500', { status: 500, message: 'Internal Server Error' }],
    ['503', { status: 503, message: 'Service Unavailable' }],
    ['a dropped connection', 'drop' as const],
  ])('%s is retried with growing delays, then sent once', async (_name, failure) => {
    const { number } = await customerCase();
    api.failNext(2, failure);
    const id = await reply(number, 'Retry me');
    const item = await settled(id);
    expect(item).toMatchObject({ status: 'done', attempts: 3 });
    const tries = api.requests.filter((r) => r.params.Body === 'Retry me');
    expect(tries.map((r) => r.outcome)).toEqual([failure === 'drop' ? 'dropped' : failure.status, failure === 'drop' ? 'dropped' : failure.status, 201]);
    // backoff doubles from OUTBOX_RETRY_BASE_MS, with at most 20% jitter either way
    const gaps = tries.slice(1).map((r, i) => r.at - tries[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 0.8);
    expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 * 0.8);
    expect(await interaction(number, id)).toMatchObject({ status: 'queued', error: null });
  });

  it(`gives up after OUTBOX_MAX_ATTEMPTS and keeps the last reason`, async () => {
    const { number } = await customerCase();
    api.failNext(MAX_ATTEMPTS, { status: 503, message: 'Service Unavailable' });
    const id = await reply(number, 'Never arrives');
    const item = await settled(id, 20_000);
    expect(item).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(api.requests).toHaveLength(MAX_ATTEMPTS);
    expect(await interaction(number, id)).toMatchObject({ status: 'failed', error: 'PROVIDER_UNAVAILABLE: Twilio HTTP 503: Service Unavailable' });
  });
});

describe('rate limit', () => {
  it(`N answers to one number reach the API at least N-1 intervals of 1/SMS_RATE_PER_SECOND apart`, async () => {
    const { number } = await customerCase();
    // The limiter spaces the starts of sends; the fake API sees arrivals, which also carry the HTTP
    // client's latency and, the app running in this process, the test's own event-loop work. A first send
    // warms the client up (its cold first request is slower); the span then gets 10% slack for jitter.
    expect((await settled(await reply(number, 'warm-up'))).status).toBe('done');
    const sentBefore = api.sends.length;
    const n = 5;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await reply(number, `part ${i + 1} of ${n}`));
    for (const id of ids) expect((await settled(id)).status).toBe('done');
    const arrivals = api.sends.slice(sentBefore).map((s) => s.at);
    expect(arrivals).toHaveLength(n);
    expect(arrivals[n - 1]! - arrivals[0]!).toBeGreaterThanOrEqual((n - 1) * INTERVAL_MS * 0.9);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
  });
});
