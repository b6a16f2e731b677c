/**
 * Machine mail that carries none of the standard headers, through the real parser and normalizer:
 * provider notifications (Amazon SES / SNS), abuse reports, mailing-list manager notices, carrier
 * SMS/MMS gateway errors, localized delivery failures (ISO-2022-JP included) and ticket-system
 * receipts. None may be a customer message; the people's mails beside them (a forwarded bounce, a
 * parcel that "could not be delivered", a text from a phone) must stay messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let pool: MimeParserPool;
let store: AttachmentStore;
let dataDir: string;

beforeAll(() => {
  pool = new MimeParserPool({ maxBytes: 25 * 1024 * 1024, maxParts: 500, timeoutMs: 10_000, maxHtmlLength: 2 * 1024 * 1024, workers: 2 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'machine-mail-'));
  store = new AttachmentStore(path.join(dataDir, 'attachments'), 10 * 1024 * 1024, dataDir);
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function load(rel: string): Promise<InboundMessage> {
  const raw = fs.readFileSync(path.join(FIXTURES, rel));
  return normalizeMail(raw, await pool.parse(raw), {
    supportAddresses: ['support@acme.test'],
    tagger: new CaseTagger('machine-mail-test-secret-0123456789'),
    receivedAt: new Date('2025-03-01T00:00:00Z'),
    attachments: store,
    maxTextChars: 256 * 1024,
    maxTextBytes: 64 * 1024,
    maxHtmlChars: 1024 * 1024,
  });
}

const emls = (dir: string) => fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.eml')).sort();

/** every fixture of email-machine and the kind it must get */
const MACHINE: Record<string, 'bounce' | 'auto_reply'> = {
  'ses-bounce-notification.eml': 'bounce',
  'ses-bounce-relayed.eml': 'bounce',
  'ses-complaint-notification.eml': 'auto_reply',
  'arf-feedback-part-in-mixed.eml': 'auto_reply',
  'arf-report-no-report-type.eml': 'auto_reply',
  'arf-plain-text.eml': 'auto_reply',
  'mailman-held-for-moderation.eml': 'auto_reply',
  'mailman-request-rejected.eml': 'auto_reply',
  'listserv-not-authorized.eml': 'auto_reply',
  'google-groups-no-permission.eml': 'auto_reply',
  'mail-loop-detected.eml': 'auto_reply',
  'carrier-vtext-not-delivered.eml': 'bounce',
  'carrier-att-mms-error.eml': 'bounce',
  'ndr-de-unzustellbar.eml': 'bounce',
  'ndr-fr-non-remis.eml': 'bounce',
  'ndr-es-no-se-puede-entregar.eml': 'bounce',
  'ndr-pt-nao-entregue.eml': 'bounce',
  'ndr-it-non-recapitabile.eml': 'bounce',
  'ja-carrier-send-error.eml': 'bounce',
  'ja-haishin-funou.eml': 'bounce',
};

describe('machine mail without auto-reply headers', () => {
  it('the fixture set lists every file', () => {
    expect(emls('email-machine')).toEqual(Object.keys(MACHINE).sort());
  });

  for (const [file, kind] of Object.entries(MACHINE)) {
    it(`${file} → ${kind}`, async () => {
      const msg = await load(`email-machine/${file}`);
      expect(msg.kind).toBe(kind);
      expect(String(msg.meta?.classification)).not.toBe('person');
    });
  }

  it('ticket-system receipts and autoresponders in several languages are auto-replies', async () => {
    const files = emls('email-autoresponders');
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect((await load(`email-autoresponders/${f}`)).kind, f).toBe('auto_reply');
  });

  it('mails people wrote about failed deliveries, receipts and thanks stay customer messages', async () => {
    const files = emls('email-machine-human');
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const msg = await load(`email-machine-human/${f}`);
      expect({ f, kind: msg.kind, why: msg.meta?.classification }).toEqual({ f, kind: 'message', why: 'person' });
    }
  });
});

describe('what a machine bounce says about our mail', () => {
  it('an SES bounce notification names our Message-ID and the recipient’s status and diagnostic', async () => {
    const msg = await load('email-machine/ses-bounce-notification.eml');
    expect(msg.failedOutbound?.messageId).toBe('<CS0001001.q2kd81.b7e4f0@acme.test>');
    expect(msg.failedOutbound?.reason).toMatch(/^5\.1\.1 smtp; 550 5\.1\.1 <kim@customer\.test>: Recipient address rejected/u);
  });

  it('an SES event relayed by another sender is read the same way', async () => {
    const msg = await load('email-machine/ses-bounce-relayed.eml');
    expect(msg.failedOutbound).toEqual({ messageId: '<CS0001003.m2p9v4.0e7a1b@acme.test>', reason: '5.2.2 smtp; 552 5.2.2 Mailbox full' });
  });

  it('a carrier gateway answering our mail with an error names it by In-Reply-To', async () => {
    const msg = await load('email-machine/carrier-vtext-not-delivered.eml');
    expect(msg.failedOutbound?.messageId).toBe('<CS0001010.f1a2b3.c4d5e6@acme.test>');
    expect(msg.failedOutbound?.reason).toBeTruthy();
  });

  it('a localized notice keeps the SMTP reply it quotes as the reason', async () => {
    for (const f of ['ndr-de-unzustellbar.eml', 'ndr-fr-non-remis.eml', 'ja-haishin-funou.eml']) {
      expect((await load(`email-machine/${f}`)).failedOutbound?.reason, f).toMatch(/5\.1\.1/u);
    }
  });
});
