/**
 * POST /webhooks/email: raw MIME behind a bearer token, stored exactly as mail that came over SMTP.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/test-app.ts';
import type { EmailChannel } from '../../channels/email/index.ts';
import { newMessageId, rawMail, startEmailApp, HOOK_TOKEN, type EmailApp } from './email-kit.ts';

let t: EmailApp;
beforeAll(async () => {
  t = await startEmailApp();
});
afterAll(() => t.stop());

async function counts() {
  const p = inStore(t.app.switchboard.db);
  await t.settled();
  return { interactions: await p.interaction.count(), cases: await p.case.count(), contacts: await p.contact.count() };
}

describe('POST /webhooks/email', () => {
  it('refuses without the bearer token (401), with a wrong type (415) or too big (413), changing nothing', async () => {
    const before = await counts();
    const refusals: Array<[Record<string, string>, Buffer | string, number, string]> = [
      [{ authorization: '' }, rawMail(), 401, 'UNAUTHORIZED'],
      [{ authorization: 'Bearer wrong-token' }, rawMail(), 401, 'UNAUTHORIZED'],
      [{ authorization: `Basic ${HOOK_TOKEN}` }, rawMail(), 401, 'UNAUTHORIZED'],
      [{ 'content-type': 'application/json' }, JSON.stringify({ raw: rawMail().toString() }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ 'content-type': 'text/plain' }, rawMail(), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ 'content-type': 'message/rfc822' }, Buffer.alloc(30 * 1024 * 1024, 'a'), 413, 'MESSAGE_TOO_LARGE'],
      [{ 'content-type': 'message/rfc822' }, '', 400, 'EMPTY_MESSAGE'],
    ];
    for (const [headers, body, status, code] of refusals) {
      const res = await t.webhook(body, headers);
      expect({ status: res.status, code: res.body?.error?.code }, `${JSON.stringify(headers)}`).toEqual({ status, code });
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(await counts()).toEqual(before);
  });

  it('a wrong token is refused before a large body is read', async () => {
    const res = await fetch(`${t.url}/webhooks/email`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'message/rfc822' },
      body: new Uint8Array(20 * 1024 * 1024),
    });
    expect(res.status).toBe(401);
  });

  it('stores the mail the way SMTP does: same case, contact, text and threading', async () => {
    const viaHook = newMessageId();
    const viaSmtp = newMessageId();
    const mail = (id: string, from: string) => rawMail({ from, messageId: id, subject: 'Same way', body: 'Same body.\n\nOn Mon, 3 Mar 2025, Support <support@acme.test> wrote:\n> old' });
    const res = await t.webhook(mail(viaHook, 'Pat <pat@customer.test>'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ interactionId: expect.any(String), duplicate: false });
    expect((await t.smtp(mail(viaSmtp, 'Quinn <quinn@customer.test>'))).code).toBe(250);
    const [a] = await t.casesOf('pat@customer.test');
    const [b] = await t.casesOf('quinn@customer.test');
    const pick = (c: any) => ({ state: c.state, channel: c.channel, subject: c.subject, queue: c.queue, priority: c.priority });
    expect(pick(a)).toEqual(pick(b));
    const [ia] = (await t.caseView(a.number)).interactions;
    const [ib] = (await t.caseView(b.number)).interactions;
    expect({ ...ia, id: 0, createdAt: 0 }).toEqual({ ...ib, id: 0, createdAt: 0 });
    expect(ia.text).toBe('Same body.');
    const rows = await inStore(t.app.switchboard.db).interaction.findMany({ where: { messageId: { in: [viaHook, viaSmtp] } } });
    expect(rows.map((r) => r.externalId).sort()).toEqual([`${viaHook} pat@customer.test`, `${viaSmtp} quinn@customer.test`].sort());
    expect(new Set(rows.map((r) => r.fullText))).toEqual(new Set([rows[0]!.fullText]));
  });

  it('a Message-ID already received (by either path) is one interaction', async () => {
    const id = newMessageId();
    const raw = rawMail({ from: 'rae@customer.test', messageId: id });
    const first = await t.webhook(raw);
    const second = await t.webhook(raw);
    expect(second.body).toEqual({ interactionId: first.body.interactionId, duplicate: true });
    expect((await t.smtp(raw)).code).toBe(250);
    await t.settled();
    expect(await inStore(t.app.switchboard.db).interaction.count({ where: { messageId: id } })).toBe(1);
    expect(await t.casesOf('rae@customer.test')).toHaveLength(1);
  });

  it('another sender reusing a Message-ID is another message, not a repeat', async () => {
    const id = newMessageId();
    const first = await t.webhook(rawMail({ from: 'uma@customer.test', messageId: id, subject: 'First', body: 'From Uma.' }));
    const other = await t.webhook(rawMail({ from: 'vic@elsewhere.test', messageId: id, subject: 'Second', body: 'From Vic.' }));
    expect(first.body.duplicate).toBe(false);
    expect(other.body).toEqual({ interactionId: expect.any(String), duplicate: false });
    expect(other.body.interactionId).not.toBe(first.body.interactionId);
    await t.settled();
    expect(await t.casesOf('vic@elsewhere.test')).toHaveLength(1);
  });

  it('accepts a content type with parameters and answers ignored for our own mail', async () => {
    const ok = await t.webhook(rawMail({ from: 'sam@customer.test' }), { 'content-type': 'message/rfc822; charset=utf-8' });
    expect(ok.status).toBe(202);
    const own = await t.webhook(rawMail({ from: 'support@acme.test' }));
    expect(own.status).toBe(202);
    expect(own.body).toEqual({ ignored: true, reason: 'own support address' });
  });
});

describe('POST /webhooks/email without EMAIL_WEBHOOK_TOKEN', () => {
  it('answers 503 EMAIL_WEBHOOK_NOT_CONFIGURED and stores nothing', async () => {
    const off = await startEmailApp({ EMAIL_WEBHOOK_TOKEN: '' });
    const res = await off.webhook(rawMail());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('EMAIL_WEBHOOK_NOT_CONFIGURED');
    expect(await inStore(off.app.switchboard.db).interaction.count()).toBe(0);
    await off.stop();
  });
});

describe('SMTP_PORT=0', () => {
  it('turns the listener off; the webhook still takes mail', async () => {
    const app = await startApp({ SMTP_PORT: '0', EMAIL_WEBHOOK_TOKEN: HOOK_TOKEN });
    try {
      expect((app.app.switchboard.channels.get('email') as EmailChannel).smtpAddress()).toBeUndefined();
      const res = await fetch(`${app.url}/webhooks/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
        body: new Uint8Array(rawMail({ from: 'tia@customer.test' })),
      });
      expect(res.status).toBe(202);
      await app.app.switchboard.pipeline.idle();
      expect((await app.api('GET', '/api/v1/cases?contact=tia@customer.test')).body.items).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
