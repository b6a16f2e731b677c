/**
 * Machine mail without auto-reply headers through the whole gateway (SMTP in, real SMTP sink out,
 * every queue acknowledging new cases): provider notifications, abuse reports, list-manager
 * notices, carrier gateway errors and localized delivery failures open no case and get no answer,
 * sent with an ordinary envelope sender as relays deliver them; the people's mails next to them
 * (a forwarded bounce among them) open cases as usual. A machine bounce of one of our answers
 * marks that answer failed.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../support/test-app.ts';
import { parseMail } from '../support/smtp-sink.ts';
import { outboundStatus, rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const emls = (dir: string) => fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.eml')).map((f) => `${dir}/${f}`);
const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));
const senderOf = (raw: Buffer) => /^From:.*?<?([^\s<>"]+@[^\s<>"]+)>?\s*$/imu.exec(raw.toString('latin1'))?.[1] ?? '';

async function drained(t: EmailApp) {
  await eventually(async () => (await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })) === 0, 10_000, 'outbox to drain');
}

let t: EmailApp;
beforeAll(async () => {
  t = await startEmailApp();
  const queues = (await t.api('GET', '/api/v1/queues')).body.items as Array<{ id: string }>;
  for (const q of queues) expect((await t.api('PATCH', `/api/v1/queues/${q.id}`, { ackTemplate: 'We opened case {{caseNumber}}.' })).status).toBe(200);
});
afterAll(() => t.stop());

describe('machine mail opens no case and gets no answer', () => {
  it('every provider notification, report, list notice, carrier error and localized failure is stored and ignored', async () => {
    const files = emls('email-machine');
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) {
      const raw = read(f);
      expect((await t.smtp(raw, { from: senderOf(raw), to: [SUPPORT] })).code, f).toBe(250);
      await t.settled();
      const row = await inStore(t.app.switchboard.db).interaction.findFirstOrThrow({ where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' } });
      expect({ f, kind: row.kind === 'message' ? 'message' : 'machine', status: row.status, caseId: row.caseId }).toEqual({ f, kind: 'machine', status: 'ignored', caseId: null });
    }
    await drained(t);
    expect(await inStore(t.app.switchboard.db).case.count()).toBe(0);
    expect(t.sink.messages).toHaveLength(0);
  });
});

describe('people writing about failed deliveries still reach support', () => {
  it('each opens a case and is acknowledged', async () => {
    const files = emls('email-machine-human');
    for (const f of files) {
      const raw = read(f);
      expect((await t.smtp(raw, { from: senderOf(raw), to: [SUPPORT] })).code, f).toBe(250);
      await t.settled();
      const row = await inStore(t.app.switchboard.db).interaction.findFirstOrThrow({ where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' } });
      expect({ f, kind: row.kind, status: row.status }).toEqual({ f, kind: 'message', status: 'processed' });
      expect(row.caseId, f).not.toBeNull();
    }
    await drained(t);
    expect(t.sink.messages).toHaveLength(files.length);
  });
});

describe('a machine bounce of our answer marks it failed', () => {
  async function answered(from: string) {
    await t.smtp(rawMail({ from, subject: 'Where is my order' }));
    const [kase] = await t.casesOf(from);
    // the acknowledgement goes first, so the next mail in the sink is the answer
    await drained(t);
    const before = t.sink.messages.length;
    const res = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'It ships tomorrow.' });
    const [sent] = (await t.sink.waitFor(before + 1)).slice(before);
    await outboundStatus(t, kase.number, res.body.interactionId, ['sent']);
    return { kase, interactionId: res.body.interactionId as string, ours: await parseMail(sent!.raw) };
  }

  it('an Amazon SES bounce notification', async () => {
    const { kase, interactionId, ours } = await answered('kim@customer.test');
    const raw = read('email-machine/ses-bounce-notification.eml').toString('utf8').replaceAll('<CS0001001.q2kd81.b7e4f0@acme.test>', ours.messageId!);
    expect((await t.smtp(raw.replace(/^Message-ID: <0100019a2f3c1e55/mu, 'Message-ID: <second-0100019a2f3c1e55'), { from: 'no-reply@sns.amazonaws.com', to: [SUPPORT] })).code).toBe(250);
    const row = await outboundStatus(t, kase.number, interactionId, ['failed']);
    expect(row.error).toMatch(/5\.1\.1.*User unknown/u);
    expect(await t.casesOf('kim@customer.test')).toHaveLength(1);
  });

  it('a carrier gateway answering "Message could not be delivered"', async () => {
    const phoneMail = '2025550143@vtext.com';
    const { kase, interactionId, ours } = await answered(phoneMail);
    const raw = read('email-machine/carrier-vtext-not-delivered.eml')
      .toString('utf8')
      .replace('<CS0001010.f1a2b3.c4d5e6@acme.test>', ours.messageId!)
      .replace('<1741356000123.2025550143@vtext.com>', '<1741356000999.2025550143@vtext.com>');
    expect((await t.smtp(raw, { from: phoneMail, to: [SUPPORT] })).code).toBe(250);
    await outboundStatus(t, kase.number, interactionId, ['failed']);
    const view = await t.caseView(kase.number);
    expect(view.interactions.filter((i: any) => i.direction === 'inbound').map((i: any) => i.kind)).toEqual(['message', 'bounce']);
  });
});
