import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { createEmailChannel, emailConfigFromEnv, type EmailChannel, type EmailConfig } from '../../../../channels/email/index.ts';
import { recordingContext, type RecordingContext } from './recording-context.ts';
import { CaseTagger } from '../../../../channels/email/case-tag.ts';
import { casePlusAddress } from '../../../../channels/email/thread-hints.ts';
import { MAX_TEXT_BYTES } from '../../../../gateway/pipeline/ingest.ts';

const SECRET = 'channel-test-secret-0123456789';

let dataDir: string;
let ctx: RecordingContext;
let channel: EmailChannel;
let config: EmailConfig;

function rawMail(opts: { from?: string; to?: string; subject?: string; body?: string; headers?: string[] } = {}): Buffer {
  return Buffer.from(
    [
      `From: ${opts.from ?? 'Ada Customer <ada@example.org>'}`,
      `To: ${opts.to ?? 'support@example.com'}`,
      `Subject: ${opts.subject ?? 'Printer on fire'}`,
      `Message-ID: <m-${Math.random().toString(36).slice(2)}@example.org>`,
      ...(opts.headers ?? []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      opts.body ?? 'Hello, my printer is on fire.',
      '',
    ].join('\r\n'),
  );
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-channel-'));
  ctx = recordingContext();
  config = {
    ...emailConfigFromEnv({ SUPPORT_EMAIL: 'support@example.com,help@example.com', EMAIL_WEBHOOK_TOKEN: 'tok-123', EMAIL_THREAD_SECRET: SECRET, EMAIL_MAX_BYTES: String(64 * 1024), SMTP_PORT: '0' }, dataDir),
  };
  channel = createEmailChannel(config, ctx, { listenPort: 0, maxTextBytes: MAX_TEXT_BYTES });
});

afterEach(async () => {
  await channel.stop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SMTP listener', () => {
  function client() {
    const at = channel.smtpAddress()!;
    return nodemailer.createTransport({ host: '127.0.0.1', port: at.port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  }

  it('accepts mail for a support address with 250 and ingests it once', async () => {
    await channel.start!();
    const info = await client().sendMail({ envelope: { from: 'ada@example.org', to: ['support@example.com'] }, raw: rawMail() });
    expect(info.response).toMatch(/^250 /u);
    expect(ctx.ingested).toHaveLength(1);
    expect(ctx.ingested[0]!.from.address).toBe('ada@example.org');
    expect(ctx.ingested[0]!.kind).toBe('message');
  });

  it('accepts plus addresses of the support address; trusts the case number only with its tag', async () => {
    await channel.start!();
    const tagged = casePlusAddress('support@example.com', 'CS0001042', new CaseTagger(SECRET));
    await client().sendMail({ envelope: { from: 'ada@example.org', to: [tagged] }, raw: rawMail({ to: tagged }) });
    expect(ctx.ingested[0]!.thread.trustedCaseNumber).toBe('CS0001042');
    await client().sendMail({ envelope: { from: 'eve@example.org', to: ['support+CS0001042@example.com'] }, raw: rawMail({ to: 'support+CS0001042@example.com' }) });
    expect(ctx.ingested[1]!.thread).toMatchObject({ claimedCaseNumber: 'CS0001042' });
    expect(ctx.ingested[1]!.thread.trustedCaseNumber).toBeUndefined();
  });

  it('refuses other recipients with 550', async () => {
    await channel.start!();
    const err = await client()
      .sendMail({ envelope: { from: 'ada@example.org', to: ['ceo@example.com'] }, raw: rawMail() })
      .catch((e: { responseCode?: number }) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(550);
    expect(ctx.ingested).toHaveLength(0);
  });

  it('refuses mail over the size limit with 552', async () => {
    await channel.start!();
    const err = await client()
      .sendMail({ envelope: { from: 'ada@example.org', to: ['support@example.com'], size: undefined }, raw: rawMail({ body: 'x'.repeat(100 * 1024) }) })
      .catch((e: { responseCode?: number }) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(552);
    expect(ctx.ingested).toHaveLength(0);
  });

  it('answers 451 when ingest fails, so the sender retries', async () => {
    await channel.start!();
    ctx.failIngest = true;
    const err = await client()
      .sendMail({ envelope: { from: 'ada@example.org', to: ['support@example.com'] }, raw: rawMail() })
      .catch((e: { responseCode?: number }) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(451);
  });

  it('answers 250 but ingests nothing for mail from our own support address', async () => {
    await channel.start!();
    const info = await client().sendMail({ envelope: { from: 'support@example.com', to: ['help@example.com'] }, raw: rawMail({ from: 'support@example.com', to: 'help@example.com' }) });
    expect(info.response).toMatch(/^250 /u);
    expect(ctx.ingested).toHaveLength(0);
  });

  it('refuses an empty message without crashing and keeps serving', async () => {
    await channel.start!();
    const err = await client()
      .sendMail({ envelope: { from: 'ada@example.org', to: ['support@example.com'] }, raw: Buffer.from('\r\n\r\n') })
      .catch((e: { responseCode?: number }) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(554);
    const info = await client().sendMail({ envelope: { from: 'ada@example.org', to: ['support@example.com'] }, raw: rawMail() });
    expect(info.response).toMatch(/^250 /u);
  });

  it('is off when SMTP_PORT is 0 and no port override is given', async () => {
    const off = createEmailChannel(config, ctx, { maxTextBytes: MAX_TEXT_BYTES });
    await off.start!();
    expect(off.smtpAddress()).toBeUndefined();
    await off.stop!();
  });
});

describe('POST /webhooks/email', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = Fastify();
    await channel.routes!(app);
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (payload: Buffer | string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/webhooks/email', payload, headers });

  it('ingests raw MIME and answers 202 {interactionId, duplicate}', async () => {
    const raw = rawMail();
    const first = await post(raw, { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ interactionId: 'int-1', duplicate: false });
    const again = await post(raw, { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(again.json()).toEqual({ interactionId: 'int-1', duplicate: true });
    expect(ctx.ingested).toHaveLength(1);
  });

  it('turns line breaks smuggled into an encoded subject into spaces', async () => {
    // "Hi\r\nBcc: victim@example.net" as a UTF-8 base64 encoded-word
    const subject = `=?utf-8?B?${Buffer.from('Hi\r\nBcc: victim@example.net').toString('base64')}?=`;
    const res = await post(rawMail({ subject }), { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(res.statusCode).toBe(202);
    expect(ctx.ingested[0]!.subject).toBe('Hi Bcc: victim@example.net');
  });

  it('answers 401 without or with a wrong token, before reading the body', async () => {
    for (const auth of [undefined, 'Bearer nope', 'Basic tok-123', 'Bearer tok-1234']) {
      const res = await post(rawMail(), { ...(auth ? { authorization: auth } : {}), 'content-type': 'message/rfc822' });
      expect(res.statusCode, auth).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    expect(ctx.ingested).toHaveLength(0);
  });

  it('answers 503 EMAIL_WEBHOOK_NOT_CONFIGURED without a configured token', async () => {
    const bare = Fastify();
    const noToken = createEmailChannel({ ...config, webhookToken: undefined }, ctx, { maxTextBytes: MAX_TEXT_BYTES });
    await noToken.routes!(bare);
    const res = await bare.inject({ method: 'POST', url: '/webhooks/email', payload: rawMail(), headers: { 'content-type': 'message/rfc822', authorization: 'Bearer x' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('EMAIL_WEBHOOK_NOT_CONFIGURED');
    await bare.close();
    await noToken.stop!();
  });

  it('answers 415 for other content types and 413 over the size limit, as JSON errors', async () => {
    const json = await post(JSON.stringify({ raw: 'x' }), { authorization: 'Bearer tok-123', 'content-type': 'application/json' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const odd = await post('hello', { authorization: 'Bearer tok-123', 'content-type': 'application/x-weird' });
    expect(odd.statusCode).toBe(415);
    const big = await post(rawMail({ body: 'y'.repeat(100 * 1024) }), { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('MESSAGE_TOO_LARGE');
    expect(ctx.ingested).toHaveLength(0);
  });

  it('answers 4xx for empty, too many parts; best effort for junk', async () => {
    const auth = { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' };
    const empty = await post('   \r\n', auth);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('EMPTY_MESSAGE');
    const parts = ['MIME-Version: 1.0', 'From: a@example.org', 'Content-Type: multipart/mixed; boundary=b', ''];
    for (let i = 0; i < 600; i++) parts.push('--b', 'Content-Type: text/plain', '', `part ${i}`);
    parts.push('--b--', '');
    const many = await post(parts.join('\r\n'), auth);
    expect(many.statusCode).toBe(422);
    expect(many.json().error.code).toBe('TOO_MANY_PARTS');
    const junk = await post(Buffer.concat([Buffer.from('From: \xff\xfe junk <ada@example.org>\r\nSubject: =?x-unknown?B?AAAA?= \x80\x81\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n', 'latin1'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a])]), auth);
    expect(junk.statusCode).toBe(202);
    expect(ctx.ingested.at(-1)!.from.address).toBe('ada@example.org');
  });

  it('answers 202 ignored:true for mail from our own address', async () => {
    const res = await post(rawMail({ from: 'Support <support@example.com>' }), { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(res.statusCode).toBe(202);
    expect(res.json().ignored).toBe(true);
    expect(ctx.ingested).toHaveLength(0);
  });

  it('answers 503 INGEST_FAILED when the store is down', async () => {
    ctx.failIngest = true;
    const res = await post(rawMail(), { authorization: 'Bearer tok-123', 'content-type': 'message/rfc822' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('INGEST_FAILED');
  });
});
