import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MimeParserPool } from '../../../../channels/email/mime-parser.ts';
import { normalizeMail } from '../../../../channels/email/email-normalizer.ts';
import { AttachmentStore } from '../../../../channels/attachment-store.ts';
import { CaseTagger } from '../../../../channels/email/case-tag.ts';
import type { InboundMessage } from '../../../../channels/channel.types.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');
const SETS = ['email-chatwoot', 'email-stalwart', 'email-mailparser', 'email-postal-mime', 'email-ruby-mail', 'email-flanker', 'email-cpython'];
/** generous: a worker start plus a 1 MB message on a shared 2-core machine */
const PER_MESSAGE_BUDGET_MS = 5000;

let pool: MimeParserPool;
let store: AttachmentStore;
let dataDir: string;

beforeAll(() => {
  pool = new MimeParserPool({ maxBytes: 25 * 1024 * 1024, maxParts: 500, timeoutMs: 10_000, maxHtmlLength: 2 * 1024 * 1024, workers: 2 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-corpus-'));
  store = new AttachmentStore(path.join(dataDir, 'attachments'), 10 * 1024 * 1024, dataDir);
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function mailFiles(set: string): string[] {
  return (fs.readdirSync(path.join(FIXTURES, set), { recursive: true }) as string[])
    .filter((f) => /\.eml$|^msg_.*\.txt$/u.test(path.basename(f)))
    .sort();
}

async function load(rel: string): Promise<InboundMessage> {
  const raw = fs.readFileSync(path.join(FIXTURES, rel));
  const mail = await pool.parse(raw);
  return normalizeMail(raw, mail, {
    supportAddresses: ['support@example.com'],
    tagger: new CaseTagger('corpus-test-secret-0123456789'),
    receivedAt: new Date('2025-01-01T00:00:00Z'),
    attachments: store,
    maxTextChars: 256 * 1024,
    maxTextBytes: 64 * 1024,
    maxHtmlChars: 1024 * 1024,
  });
}

describe('every permissively licensed corpus mail parses', () => {
  for (const set of SETS) {
    it(`${set}: all mails normalize within the time budget`, async () => {
      const files = mailFiles(set);
      expect(files.length).toBeGreaterThan(3);
      for (const f of files) {
        const started = performance.now();
        const msg = await load(path.join(set, f));
        const took = performance.now() - started;
        expect(took, `${set}/${f} took ${took.toFixed(0)} ms`).toBeLessThan(PER_MESSAGE_BUDGET_MS);
        expect(msg.externalId, f).toMatch(/^(<.+> \S+@\S+|sha256:[0-9a-f]{64})$/u);
        expect(typeof msg.text, f).toBe('string');
      }
    });
  }
});

describe('chatwoot mails: loop classification', () => {
  const autoReplies = ['auto_reply.eml', 'auto_reply_with_auto_submitted.eml', 'non_utf_encoded_mail.eml'];
  const bounces = ['bounced_gmail.eml', 'bounced_with_no_from.eml'];

  it('classifies auto-replies and bounces, and every other mail as a message', async () => {
    for (const f of mailFiles('email-chatwoot')) {
      const msg = await load(path.join('email-chatwoot', f));
      const expected = autoReplies.includes(f) ? 'auto_reply' : bounces.includes(f) ? 'bounce' : 'message';
      expect(msg.kind, f).toBe(expected);
    }
  });

  it('reads the failed message id and reason from the Gmail bounce', async () => {
    const msg = await load('email-chatwoot/bounced_gmail.eml');
    expect(msg.failedOutbound?.messageId).toBe('<conversation/93775311-9416-4428-964b-862001f8a8b2/messages/27855337@gmail.com>');
    expect(msg.failedOutbound?.reason).toMatch(/550 5\.1\.1/u);
  });

  it('takes the reason of a Postfix bounce without From from its delivery-status part', async () => {
    const msg = await load('email-chatwoot/bounced_with_no_from.eml');
    expect(msg.failedOutbound?.reason).toMatch(/^5\.7\.1 .*Recipient address rejected/u);
  });
});

describe('chatwoot replies point to their originals', () => {
  const original = '<4e6e35f5a38b4_479f13bb90078178@small-app-01.mail>';
  for (const f of ['reply.eml', 'support_in_reply_to.eml', 'references.eml', 'mail_with_references.eml', 'reply_to.eml', 'forwarder_email.eml']) {
    it(`${f} references the original`, async () => {
      const msg = await load(path.join('email-chatwoot', f));
      expect(msg.thread.references).toContain(original);
    });
  }

  it('puts In-Reply-To last (newest) after References', async () => {
    const msg = await load('email-chatwoot/in_reply_to.eml');
    expect(msg.thread.references).toEqual([original, '<0CB459E0-0336-41DA-BC88-E6E28C697DDB@chatwoot.com>']);
  });

  it('keeps each id once when In-Reply-To repeats it', async () => {
    const msg = await load('email-chatwoot/reply.eml');
    expect(msg.thread.references).toEqual([original]);
  });

  it('uses Reply-To over From as the sender', async () => {
    const msg = await load('email-chatwoot/reply_to.eml');
    const raw = fs.readFileSync(path.join(FIXTURES, 'email-chatwoot/reply_to.eml'), 'latin1');
    const replyTo = /^Reply-To:.*<([^>]+)>/imu.exec(raw)?.[1] ?? /^Reply-To:\s*(\S+@\S+)/imu.exec(raw)?.[1];
    expect(replyTo).toBeDefined();
    expect(msg.from.address).toBe(replyTo!.toLowerCase());
  });

  it('does not trust foreign message ids as case proof', async () => {
    const msg = await load('email-chatwoot/reply_mail_without_uuid.eml');
    expect(msg.thread.trustedCaseNumber).toBeUndefined();
  });
});

describe('bounce corpora', () => {
  const withId: Record<string, string> = {
    'email-flanker/bounce/gmail-invalid-address.eml': '<CAKsfaBUUGqVZiaMrmH3TRPfq1odQPtM7Ey5YW1SgyJJRHtAjgw@mail.gmail.com>',
    'email-flanker/bounce/mailbox-full.eml': '<4E326A95.3010907@example.com>',
    'email-flanker/bounce/office365.eml': '<20171013111011.20866.254C2F3A4D7AA526@ninomail.com>',
    'email-flanker/bounce/zed.eml': '<20090708054735.GC7578@example.com>',
    'email-postal-mime/bounce.eml': '<e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com>',
    'email-ruby-mail/multipart_report_emails/multi_address_bounce1.eml': '<118707422.15521266992174819.JavaMail.root@lvmail01>',
    'email-ruby-mail/multipart_report_emails/multipart_report_multiple_status.eml': '<4c2a146147ac8_61ff157c4ec1652df@s.h.c.mail>',
    'email-ruby-mail/multipart_report_emails/report_530.eml': '<200712232303.lBNN3jDq002941@mail12.rrrr.com.au>',
    'email-mailparser/delivery-status.eml': '<xxxxx@email.amazonses.com>',
  };

  it('recognises every flanker bounce and ruby-mail multipart/report as a bounce', async () => {
    const files = [
      ...mailFiles('email-flanker/bounce').map((f) => `email-flanker/bounce/${f}`),
      ...mailFiles('email-ruby-mail/multipart_report_emails').map((f) => `email-ruby-mail/multipart_report_emails/${f}`),
      'email-postal-mime/bounce.eml',
    ];
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) expect((await load(f)).kind, f).toBe('bounce');
  });

  for (const [file, id] of Object.entries(withId)) {
    it(`${file}: failed message id and an SMTP reason`, async () => {
      const msg = await load(file);
      expect(msg.failedOutbound?.messageId).toBe(id);
      expect(msg.failedOutbound?.reason.length).toBeGreaterThan(3);
    });
  }

  it('a delay notice is a bounce kind but not a failed delivery', async () => {
    const msg = await load('email-flanker/bounce/no-mx.eml');
    expect(msg.kind).toBe('bounce');
    expect(msg.failedOutbound).toBeUndefined();
    expect(msg.meta?.dsnAction).toBe('delayed');
  });

  it('complaint (ARF) reports never count as a customer message', async () => {
    for (const f of ['email-flanker/complaints/aol.eml', 'email-flanker/complaints/yahoo.eml', 'email-postal-mime/arf.eml']) {
      expect((await load(f)).kind, f).toBe('auto_reply');
    }
  });

  it('ordinary mails of the same corpora are messages', async () => {
    for (const f of ['email-flanker/text-only.eml', 'email-flanker/multipart.eml', 'email-postal-mime/mimetorture.eml', 'email-postal-mime/calendar-event.eml', 'email-mailparser/simple.eml']) {
      const msg = await load(f);
      expect(msg.kind, f).toBe('message');
      expect(msg.failedOutbound, f).toBeUndefined();
    }
  });
});

describe('attachments', () => {
  it('over the size cap keep name, type, size and checksum but are not stored', async () => {
    const small = new AttachmentStore(path.join(dataDir, 'small'), 10, dataDir);
    const content = Buffer.from('more than ten bytes of content');
    const stored = await small.put(content);
    expect(stored).toEqual({ sha256: createHash('sha256').update(content).digest('hex'), skipped: 'too_large' });
    expect(fs.existsSync(path.join(dataDir, 'small'))).toBe(false);
    const fits = await small.put(Buffer.from('tiny'));
    expect(fs.readFileSync(path.join(dataDir, fits.storedPath!)).toString()).toBe('tiny');
  });


  it('stores content under attachments/<sha256> with name, type and size', async () => {
    const msg = await load('email-chatwoot/multiple_attachments.eml');
    expect(msg.attachments?.length).toBeGreaterThan(1);
    for (const a of msg.attachments!) {
      expect(a.sha256).toMatch(/^[0-9a-f]{64}$/u);
      expect(a.storedPath).toBe(path.join('attachments', a.sha256!));
      const stored = fs.readFileSync(path.join(dataDir, a.storedPath!));
      expect(stored.length).toBe(a.size);
      expect(a.name.length).toBeGreaterThan(0);
    }
  });
});
