/**
 * The channels as an admin sets them up: on or off and why, the settings missing, the exact URLs for the
 * provider, what each serves; a test message through a channel reaches the provider and is stored nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT, startEmailApp, type EmailApp } from './email-kit.ts';
import { parseMail } from '../support/smtp-sink.ts';
import { smsTestEnv, startFakeTwilioApi, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { inStore } from '../support/store-rows.ts';
import { eventually } from '../support/test-app.ts';

let t: EmailApp;
let twilio: FakeTwilioApi;
beforeAll(async () => {
  twilio = await startFakeTwilioApi();
  t = await startEmailApp(smsTestEnv(twilio));
});
afterAll(async () => {
  await t?.close();
  await twilio?.close();
});

describe('the channels page', () => {
  it('says which channels are on, what each still needs, where its provider posts and what it serves', async () => {
    const res = await t.api('GET', '/api/v1/channels');
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.items.map((c: any) => [c.name, c]));
    expect(Object.keys(by).sort()).toEqual(['chat', 'email', 'slack', 'sms']);
    expect(by.chat).toMatchObject({ enabled: true, reason: null, testable: false, missing: [] });
    expect(by.email).toMatchObject({ enabled: true, testable: true, missing: [], addresses: [SUPPORT] });
    expect(by.sms).toMatchObject({ enabled: true, testable: true, missing: [] });
    expect(by.sms.webhooks[0].url).toBe('https://support.example.test/webhooks/twilio/sms');
    expect(by.sms.addresses).toHaveLength(1);
    expect(by.slack).toMatchObject({ enabled: false, testable: false, missing: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET or SLACK_APP_TOKEN'] });
    expect(by.slack.reason).toEqual(expect.any(String));
    expect(by.slack.webhooks.map((w: any) => w.url)).toEqual(Array(3).fill('https://support.example.test/slack/events'));
  });

  it('a test goes straight to the provider, and nothing is stored', async () => {
    const rows = inStore(t.app.switchboard.db);
    const before = [await rows.interaction.count(), await rows.outboxItem.count(), await rows.case.count()];
    const mail = await t.api('POST', '/api/v1/channels/email/test', { to: 'ops@acme.test' });
    expect(mail.status, JSON.stringify(mail.body)).toBe(200);
    expect(mail.body).toMatchObject({ sent: true, status: 'sent' });
    const [got] = await t.sink.waitFor(1);
    expect(got!.to).toEqual(['ops@acme.test']);
    const parsed = await parseMail(got!.raw);
    expect(parsed.subject).toBe('Switchboard test message');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const sms = await t.api('POST', '/api/v1/channels/sms/test', { to: '+14155550199' });
    expect(sms.status, JSON.stringify(sms.body)).toBe(200);
    expect(twilio.sends.at(-1)!.params).toMatchObject({ To: '+14155550199', Body: expect.stringContaining('test message from Switchboard') });
    expect([await rows.interaction.count(), await rows.outboxItem.count(), await rows.case.count()]).toEqual(before);
  });

  it('refuses what cannot be tested, bad addresses, opted-out numbers and anyone but an admin; a provider’s refusal is a 502', async () => {
    const refused = async (name: string, body: unknown, status: number, code: string, token?: string) => {
      const res = await t.api('POST', `/api/v1/channels/${name}/test`, body, token);
      expect(res.status, `${name} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.code).toBe(code);
    };
    await refused('chat', { to: 'x' }, 400, 'CHANNEL_TEST_UNAVAILABLE');
    await refused('slack', { to: 'C0123ABCD' }, 409, 'CHANNEL_OFF');
    await refused('fax', { to: 'x' }, 404, 'NOT_FOUND');
    await refused('email', { to: 'not an address' }, 400, 'VALIDATION_FAILED');
    await refused('sms', { to: '4155550199' }, 400, 'VALIDATION_FAILED');
    await refused('email', {}, 400, 'VALIDATION_FAILED');
    await refused('email', { to: 'a@b.test', cc: 'x' }, 400, 'VALIDATION_FAILED');
    expect((await textTheApp(t, '+14155550177', 'STOP')).status).toBe(200);
    await eventually(async () => (await inStore(t.app.switchboard.db).channelIdentity.findFirst({ where: { address: '+14155550177', optedOut: true } })) ?? null);
    await refused('sms', { to: '+14155550177' }, 409, 'RECIPIENT_OPTED_OUT');
    twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    await refused('sms', { to: '+14155550198' }, 502, 'CHANNEL_SEND_FAILED');
    const sue = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@acme.test', role: 'supervisor' })).body;
    expect((await t.api('GET', '/api/v1/channels', undefined, sue.token)).status).toBe(403);
    await refused('email', { to: 'a@b.test' }, 403, 'FORBIDDEN', sue.token);
  });
});
