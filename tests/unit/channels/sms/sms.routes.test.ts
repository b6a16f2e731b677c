import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmsChannel, smsConfigFromEnv } from '../../../../channels/sms/index.ts';
import { AUTH_TOKEN, captureLogs, form, PUBLIC_URL, readForm, recordingContext, sign, type RecordingContext } from './sms-test-kit.ts';

const INBOUND = '/webhooks/twilio/sms';
const STATUS = '/webhooks/twilio/status';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const NOW = new Date('2025-03-01T10:00:00Z');
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;

interface Harness {
  app: FastifyInstance;
  ctx: RecordingContext;
  logs: ReturnType<typeof captureLogs>['lines'];
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function harness(env: Record<string, string> = {}, prepare?: (app: FastifyInstance) => Promise<void>): Promise<Harness> {
  const logs = captureLogs();
  const ctx = recordingContext(logs.logger);
  const app: FastifyInstance = Fastify({ loggerInstance: logs.logger as FastifyBaseLogger });
  apps.push(app);
  if (prepare) await prepare(app);
  const config = smsConfigFromEnv(
    {
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15017122661',
      PUBLIC_URL,
      SMS_HELP_TEXT: 'Acme <support> & billing: call 555-0100',
      ...env,
    },
    PUBLIC_URL,
  );
  const channel = createSmsChannel(config, ctx, { now: () => NOW });
  await channel.routes!(app);
  await app.ready();
  return { app, ctx, logs: logs.lines };
}

function post(h: Harness, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': FORM_TYPE, ...headers } });
}

/** Posts a body signed the way Twilio would for PUBLIC_URL + path. */
function postSigned(h: Harness, path: string, body: string, headers: Record<string, string> = {}) {
  return post(h, path, body, { 'x-twilio-signature': sign(`${PUBLIC_URL}${path}`, body), ...headers });
}

const inbound = (n: number, extra: Record<string, string> = {}) =>
  form({ MessageSid: sid(n), AccountSid: 'AC00000000000000000000000000000001', From: '+447700900123', To: '+15017122661', Body: 'hello', NumMedia: '0', NumSegments: '1', ...extra });

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe('POST /webhooks/twilio/sms', () => {
  it('stores a signed SMS once and answers empty TwiML', async () => {
    const h = await harness();
    const res = await postSigned(h, INBOUND, readForm('inbound-sms.form'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toBe(EMPTY_TWIML);
    expect(h.ctx.ingested).toHaveLength(1);
    expect(h.ctx.ingested[0]).toMatchObject({
      channel: 'sms',
      externalId: 'SM6f1c0a9e2b7d4c3a8e5f0b1d2c3e4f5a',
      kind: 'message',
      from: { address: '+447700900123', phone: '+447700900123' },
      text: 'Hi, my order #4411 never arrived. Can you help?',
      thread: { byContact: true },
      receivedAt: NOW,
      meta: { to: '+15017122661', numSegments: 1 },
    });
  });

  it('stores MMS media as attachments', async () => {
    const h = await harness();
    const res = await postSigned(h, INBOUND, readForm('inbound-mms.form'));
    expect(res.statusCode).toBe(200);
    expect(h.ctx.ingested[0]?.attachments?.map((a) => a.contentType)).toEqual(['image/jpeg', 'application/pdf']);
  });

  it('answers a replayed MessageSid 200 with empty TwiML and stores nothing new', async () => {
    const h = await harness();
    const body = inbound(1);
    expect((await postSigned(h, INBOUND, body)).statusCode).toBe(200);
    const replay = await postSigned(h, INBOUND, body);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(EMPTY_TWIML);
    expect(h.ctx.ingestCalls).toBe(2);
    expect(h.ctx.ingested).toHaveLength(1);
  });

  describe('signature', () => {
    it.each([
      ['a wrong signature', { 'x-twilio-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
      ['no signature', {}],
      ['a signature for another URL', { 'x-twilio-signature': sign(`http://localhost${INBOUND}`, inbound(1)) }],
      ['a signature made with another token', { 'x-twilio-signature': sign(`${PUBLIC_URL}${INBOUND}`, inbound(1), 'other-token') }],
    ])('%s is a 403 JSON error and stores nothing', async (_name, headers) => {
      const h = await harness();
      const res = await post(h, INBOUND, inbound(1), headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'BAD_SIGNATURE', message: expect.any(String) } });
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('rejects a body changed after signing', async () => {
      const h = await harness();
      const signature = sign(`${PUBLIC_URL}${INBOUND}`, inbound(1));
      const res = await post(h, INBOUND, inbound(1, { Body: 'tampered' }), { 'x-twilio-signature': signature });
      expect(res.statusCode).toBe(403);
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('includes the query string as received', async () => {
      const h = await harness();
      const path = `${INBOUND}?tenant=acme&x=It's`;
      const body = inbound(1);
      const ok = await post(h, path, body, { 'x-twilio-signature': sign(`${PUBLIC_URL}${path}`, body) });
      expect(ok.statusCode).toBe(200);
      const withoutQuery = await post(h, path, inbound(2), { 'x-twilio-signature': sign(`${PUBLIC_URL}${INBOUND}`, inbound(2)) });
      expect(withoutQuery.statusCode).toBe(403);
    });

    it('trusts X-Forwarded-Proto/Host only when TRUST_PROXY is true', async () => {
      const body = inbound(1);
      const headers = {
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'edge.example.net',
        'x-twilio-signature': sign(`https://edge.example.net${INBOUND}`, body),
      };
      const trusting = await harness({ TRUST_PROXY: 'true' });
      expect((await post(trusting, INBOUND, body, headers)).statusCode).toBe(200);
      const strict = await harness();
      expect((await post(strict, INBOUND, body, headers)).statusCode).toBe(403);
      expect(strict.ctx.ingestCalls).toBe(0);
    });
  });

  describe('bad input', () => {
    it.each([
      ['From', 'MISSING_FROM'],
      ['MessageSid', 'MISSING_MESSAGE_SID'],
    ])('a signed body without %s is 400 %s and stores nothing', async (name, code) => {
      const h = await harness();
      const fields = Object.fromEntries(new URLSearchParams(inbound(1)));
      delete fields[name];
      const res = await postSigned(h, INBOUND, form(fields));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it.each(['-1', 'abc', '11', '999'])('NumMedia %j is 400 INVALID_NUM_MEDIA', async (numMedia) => {
      const h = await harness();
      const res = await postSigned(h, INBOUND, inbound(1, { NumMedia: numMedia }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_NUM_MEDIA');
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('media beyond SMS_MAX_MEDIA are dropped, the message is stored, and the reason logged', async () => {
      const h = await harness({ SMS_MAX_MEDIA: '2' });
      const media: Record<string, string> = { NumMedia: '5' };
      for (let i = 0; i < 5; i++) media[`MediaUrl${i}`] = `https://media.example/${i}`;
      const res = await postSigned(h, INBOUND, inbound(1, media));
      expect(res.statusCode).toBe(200);
      expect(h.ctx.ingested[0]?.attachments).toHaveLength(2);
      const logged = h.logs.find((l) => l.msg === 'SMS received');
      expect(logged?.notes).toContain('NumMedia 5 exceeds the limit of 2; kept the first 2');
    });

    it('a 2 MB body is 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
      const h = await harness();
      const body = inbound(1, { Body: 'x'.repeat(2 * 1024 * 1024) });
      const res = await postSigned(h, INBOUND, body);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('a body just over 64 KB is refused, one under is taken', async () => {
      const h = await harness();
      const overhead = inbound(1, { Body: '' }).length;
      const under = await postSigned(h, INBOUND, inbound(1, { Body: 'y'.repeat(65536 - overhead) }));
      expect(under.statusCode).toBe(200);
      const over = await postSigned(h, INBOUND, inbound(2, { Body: 'y'.repeat(65537 - overhead) }));
      expect(over.statusCode).toBe(413);
    });

    it('percent-encoded bytes that are not UTF-8 are 400 INVALID_ENCODING even when signed, and store nothing', async () => {
      const h = await harness();
      const body = inbound(1, { Body: '' }).replace('Body=', 'Body=caf%E9+ok');
      // signed over what the bytes decode to, as anyone holding the token could
      const res = await postSigned(h, INBOUND, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'INVALID_ENCODING', message: 'the body is not valid UTF-8' } });
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('raw non-UTF-8 bytes without a matching signature are a 403, not a crash', async () => {
      const h = await harness();
      const body = Buffer.concat([Buffer.from(`${inbound(1)}&Extra=`), Buffer.from([0xff, 0xfe, 0x80])]);
      const res = await post(h, INBOUND, body, { 'x-twilio-signature': sign(`${PUBLIC_URL}${INBOUND}`, inbound(1)) });
      expect(res.statusCode).toBe(403);
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('raw non-UTF-8 bytes with a signature over their decoding are 400 INVALID_ENCODING', async () => {
      const h = await harness();
      const body = Buffer.concat([Buffer.from(`MessageSid=${sid(1)}&From=%2B447700900123&Body=ab`), Buffer.from([0xff]), Buffer.from('cd')]);
      const decoded = new TextDecoder().decode(body);
      const res = await post(h, INBOUND, body, { 'x-twilio-signature': sign(`${PUBLIC_URL}${INBOUND}`, decoded) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_ENCODING');
      expect(h.ctx.ingestCalls).toBe(0);
    });

    it('a status callback with bytes that are not UTF-8 is 400 and updates nothing', async () => {
      const h = await harness();
      const body = `MessageSid=${sid(3)}&MessageStatus=delivered&ErrorMessage=x%C3%28`;
      const res = await postSigned(h, STATUS, body);
      expect(res.statusCode).toBe(400);
      expect(h.ctx.updates).toHaveLength(0);
    });

    it('a JSON body is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const h = await harness();
      const res = await h.app.inject({
        method: 'POST',
        url: INBOUND,
        payload: JSON.stringify({ MessageSid: sid(1), From: '+447700900123' }),
        headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' },
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('an empty body without a content type is a 403, not a crash', async () => {
      const h = await harness();
      const res = await h.app.inject({ method: 'POST', url: INBOUND });
      expect(res.statusCode).toBe(403);
    });

    it('a store failure is 503 so Twilio retries, and the retry is stored', async () => {
      const h = await harness();
      h.ctx.failIngest = true;
      const failed = await postSigned(h, INBOUND, inbound(1));
      expect(failed.statusCode).toBe(503);
      expect(failed.json().error.code).toBe('INGEST_FAILED');
      h.ctx.failIngest = false;
      expect((await postSigned(h, INBOUND, inbound(1))).statusCode).toBe(200);
      expect(h.ctx.ingested).toHaveLength(1);
    });
  });

  describe('keywords', () => {
    it.each([
      ['STOP', 'opt_out'],
      [' unsubscribe ', 'opt_out'],
      ['start', 'opt_in'],
      ['UNSTOP', 'opt_in'],
    ])('%j is stored as %s and answered with empty TwiML', async (text, kind) => {
      const h = await harness();
      const res = await postSigned(h, INBOUND, inbound(1, { Body: text }));
      expect(res.body).toBe(EMPTY_TWIML);
      expect(h.ctx.ingested[0]?.kind).toBe(kind);
    });

    it('HELP is stored as help and answered with the escaped help text, once', async () => {
      const h = await harness();
      const res = await postSigned(h, INBOUND, inbound(1, { Body: 'help' }));
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acme &lt;support&gt; &amp; billing: call 555-0100</Message></Response>',
      );
      expect(h.ctx.ingested[0]?.kind).toBe('help');
      const replay = await postSigned(h, INBOUND, inbound(1, { Body: 'help' }));
      expect(replay.body).toBe(EMPTY_TWIML);
    });

    it('a sentence containing stop is an ordinary message', async () => {
      const h = await harness();
      await postSigned(h, INBOUND, inbound(1, { Body: 'please stop the delivery' }));
      expect(h.ctx.ingested[0]?.kind).toBe('message');
    });
  });

  it('lives beside @fastify/formbody on the root without clashing', async () => {
    const h = await harness({}, async (app) => {
      await app.register(formbody);
      app.post('/other', async (request) => ({ got: request.body }));
    });
    expect((await postSigned(h, INBOUND, inbound(1))).statusCode).toBe(200);
    const other = await post(h, '/other', 'a=1');
    expect(other.json()).toEqual({ got: { a: '1' } });
  });
});

describe('POST /webhooks/twilio/status', () => {
  const status = (fields: Record<string, string>) => form({ AccountSid: 'AC00000000000000000000000000000001', ...fields });

  it('maps the callback onto updateDelivery and answers 200', async () => {
    const h = await harness();
    h.ctx.knownSids.add('SMd41b6e2c93a84f7e9b0c1d2e3f4a5b6c');
    const res = await postSigned(h, STATUS, readForm('status-undelivered.form'));
    expect(res.statusCode).toBe(200);
    expect(h.ctx.updates).toEqual([
      {
        channel: 'sms',
        externalId: 'SMd41b6e2c93a84f7e9b0c1d2e3f4a5b6c',
        status: 'undelivered',
        error: 'Twilio error 30006: Landline or unreachable carrier',
      },
    ]);
  });

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['failed', 'failed'],
    ['sending', 'queued'],
  ])('%s → %s', async (twilioStatus, mapped) => {
    const h = await harness();
    h.ctx.knownSids.add(sid(7));
    await postSigned(h, STATUS, status({ MessageSid: sid(7), MessageStatus: twilioStatus }));
    expect(h.ctx.updates[0]?.status).toBe(mapped);
  });

  it('an unknown sid is still 200, and logged', async () => {
    const h = await harness();
    const res = await postSigned(h, STATUS, status({ MessageSid: sid(9), MessageStatus: 'delivered' }));
    expect(res.statusCode).toBe(200);
    expect(h.ctx.updates).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === 'SMS status for an unknown message' && l.sid === sid(9))).toBe(true);
  });

  it('a bad signature is 403 and updates nothing', async () => {
    const h = await harness();
    const res = await post(h, STATUS, status({ MessageSid: sid(1), MessageStatus: 'delivered' }), { 'x-twilio-signature': 'nope' });
    expect(res.statusCode).toBe(403);
    expect(h.ctx.updates).toHaveLength(0);
  });

  it.each([
    [{ MessageStatus: 'delivered' }, 'MISSING_MESSAGE_SID'],
    [{ MessageSid: sid(1) }, 'MISSING_MESSAGE_STATUS'],
    [{ MessageSid: sid(1), MessageStatus: 'huh' }, 'INVALID_MESSAGE_STATUS'],
  ])('%j is 400 %s', async (fields, code) => {
    const h = await harness();
    const res = await postSigned(h, STATUS, status(fields));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(h.ctx.updates).toHaveLength(0);
  });

  it('the status of an inbound message is acknowledged without an update', async () => {
    const h = await harness();
    const res = await postSigned(h, STATUS, status({ MessageSid: sid(1), MessageStatus: 'received' }));
    expect(res.statusCode).toBe(200);
    expect(h.ctx.updates).toHaveLength(0);
  });
});
