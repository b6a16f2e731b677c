/**
 * Inbound SMS through the real gateway: signed Twilio form posts open and follow cases by number,
 * replays store nothing, and every malformed request gets a clear 4xx that changes nothing.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/test-app.ts';
import {
  inboundSmsFields,
  newMessageSid,
  postTwilioWebhook,
  signTwilioWebhook,
  smsTestEnv,
  startFakeTwilioApi,
  TEST_TWILIO,
  textTheApp,
  type FakeTwilioApi,
} from '../support/fake-twilio-api.ts';

const INBOUND = '/webhooks/twilio/sms';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let api: FakeTwilioApi;
let t: TestApp;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  t = await startApp(smsTestEnv(api));
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

const target = () => ({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken });
const sms = (from: string, body: string, extra: Partial<Parameters<typeof inboundSmsFields>[0]> = {}) =>
  inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body, ...extra });

async function casesOf(phone: string): Promise<any[]> {
  return (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
}

async function counts() {
  const p = inStore(t.app.switchboard.db);
  return { interactions: await p.interaction.count(), cases: await p.case.count(), contacts: await p.contact.count(), outbox: await p.outboxItem.count() };
}

describe('inbound SMS', () => {
  it('a signed SMS opens a case for the contact with its phone, answered with empty TwiML', async () => {
    const res = await textTheApp(t, '+447700900201', 'Where is my parcel? Order 4411');
    expect(res.status).toBe(200);
    expect(res.text).toBe(EMPTY_TWIML);
    const [kase] = await casesOf('+447700900201');
    expect(kase).toMatchObject({
      channel: 'sms',
      state: 'new',
      subject: 'Where is my parcel? Order 4411',
      contact: { name: null, email: null, phone: '+447700900201' },
    });
    const full = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(full.interactions).toEqual([
      expect.objectContaining({ direction: 'inbound', channel: 'sms', kind: 'message', text: 'Where is my parcel? Order 4411', status: 'processed' }),
    ]);
  });

  it('a follow-up from the same number joins that case; another number gets its own', async () => {
    await textTheApp(t, '+447700900202', 'My bill is wrong');
    expect((await textTheApp(t, '+447700900202', 'It shows two charges for March')).status).toBe(200);
    await textTheApp(t, '+447700900203', 'Different person here');

    const mine = await casesOf('+447700900202');
    expect(mine).toHaveLength(1);
    const full = (await t.api('GET', `/api/v1/cases/${mine[0].number}`)).body;
    expect(full.interactions.map((i: any) => i.text)).toEqual(['My bill is wrong', 'It shows two charges for March']);
    const theirs = await casesOf('+447700900203');
    expect(theirs).toHaveLength(1);
    expect(theirs[0].number).not.toBe(mine[0].number);
  });

  it('a number written with spaces threads with the same number in E.164', async () => {
    await textTheApp(t, '+447700900204', 'first');
    expect((await textTheApp(t, '+44 7700 900204', 'second')).status).toBe(200);
    const cases = await casesOf('+447700900204');
    expect(cases).toHaveLength(1);
    const full = (await t.api('GET', `/api/v1/cases/${cases[0].number}`)).body;
    expect(full.interactions).toHaveLength(2);
  });

  it('MMS media become attachments with their type and URL', async () => {
    const media = [
      { url: `https://api.twilio.com/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/MM1/Media/ME1`, contentType: 'image/jpeg' },
      { url: `https://api.twilio.com/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages/MM1/Media/ME2`, contentType: 'application/pdf' },
    ];
    expect((await textTheApp(t, '+447700900205', 'Photo of the damaged box', { media })).status).toBe(200);
    const [kase] = await casesOf('+447700900205');
    const full = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(full.interactions[0].attachments).toEqual([
      { name: 'media-1.jpg', contentType: 'image/jpeg', size: 0, url: media[0]!.url },
      { name: 'media-2.pdf', contentType: 'application/pdf', size: 0, url: media[1]!.url },
    ]);
  });

  it('a replayed MessageSid is answered 200 and stores nothing new', async () => {
    const fields = sms('+447700900206', 'Only once please');
    expect((await textTheApp(t, '+447700900206', 'Only once please', { sid: fields.MessageSid })).status).toBe(200);
    const before = await counts();
    for (let i = 0; i < 3; i++) {
      const replay = await postTwilioWebhook(target(), INBOUND, fields);
      expect(replay.status).toBe(200);
      expect(replay.text).toBe(EMPTY_TWIML);
    }
    // the same sid with another body is still the same message to Twilio
    const altered = await postTwilioWebhook(target(), INBOUND, { ...fields, Body: 'changed on the way' });
    expect(altered.status).toBe(200);
    expect(await counts()).toEqual(before);
    const [kase] = await casesOf('+447700900206');
    expect((await t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions).toHaveLength(1);
  });
});

describe('bad input gets a clear 4xx and stores nothing', () => {
  const expectError = (res: { status: number; json: () => any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  };

  it('a missing, wrong or foreign signature is 403', async () => {
    const before = await counts();
    const fields = sms('+447700900301', 'forged');
    const url = `${TEST_TWILIO.publicUrl}${INBOUND}`;
    const attempts = [
      await postTwilioWebhook(target(), INBOUND, fields, { signature: '' }),
      await postTwilioWebhook(target(), INBOUND, fields, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
      await postTwilioWebhook(target(), INBOUND, fields, { signature: signTwilioWebhook('another-accounts-token', url, fields) }),
      // signed for the address we listen on instead of PUBLIC_URL
      await postTwilioWebhook(target(), INBOUND, fields, { signature: signTwilioWebhook(TEST_TWILIO.authToken, `${t.url}${INBOUND}`, fields) }),
      // a valid signature over other fields
      await postTwilioWebhook(target(), INBOUND, { ...fields, Body: 'tampered' }, { signature: signTwilioWebhook(TEST_TWILIO.authToken, url, fields) }),
    ];
    for (const res of attempts) expectError(res, 403, 'BAD_SIGNATURE');
    expect(await counts()).toEqual(before);
  });

  it('missing From or MessageSid, and an absurd NumMedia, are 400', async () => {
    const before = await counts();
    const { From: _from, ...noFrom } = sms('+447700900302', 'no sender');
    const { MessageSid: _sid, ...noSid } = sms('+447700900302', 'no sid');
    expectError(await postTwilioWebhook(target(), INBOUND, noFrom), 400, 'MISSING_FROM');
    expectError(await postTwilioWebhook(target(), INBOUND, { ...noFrom, From: '   ' }), 400, 'MISSING_FROM');
    expectError(await postTwilioWebhook(target(), INBOUND, noSid), 400, 'MISSING_MESSAGE_SID');
    expectError(await postTwilioWebhook(target(), INBOUND, sms('+447700900302', 'x', { sid: 'SM<script>' })), 400, 'INVALID_MESSAGE_SID');
    for (const numMedia of ['11', '4294967296', '-1', 'lots', '1e2']) {
      expectError(await postTwilioWebhook(target(), INBOUND, { ...sms('+447700900302', 'media'), NumMedia: numMedia }), 400, 'INVALID_NUM_MEDIA');
    }
    expect(await counts()).toEqual(before);
  });

  it('a 2 MB body is 413 and the server keeps serving', async () => {
    const before = await counts();
    const fields = sms('+447700900303', 'x'.repeat(2 * 1024 * 1024));
    expectError(await postTwilioWebhook(target(), INBOUND, fields), 413, 'PAYLOAD_TOO_LARGE');
    expect(await counts()).toEqual(before);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('bytes that are not UTF-8 are 400 INVALID_ENCODING, even with a signature over their decoding', async () => {
    const before = await counts();
    const sid = newMessageSid();
    const raw = Buffer.concat([
      Buffer.from(`MessageSid=${sid}&AccountSid=${TEST_TWILIO.accountSid}&From=%2B447700900304&To=%2B15017122661&Body=caf`),
      Buffer.from([0xe9, 0xff]),
    ]);
    const decoded = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(raw)));
    const signature = signTwilioWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicUrl}${INBOUND}`, decoded);
    expectError(await postTwilioWebhook(target(), INBOUND, decoded, { body: raw, signature }), 400, 'INVALID_ENCODING');
    // percent-encoded bytes are decoded before the check, so they cannot slip past it
    const escaped = { ...sms('+447700900304', ''), Body: 'caf' };
    const body = `${new URLSearchParams(escaped).toString()}%E9`;
    const lossy = Object.fromEntries(new URLSearchParams(body));
    expectError(
      await postTwilioWebhook(target(), INBOUND, lossy, { body, signature: signTwilioWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicUrl}${INBOUND}`, lossy) }),
      400,
      'INVALID_ENCODING',
    );
    expect(await counts()).toEqual(before);
  });

  it('a JSON or empty body is refused without a crash', async () => {
    const before = await counts();
    const json = await fetch(`${t.url}${INBOUND}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' },
      body: JSON.stringify({ MessageSid: newMessageSid(), From: '+447700900305' }),
    });
    expect(json.status).toBe(415);
    expect((await json.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await fetch(`${t.url}${INBOUND}`, { method: 'POST' });
    expect(empty.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('after all of that the channel still takes a good message', async () => {
    expect((await textTheApp(t, '+447700900306', 'still working?')).status).toBe(200);
    expect(await casesOf('+447700900306')).toHaveLength(1);
  });
});

describe('without Twilio credentials', () => {
  it('the channel is off, says so once in plain words, and its webhooks answer 503 naming the missing settings', async () => {
    const lines: Array<{ msg: string; channel?: string }> = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const off = await startApp({ PUBLIC_URL: TEST_TWILIO.publicUrl }, { logger: { level: 'info', stream } });
    try {
      const fields = sms('+447700900307', 'anyone there?');
      const res = await postTwilioWebhook({ appUrl: off.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, INBOUND, fields);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SMS_NOT_CONFIGURED');
      expect(body.error.message).toContain('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM not set');
      const status = await fetch(`${off.url}/webhooks/twilio/status`, { method: 'POST', body: 'x'.repeat(10) });
      expect(status.status).toBe(503);
      expect(await inStore(off.app.switchboard.db).interaction.count()).toBe(0);
    } finally {
      await off.close();
    }
    const said = lines.filter((l) => l.channel === 'sms' && /off/.test(l.msg)).map((l) => l.msg);
    expect(said).toEqual(['sms channel is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM not set']);
  });
});
