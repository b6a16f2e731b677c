/**
 * No loops: real auto-replies, bounces and complaint reports delivered over SMTP never open a case;
 * a bounce of one of our answers marks that answer failed with the reason; the acknowledgement mail
 * goes out once per new case and never to a machine.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMail } from '../support/smtp-sink.ts';
import { eventually } from '../support/test-app.ts';
import { newMessageId, outboundStatus, rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));
const files = (dir: string) => fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.eml')).map((f) => `${dir}/${f}`);

const AUTO_REPLIES = ['email-chatwoot/auto_reply.eml', 'email-chatwoot/auto_reply_with_auto_submitted.eml', 'email-chatwoot/non_utf_encoded_mail.eml'];
const COMPLAINTS = [...files('email-flanker/complaints'), 'email-postal-mime/arf.eml'];
const BOUNCES = [
  'email-chatwoot/bounced_gmail.eml',
  'email-chatwoot/bounced_with_no_from.eml',
  ...files('email-flanker/bounce'),
  ...files('email-ruby-mail/multipart_report_emails'),
  'email-postal-mime/bounce.eml',
  'email-mailparser/delivery-status.eml',
];

/** everything queued for sending has been sent (or failed): what the sink holds is final */
async function noPendingSends(t: EmailApp) {
  await eventually(async () => (await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })) === 0, 10_000, 'outbox to drain');
}

async function interactionCount(t: EmailApp) {
  return inStore(t.app.switchboard.db).interaction.count();
}

describe('machine mail from the corpora opens no case', () => {
  // a few corpus files share a Message-ID with another one; a second gateway takes those so that
  // every file is really processed rather than deduplicated
  let a: EmailApp;
  let b: EmailApp;
  beforeAll(async () => {
    a = await startEmailApp();
    b = await startEmailApp();
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it('auto-replies, bounces and complaint reports are stored, answered 250, and ignored', async () => {
    const all = [...AUTO_REPLIES, ...BOUNCES, ...COMPLAINTS];
    expect(all.length).toBeGreaterThanOrEqual(20);
    const seen = new Set<string>();
    for (const f of all) {
      const raw = fixture(f);
      const id = /^message-id:\s*(\S+)/imu.exec(raw.toString('latin1'))?.[1] ?? f;
      const t = seen.has(id) ? b : a;
      seen.add(id);
      const before = await interactionCount(t);
      const res = await t.smtp(raw, { from: '', to: [SUPPORT] });
      expect(res.code, f).toBe(250);
      await t.settled();
      expect(await interactionCount(t), `${f} stored once`).toBe(before + 1);
      const row = await inStore(t.app.switchboard.db).interaction.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
      expect(row.kind, f).not.toBe('message');
      expect(row.status, f).toBe('ignored');
      expect(row.caseId, f).toBeNull();
    }
    expect(await inStore(a.app.switchboard.db).case.count()).toBe(0);
    expect(await inStore(b.app.switchboard.db).case.count()).toBe(0);
    expect(await inStore(a.app.switchboard.db).outboxItem.count()).toBe(0);
    expect(a.sink.messages).toHaveLength(0);
  });
});

describe('bounces of our answers', () => {
  let t: EmailApp;
  beforeAll(async () => {
    t = await startEmailApp();
  });
  afterAll(() => t.stop());

  async function answered(from: string) {
    await t.smtp(rawMail({ from, subject: 'Where is my order' }));
    const [kase] = await t.casesOf(from);
    const before = t.sink.messages.length;
    const res = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'It ships tomorrow.' });
    const [sent] = (await t.sink.waitFor(before + 1)).slice(before);
    await outboundStatus(t, kase.number, res.body.interactionId, ['sent']);
    return { kase, interactionId: res.body.interactionId as string, sent: sent!, ours: await parseMail(sent!.raw) };
  }

  it('a standard DSN for our answer marks it failed with the reason, visible on the case', async () => {
    const { kase, interactionId, sent, ours } = await answered('kim@customer.test');
    const headers = sent.raw.toString('utf8').split(/\r?\n\r?\n/u)[0];
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${newMessageId('mx.customer.test')}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-b"',
      '',
      '--dsn-b',
      'Content-Type: text/plain',
      '',
      'I am sorry to have to inform you that your message could not be delivered.',
      '--dsn-b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; kim@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <kim@customer.test>: Recipient address rejected: User unknown',
      '',
      '--dsn-b',
      'Content-Type: text/rfc822-headers',
      '',
      headers,
      '',
      '--dsn-b--',
      '',
    ].join('\r\n');
    expect((await t.smtp(dsn, { from: '', to: [SUPPORT] })).code).toBe(250);
    const row = await outboundStatus(t, kase.number, interactionId, ['failed']);
    expect(row.error).toMatch(/5\.1\.1.*User unknown/u);
    expect(ours.messageId).toBeTruthy();
    const view = await t.caseView(kase.number);
    expect(view.state).toBe('awaiting_customer');
    expect(view.interactions.filter((i: any) => i.direction === 'inbound' && i.kind === 'message')).toHaveLength(1);
    expect(await inStore(t.app.switchboard.db).case.count()).toBe(1);
  });

  it('Gmail’s bounce (from the Chatwoot corpus) returning our answer marks it failed too', async () => {
    const { kase, interactionId, ours } = await answered('lou@customer.test');
    const raw = fixture('email-chatwoot/bounced_gmail.eml')
      .toString('utf8')
      .replace('<conversation/93775311-9416-4428-964b-862001f8a8b2/messages/27855337@gmail.com>', ours.messageId!)
      .replace('Message-ID: <686707c9.050a0220.302e7d.0cb2.GMR@mx.google.com>', `Message-ID: ${newMessageId('mx.google.com')}`);
    expect((await t.smtp(raw, { from: '', to: [SUPPORT] })).code).toBe(250);
    const row = await outboundStatus(t, kase.number, interactionId, ['failed']);
    expect(row.error).toMatch(/550 5\.1\.1 The email account that you tried to reach does not exist/u);
    expect(await t.casesOf('lou@customer.test')).toHaveLength(1);
  });

  it('a delay notice changes nothing', async () => {
    const { kase, interactionId, ours } = await answered('max@customer.test');
    // flanker's no-mx.eml: "Action: delayed" for the message whose headers it returns
    const raw = fixture('email-flanker/bounce/no-mx.eml').toString('latin1');
    expect(raw).toContain('Action: delayed');
    const patched = raw.replace('<19E44CA63F984902B7D654F8FF40F89D@bo>', ours.messageId!);
    expect(patched).not.toBe(raw);
    expect((await t.smtp(Buffer.from(patched, 'latin1'), { from: '', to: [SUPPORT] })).code).toBe(250);
    await t.settled();
    const view = await t.caseView(kase.number);
    expect(view.interactions.find((i: any) => i.id === interactionId).status).toBe('sent');
  });
});

describe('acknowledgement mail per queue', () => {
  let t: EmailApp;
  const TEMPLATE = 'Hello {{name}}, we received "{{subject}}" as case {{caseNumber}} in {{queue}}.';
  beforeAll(async () => {
    t = await startEmailApp();
    const queues = (await t.api('GET', '/api/v1/queues')).body.items as Array<{ id: string }>;
    for (const q of queues) expect((await t.api('PATCH', `/api/v1/queues/${q.id}`, { ackTemplate: TEMPLATE })).status).toBe(200);
  });
  afterAll(() => t.stop());

  it('a new case gets one acknowledgement, marked as automatic and threaded', async () => {
    const firstId = newMessageId();
    await t.smtp(rawMail({ from: 'Nia <nia@customer.test>', subject: 'Lost parcel', messageId: firstId }));
    const [kase] = await t.casesOf('nia@customer.test');
    const ack = await t.sink.waitForMatch((m) => m.to.includes('nia@customer.test'));
    const mail = await parseMail(ack.raw);
    expect(mail.subject).toBe(`Re: Lost parcel [${kase.number}]`);
    expect(mail.text?.trim()).toBe(`Hello Nia, we received "Lost parcel" as case ${kase.number} in ${kase.queue}.`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.inReplyTo).toBe(firstId);
    const view = await t.caseView(kase.number);
    expect(view.interactions.filter((i: any) => i.direction === 'outbound').map((i: any) => i.kind)).toEqual(['auto_reply']);

    // the customer writes again in the same case: no second acknowledgement
    await t.smtp(rawMail({ from: 'nia@customer.test', subject: `Re: Lost parcel [${kase.number}]`, headers: [`In-Reply-To: ${mail.messageId}`], body: 'Any news?' }));
    await t.settled();
    // and the customer's vacation responder answers the acknowledgement: recorded, nothing sent
    await t.smtp(rawMail({ from: 'nia@customer.test', subject: `Automatic reply: Re: Lost parcel [${kase.number}]`, headers: [`In-Reply-To: ${mail.messageId}`, 'Auto-Submitted: auto-replied'], body: 'I am away.' }));
    await t.settled();
    await noPendingSends(t);
    const after = await t.caseView(kase.number);
    expect(after.interactions.filter((i: any) => i.direction === 'outbound')).toHaveLength(1);
    expect(after.interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => i.kind)).toEqual(['message', 'message', 'auto_reply']);
    expect(t.sink.messages.filter((m) => m.to.includes('nia@customer.test'))).toHaveLength(1);
  });

  it('an auto-reply or bounce from a new sender gets no acknowledgement and no case', async () => {
    const before = t.sink.messages.length;
    await t.smtp(rawMail({ from: 'oof@customer.test', subject: 'Out of office', headers: ['Auto-Submitted: auto-replied'] }));
    await t.smtp(rawMail({ from: 'list@customer.test', subject: 'Weekly news', headers: ['Precedence: bulk'] }));
    await t.smtp(rawMail({ from: 'bot@customer.test', subject: 'Re: hi', headers: ['X-Autorespond: yes'] }));
    await t.smtp(rawMail({ from: 'MAILER-DAEMON@customer.test', subject: 'failure notice' }), { from: '' });
    // a plain-text bounce whose From looks like a person: only the null envelope sender gives it away
    await t.smtp(rawMail({ from: 'bounces@mx.customer.test', subject: 'Undelivered Mail Returned to Sender' }), { from: '' });
    await t.smtp(rawMail({ from: 'helpdesk@customer.test', subject: 'We received your message' }), { from: '' });
    await t.settled();
    await noPendingSends(t);
    expect(t.sink.messages.length).toBe(before);
    for (const who of ['oof@customer.test', 'list@customer.test', 'bot@customer.test', 'bounces@mx.customer.test', 'helpdesk@customer.test']) {
      expect(await t.casesOf(who)).toEqual([]);
    }
  });
});
