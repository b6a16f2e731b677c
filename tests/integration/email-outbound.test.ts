/**
 * Outbound mail through the outbox: temporary refusals are retried with backoff, permanent ones fail
 * at once, and the reason ends up on the case; without SMTP_URL answers become .eml files.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseMail } from '../support/smtp-sink.ts';
import { eventually } from '../support/test-app.ts';
import { outboundStatus, rawMail, startEmailApp, type EmailApp } from './email-kit.ts';

async function openCase(t: EmailApp, from: string) {
  expect((await t.smtp(rawMail({ from, subject: 'Broken hinge' }))).code).toBe(250);
  const [kase] = await t.casesOf(from);
  return kase;
}

async function reply(t: EmailApp, number: string, text = 'We are sending a new hinge.') {
  const res = await t.api('POST', `/api/v1/cases/${number}/replies`, { text });
  expect(res.status).toBe(202);
  return res.body.interactionId as string;
}

async function outboxItem(t: EmailApp, interactionId: string) {
  return inStore(t.app.switchboard.db).outboxItem.findUniqueOrThrow({ where: { interactionId } });
}

describe('sending through SMTP_URL', () => {
  let t: EmailApp;
  beforeAll(async () => {
    t = await startEmailApp({ OUTBOX_MAX_ATTEMPTS: '3' });
  });
  afterAll(() => t.stop());

  it('a 451 is retried and the answer goes out on the next attempt', async () => {
    const kase = await openCase(t, 'una@customer.test');
    const attempts = t.sink.attempts;
    t.sink.rejectNext({ code: 451, message: '4.3.0 greylisted, try again' });
    const id = await reply(t, kase.number);
    const row = await outboundStatus(t, kase.number, id, ['sent']);
    expect(row.error).toBeNull();
    expect(t.sink.attempts - attempts).toBe(2);
    expect((await outboxItem(t, id)).attempts).toBe(2);
    const mail = await parseMail(t.sink.messages.at(-1)!.raw);
    expect(mail.subject).toBe(`Re: Broken hinge [${kase.number}]`);
  });

  it('a 550 fails at once, with the server’s reason on the case', async () => {
    const kase = await openCase(t, 'vic@customer.test');
    const attempts = t.sink.attempts;
    t.sink.rejectNext({ code: 550, message: '5.1.1 mailbox unavailable' });
    const id = await reply(t, kase.number);
    const row = await outboundStatus(t, kase.number, id, ['failed']);
    expect(row.error).toMatch(/550.*5\.1\.1 mailbox unavailable/u);
    expect(t.sink.attempts - attempts).toBe(1);
    expect(await outboxItem(t, id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('a server that keeps answering 451 ends failed after the last attempt, with the reason', async () => {
    const kase = await openCase(t, 'wes@customer.test');
    const attempts = t.sink.attempts;
    t.sink.reject = { code: 451, message: '4.7.1 rate limited' };
    try {
      const id = await reply(t, kase.number);
      const row = await outboundStatus(t, kase.number, id, ['failed']);
      expect(row.error).toMatch(/451.*4\.7\.1 rate limited/u);
      expect(t.sink.attempts - attempts).toBe(3);
      expect(await outboxItem(t, id)).toMatchObject({ status: 'failed', attempts: 3 });
    } finally {
      t.sink.reject = undefined;
    }
  });

  it('answers to several customers at once all arrive, each once', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push((await openCase(t, `crowd${i}@customer.test`)).number);
    const before = t.sink.messages.length;
    const ids = await Promise.all(numbers.map((n) => reply(t, n, `answer for ${n}`)));
    await Promise.all(ids.map((id, i) => outboundStatus(t, numbers[i]!, id, ['sent'])));
    const got = t.sink.messages.slice(before);
    expect(got).toHaveLength(5);
    expect(got.map((m) => m.to[0]).sort()).toEqual(numbers.map((_, i) => `crowd${i}@customer.test`).sort());
  });
});

describe('the outbound rate limit', () => {
  let t: EmailApp;
  const RATE = 4;
  beforeAll(async () => {
    t = await startEmailApp({ EMAIL_RATE_PER_SECOND: String(RATE) });
  });
  afterAll(() => t.stop());

  it('N answers reach the server at least N-1 intervals of 1/EMAIL_RATE_PER_SECOND apart', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push((await openCase(t, `paced${i}@customer.test`)).number);
    // a first answer opens the pooled connections, whose set-up would otherwise delay the first arrival
    await outboundStatus(t, numbers[0]!, await reply(t, numbers[0]!, 'warm-up'), ['sent']);
    const before = t.sink.messages.length;
    const ids = await Promise.all(numbers.map((n) => reply(t, n, `paced answer for ${n}`)));
    await Promise.all(ids.map((id, i) => outboundStatus(t, numbers[i]!, id, ['sent'])));
    const arrivals = t.sink.messages.slice(before).map((m) => m.at);
    expect(arrivals).toHaveLength(5);
    // the limiter spaces the starts of sends; arrivals also carry the SMTP exchange's jitter, hence 10%
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(4 * (1000 / RATE) * 0.9);
  });
});

describe('an unreachable mail server', () => {
  it('is retried, then the answer ends failed with the connection error', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const t = await startEmailApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_MAX_ATTEMPTS: '2' });
    try {
      const kase = await openCase(t, 'xan@customer.test');
      const id = await reply(t, kase.number);
      const row = await outboundStatus(t, kase.number, id, ['failed']);
      expect(row.error).toMatch(/ECONNREFUSED|connect/iu);
      expect((await outboxItem(t, id)).attempts).toBe(2);
    } finally {
      await t.stop();
    }
  });
});

describe('without SMTP_URL', () => {
  it('answers are written as .eml files under DATA_DIR/outbox', async () => {
    const t = await startEmailApp({ SMTP_URL: '' });
    try {
      const kase = await openCase(t, 'yul@customer.test');
      const id = await reply(t, kase.number, 'Written to disk.');
      await outboundStatus(t, kase.number, id, ['sent']);
      const dir = path.join(t.dataDir, 'outbox');
      const file = await eventually(async () => fs.readdirSync(dir).find((f) => f.endsWith('.eml')));
      expect(file).toContain(kase.number);
      const mail = await parseMail(fs.readFileSync(path.join(dir, file)));
      expect(mail.subject).toBe(`Re: Broken hinge [${kase.number}]`);
      expect(mail.text?.trim()).toBe('Written to disk.');
      expect(mail.messageId).toMatch(new RegExp(`^<${kase.number}\\.`, 'u'));
      expect(t.sink.messages).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });
});
