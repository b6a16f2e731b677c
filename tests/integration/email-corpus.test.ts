/**
 * The Chatwoot mail set through the whole gateway: every reply in it joins the case of the message it
 * answers; its auto-replies are recorded on that case without reopening or answering it; its bounces
 * open nothing. Several files of the set share a Message-ID, so each one gets a fresh gateway — the
 * second copy would otherwise (rightly) be taken for a redelivery.
 */
import { inStore } from '../support/store-rows.ts';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCaseNumber } from '../../routing/case-number.ts';
import { rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/email-chatwoot');
const ORIGINAL = '<4e6e35f5a38b4_479f13bb90078178@small-app-01.mail>';

/** reply file → the Message-ID of the mail it answers */
const REPLIES: Record<string, string> = {
  'reply.eml': ORIGINAL,
  'reply_to.eml': ORIGINAL,
  'reply_mail_without_uuid.eml': ORIGINAL,
  'references.eml': ORIGINAL,
  'in_reply_to.eml': ORIGINAL,
  'multiple_in_reply_to.eml': ORIGINAL,
  'mail_with_references.eml': ORIGINAL,
  'mail_with_no_subject.eml': ORIGINAL,
  'forwarder_email.eml': ORIGINAL,
  'group_sender_support.eml': ORIGINAL,
  'support.eml': ORIGINAL,
  'support_in_reply_to.eml': ORIGINAL,
  'support_uppercase.eml': ORIGINAL,
  'support_without_sender_name.eml': ORIGINAL,
  'welcome.eml': ORIGINAL,
  'mail_with_quote.eml': '<0100017b5d8efc70-c7f18809-aa55-48f6-91fd-b626092ed8b3-000000@email.amazonses.com>',
  'welcome_html.eml':
    '<mW2kUpR9gPvKQwucWUfXr0NM9ZJM8Zef4VLQ0itNtJYsB0O9fHpB6wHrckNJXMAmpIfYWkt-X11WxL2ohnxm6_ysGjHg4-9e-WVOlxg7hYOQiHNy_YpqN9Nr4i59Lq3B8DKlK_tPTbsq7y54XplAAAECAA==@t1.msgid.testmail.com>',
};
const AUTO_REPLIES = ['auto_reply.eml', 'auto_reply_with_auto_submitted.eml', 'non_utf_encoded_mail.eml'];
const BOUNCES = ['bounced_gmail.eml', 'bounced_with_no_from.eml'];

const read = (f: string) => fs.readFileSync(path.join(DIR, f));
const senderOf = (raw: Buffer) => /^From:.*?<?([^\s<>"]+@[^\s<>"]+)>?\s*$/imu.exec(raw.toString('latin1'))?.[1] ?? '';

/** a gateway holding one case, opened by a mail whose Message-ID is `originalId` */
async function gatewayWithOriginal(originalId: string): Promise<{ t: EmailApp; number: string }> {
  const t = await startEmailApp();
  expect((await t.smtp(rawMail({ from: 'Origin <origin@customer.test>', subject: 'Discussion', messageId: originalId }))).code).toBe(250);
  const [kase] = await t.casesOf('origin@customer.test');
  return { t, number: kase.number };
}

describe('Chatwoot replies join their case', () => {
  it('the set lists every reply in it', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    const threaded = files.filter((f) => /^(in-reply-to|references):[ \t]*\S/imu.test(read(f).toString('latin1')));
    expect(threaded.sort()).toEqual([...Object.keys(REPLIES), ...AUTO_REPLIES, 'bounced_gmail.eml'].sort());
  });

  for (const [file, originalId] of Object.entries(REPLIES)) {
    it(file, async () => {
      const { t, number } = await gatewayWithOriginal(originalId);
      try {
        const raw = read(file);
        expect((await t.smtp(raw, { from: senderOf(raw), to: [SUPPORT] })).code).toBe(250);
        await t.settled();
        const p = inStore(t.app.switchboard.db);
        expect(await p.case.count()).toBe(1);
        const row = await p.interaction.findFirstOrThrow({ where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' } });
        expect({ kind: row.kind, status: row.status }).toEqual({ kind: 'message', status: 'processed' });
        expect(row.caseId).toBe(parseCaseNumber(number));
        const view = await t.caseView(number);
        expect(view.interactions.filter((i: any) => i.direction === 'inbound')).toHaveLength(2);
        expect(view.routing.thread.reason).toMatch(/replies to a message of the case/u);
      } finally {
        await t.stop();
      }
    });
  }
});

describe('Chatwoot auto-replies and bounces open no case', () => {
  for (const file of AUTO_REPLIES) {
    it(`${file} is recorded on the case it answers, which stays as it was`, async () => {
      const { t, number } = await gatewayWithOriginal(ORIGINAL);
      try {
        const before = await t.caseView(number);
        const raw = read(file);
        expect((await t.smtp(raw, { from: senderOf(raw), to: [SUPPORT] })).code).toBe(250);
        await t.settled();
        const after = await t.caseView(number);
        expect(await inStore(t.app.switchboard.db).case.count()).toBe(1);
        expect(after.state).toBe(before.state);
        expect(after.interactions.at(-1)).toMatchObject({ direction: 'inbound', kind: 'auto_reply', status: 'ignored' });
        expect(await inStore(t.app.switchboard.db).outboxItem.count()).toBe(0);
      } finally {
        await t.stop();
      }
    });
  }

  it('bounces open none', async () => {
    const t = await startEmailApp();
    try {
      for (const file of BOUNCES) expect((await t.smtp(read(file), { from: '', to: [SUPPORT] })).code, file).toBe(250);
      await t.settled();
      const rows = await inStore(t.app.switchboard.db).interaction.findMany();
      expect(rows.map((r) => [r.kind, r.status, r.caseId])).toEqual([
        ['bounce', 'ignored', null],
        ['bounce', 'ignored', null],
      ]);
      expect(await inStore(t.app.switchboard.db).case.count()).toBe(0);
    } finally {
      await t.stop();
    }
  });
});
