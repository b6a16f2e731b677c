/**
 * Provider limits hold across instances: two gateways on one PostgreSQL database book their SMS send turns
 * in the store, so a number's and the account's rates are those of one sender, not one per instance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { postTwilioWebhook, inboundSmsFields, smsTestEnv, startFakeTwilioApi, TEST_TWILIO, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const apps: TestApp[] = [];
let api: FakeTwilioApi | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  await api?.close();
  api = undefined;
});

async function twoInstances(env: Record<string, string>): Promise<[TestApp, TestApp]> {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  const dir = tempDir();
  const a = await startApp({ ...smsTestEnv(api), ...env }, {}, dir);
  apps.push(a);
  const b = await startApp({ ...smsTestEnv(api), ...env }, {}, dir);
  apps.push(b);
  return [a, b];
}

async function caseOfNumber(t: TestApp, from: string): Promise<string> {
  const fields = inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body: 'I need the setup steps' });
  const res = await postTwilioWebhook({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields);
  expect(res.status).toBe(200);
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(from)}`)).body.items[0]?.number, 10_000, `a case of ${from}`);
}

/** Queues the answers through both instances at once; returns how many sends the provider had before. */
async function queueThroughBoth([a, b]: [TestApp, TestApp], answers: Array<{ number: string; text: string }>): Promise<number> {
  const sentBefore = api!.sends.length;
  const accepted = await Promise.all(answers.map(({ number, text }, i) => (i % 2 ? b : a).api('POST', `/api/v1/cases/${number}/replies`, { text })));
  expect(accepted.map((r) => r.status)).toEqual(answers.map(() => 202));
  return sentBefore;
}

/** The arrival times at the provider of the answers, in order, once all of them arrived (each once). */
async function arrivalsOf(answers: Array<{ text: string }>, sentBefore: number): Promise<number[]> {
  await eventually(async () => (api!.sends.length - sentBefore >= answers.length ? true : null), 30_000, 'every answer at the provider');
  const sends = api!.sends.slice(sentBefore);
  expect(sends.map((s) => s.params.Body).sort()).toEqual(answers.map((x) => x.text).sort());
  return sends.map((s) => s.at).sort((x, y) => x - y);
}

const answerThroughBoth = async (pair: [TestApp, TestApp], answers: Array<{ number: string; text: string }>) => arrivalsOf(answers, await queueThroughBoth(pair, answers));

const gapsOf = (arrivals: number[]) => arrivals.slice(1).map((at, i) => at - arrivals[i]!);

describe('send pacing across two instances', () => {
  it('ten answers to one number, sent by both instances in turn, reach the provider a second apart', async () => {
    const [a, b] = await twoInstances({ SMS_RATE_PER_SECOND: '1', SMS_ACCOUNT_RATE_PER_SECOND: '100' });
    const number = await caseOfNumber(a, '+447700900901');
    const answers = [...Array(10).keys()].map((i) => ({ number, text: `Step ${i + 1} of 10` }));
    // the first five leave through A, the last five through B right after: B must wait for A's last turn
    await b.app.switchboard.outbox.stop();
    const first = await answerThroughBoth([a, b], answers.slice(0, 5));
    await a.app.switchboard.outbox.stop();
    b.app.switchboard.outbox.start();
    const second = await answerThroughBoth([a, b], answers.slice(5));
    const arrivals = [...first, ...second];
    // the sends start a second apart; what the provider sees also carries each request's latency (on a
    // loaded machine, one request may take a few hundred ms longer than the next), so the total says more
    for (const gap of gapsOf(arrivals)) expect(gap).toBeGreaterThanOrEqual(750);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(9 * 1000 * 0.95);
  });

  it('the account rate holds while both instances send to several numbers at once', async () => {
    const [a, b] = await twoInstances({ SMS_RATE_PER_SECOND: '100', SMS_ACCOUNT_RATE_PER_SECOND: '4', OUTBOX_CONCURRENCY: '3' });
    const numbers: string[] = [];
    for (let i = 0; i < 6; i++) numbers.push(await caseOfNumber(i % 2 ? b : a, `+44770090091${i}`));
    const answers = [...Array(12).keys()].map((i) => ({ number: numbers[i % 6]!, text: `Notice ${i + 1} for ${numbers[i % 6]}` }));
    // queued while neither sends, then both outboxes start together and share the work
    await Promise.all([a.app.switchboard.outbox.stop(), b.app.switchboard.outbox.stop()]);
    const sentBefore = await queueThroughBoth([a, b], answers);
    a.app.switchboard.outbox.start();
    b.app.switchboard.outbox.start();
    const arrivals = await arrivalsOf(answers, sentBefore);
    for (const gap of gapsOf(arrivals)) expect(gap).toBeGreaterThanOrEqual(250 * 0.8);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(11 * 250 * 0.95);
  });
});
