import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadHints, caseFromPlusAddress, casePlusAddress } from '../../../../channels/email/thread-hints.ts';
import { CaseTagger, loadThreadSecret } from '../../../../channels/email/case-tag.ts';
import { caseFromOurMessageId, extractMessageIds, newMessageId } from '../../../../channels/email/message-id.ts';
import { classifyMail } from '../../../../channels/email/loop-guard.ts';
import { replySubject, replyReferences } from '../../../../channels/email/reply-format.ts';
import { emailConfigFromEnv } from '../../../../channels/email/email.config.ts';
import type { ParsedEmail } from '../../../../channels/email/mime-parser.ts';

function mail(over: Partial<ParsedEmail> = {}): ParsedEmail {
  return { headers: {}, from: [{ address: 'ada@example.org', name: 'Ada' }], replyTo: [], to: [{ address: 'support@example.com', name: '' }], cc: [], text: 'hi', contentType: 'text/plain', attachments: [], subject: 'Help', ...over };
}
const support = ['support@example.com'];

const tagger = new CaseTagger('a-test-secret-of-enough-length');
const tag = (n: string) => tagger.tag(n);

describe('case tags', () => {
  it('are stable per case, differ between cases and keys, and verify case-insensitively', () => {
    expect(tag('CS0001001')).toMatch(/^[0-9a-f]{10}$/u);
    expect(tag('CS0001001')).toBe(tag('cs0001001'));
    expect(tag('CS0001001')).not.toBe(tag('CS0001002'));
    expect(new CaseTagger('another-secret-of-enough-length').tag('CS0001001')).not.toBe(tag('CS0001001'));
    expect(tagger.verify('CS0001001', tag('CS0001001').toUpperCase())).toBe(true);
    expect(tagger.verify('CS0001002', tag('CS0001001'))).toBe(false);
    expect(tagger.verify('CS0001001', '')).toBe(false);
    expect(() => new CaseTagger('short')).toThrow();
  });

  it('a generated secret is kept in the data dir and reused; a configured one wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'case-tag-'));
    const file = path.join(dir, 'nested', 'email-thread.key');
    const first = loadThreadSecret(undefined, file);
    expect(first).toMatch(/^[0-9a-f]{64}$/u);
    expect(loadThreadSecret(undefined, file)).toBe(first);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(loadThreadSecret('configured-secret-value', file)).toBe('configured-secret-value');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('message ids', () => {
  it('generates ids naming the case with its tag, and recognises only ours', () => {
    const id = newMessageId('CS0001001', 'example.com', tagger, () => 'abc123');
    expect(id).toBe(`<CS0001001.${tag('CS0001001')}.abc123@example.com>`);
    expect(caseFromOurMessageId(id, ['example.com'], tagger)).toBe('CS0001001');
    expect(caseFromOurMessageId(`<CS0001001.${tag('CS0001001')}.abc123@evil.test>`, ['example.com'], tagger)).toBeUndefined();
    expect(caseFromOurMessageId('<random@example.com>', ['example.com'], tagger)).toBeUndefined();
    // a stranger who knows our format but not the key
    expect(caseFromOurMessageId('<CS0001001.0123456789.abc123@example.com>', ['example.com'], tagger)).toBeUndefined();
    expect(caseFromOurMessageId(`<CS0001002.${tag('CS0001001')}.abc123@example.com>`, ['example.com'], tagger)).toBeUndefined();
    expect(() => newMessageId('1001', 'example.com', tagger)).toThrow();
  });

  it('tokenises comma/space separated and unbracketed ids', () => {
    expect(extractMessageIds('<a@x>, <b@y> <a@x>')).toEqual(['<a@x>', '<b@y>']);
    expect(extractMessageIds('a@x b@y')).toEqual(['<a@x>', '<b@y>']);
    expect(extractMessageIds('junk')).toEqual([]);
  });
});

describe('thread hints', () => {
  const ctx = { supportAddresses: support, tagger };
  const ourId = (n: string, r = 'ff') => `<${n}.${tag(n)}.${r}@example.com>`;

  it('trusts a case from our Message-ID in In-Reply-To (Gmail keeps it)', () => {
    const r = threadHints(mail({ headers: { 'in-reply-to': [ourId('CS0001007')], references: [`<x@y> ${ourId('CS0001007')}`] } }), ctx);
    expect(r.hints.trustedCaseNumber).toBe('CS0001007');
    expect(r.hints.references).toEqual(['<x@y>', ourId('CS0001007')]);
    expect(r.trustedFrom).toBe('message_id');
  });

  it('Outlook reply without In-Reply-To: our id deep in References still proves the case', () => {
    const r = threadHints(mail({ headers: { references: [`${ourId('CS0001008')} <AM0PR01MB1234@outlook.com>`], 'thread-index': ['AQHZ'] } }), ctx);
    expect(r.hints.trustedCaseNumber).toBe('CS0001008');
  });

  it('Outlook reply with all ids rewritten: our tagged plus address (our Reply-To) proves the case', () => {
    const to = `Support+cs0001009.${tag('CS0001009').toUpperCase()}@Example.com`;
    const r = threadHints(mail({ to: [{ address: to, name: '' }], subject: 'AW: Help [CS0001009]' }), ctx);
    expect(r.hints.trustedCaseNumber).toBe('CS0001009');
    expect(r.trustedFrom).toBe('plus_address');
  });

  it('reads the plus address from Delivered-To and the SMTP envelope too', () => {
    expect(threadHints(mail({ headers: { 'delivered-to': [casePlusAddress('support@example.com', 'CS0001010', tagger)] } }), ctx).hints.trustedCaseNumber).toBe('CS0001010');
    expect(threadHints(mail(), { ...ctx, envelopeTo: [casePlusAddress('support@example.com', 'CS0001011', tagger)] }).hints.trustedCaseNumber).toBe('CS0001011');
  });

  it('an untagged or wrongly tagged plus address is only a claim, like a subject token', () => {
    expect(threadHints(mail({ to: [{ address: 'support+CS0001014@example.com', name: '' }] }), ctx).hints).toEqual({ claimedCaseNumber: 'CS0001014' });
    const forged = threadHints(mail({ to: [{ address: `support+CS0001015.${tag('CS0001016')}@example.com`, name: '' }], subject: 'Re: x [CS0001099]' }), ctx);
    expect(forged.hints).toEqual({ claimedCaseNumber: 'CS0001015' });
  });

  it('a subject token is only a claim; plus addresses of foreign mailboxes prove nothing', () => {
    const r = threadHints(mail({ subject: 'Re: Help [cs0001012]', cc: [{ address: `other+CS0001013.${tag('CS0001013')}@example.com`, name: '' }] }), ctx);
    expect(r.hints).toEqual({ claimedCaseNumber: 'CS0001012' });
    expect(caseFromPlusAddress(['support+CS0001@example.com'], support, tagger)).toBeUndefined();
  });
});

describe('loop guard', () => {
  const cases: Array<[Partial<ParsedEmail>, string]> = [
    [{ headers: { 'auto-submitted': ['auto-replied'] } }, 'auto_reply'],
    [{ headers: { 'auto-submitted': ['no'] } }, 'message'],
    [{ headers: { 'x-autorespond': ['yes'] } }, 'auto_reply'],
    [{ headers: { precedence: ['bulk'] } }, 'auto_reply'],
    [{ headers: { precedence: ['first-class'] } }, 'message'],
    [{ headers: { 'list-unsubscribe': ['<mailto:u@x>'] } }, 'auto_reply'],
    [{ subject: 'Automatic reply: Help' }, 'auto_reply'],
    [{ subject: 'Out of Office: back Monday' }, 'auto_reply'],
    [{ subject: 'Automatic reply: Help' }, 'auto_reply'],
    [{ subject: 'Auto: claim question' }, 'message'],
    [{ subject: 'Question about auto insurance' }, 'message'],
    [{ subject: 'On vacation until 3 June' }, 'auto_reply'],
    [{ subject: 'Vacation reply: Help' }, 'auto_reply'],
    [{ subject: 'Vacation package refund not received' }, 'message'],
    [{ subject: 'On vacation and my card was blocked' }, 'message'],
    [{ headers: { 'x-autoreply': ['yes'] } }, 'auto_reply'],
    [{ headers: { precedence: ['junk'] } }, 'auto_reply'],
    [{ headers: { precedence: ['list'] } }, 'auto_reply'],
    [{ headers: { precedence: ['auto_reply'] } }, 'auto_reply'],
    [{ headers: { 'return-path': ['<>'] }, subject: 'Your mail could not be delivered' }, 'auto_reply'],
    [{ headers: { 'return-path': ['<>'] }, subject: 'Undelivered Mail Returned to Sender' }, 'bounce'],
    [{ from: [{ address: 'MAILER-DAEMON@mx.example.net', name: '' }] }, 'bounce'],
    [{ from: [{ address: 'postmaster@example.net', name: '' }] }, 'bounce'],
    [{ contentType: 'multipart/report', reportType: 'delivery-status' }, 'bounce'],
    [{ contentType: 'multipart/report', reportType: 'feedback-report' }, 'auto_reply'],
  ];
  for (const [over, kind] of cases) {
    it(`${JSON.stringify(over)} → ${kind}`, () => {
      expect(classifyMail(mail(over)).kind).toBe(kind);
    });
  }
  it('a mail sent with a null envelope sender (MAIL FROM:<>) is a machine, whatever its headers say', () => {
    // nothing but the envelope gives this one away: a relay's address, a notice subject, no failure wording
    const plainBounce = mail({ from: [{ address: 'relay@mx.example', name: 'Mail Delivery System' }], subject: 'Undelivered Mail Returned to Sender' });
    expect(classifyMail(plainBounce).kind).toBe('message');
    expect(classifyMail(plainBounce, { nullSender: true }).kind).toBe('bounce');
    expect(classifyMail(mail({ subject: 'Thanks for your message' }), { nullSender: true }).kind).toBe('auto_reply');
  });
});

describe('reply format', () => {
  it('one Re: and one case token whatever came before', () => {
    expect(replySubject('RE: Re: AW: Printer [CS0001001] [CS0001001]', 'CS0001001')).toBe('Re: Printer [CS0001001]');
    expect(replySubject('Printer', 'CS0001002')).toBe('Re: Printer [CS0001002]');
    expect(replySubject('', 'CS0001003')).toBe('Re: Your request [CS0001003]');
  });

  it('references: case ids then the answered one, each once, only valid ids', () => {
    expect(replyReferences(['<a@x>', 'garbage', '<b@x>'], '<a@x>')).toEqual(['<b@x>', '<a@x>']);
  });
});

describe('emailConfigFromEnv', () => {
  it('has working defaults', () => {
    const c = emailConfigFromEnv({}, '/data');
    expect(c).toMatchObject({ smtpPort: 2525, smtpHost: '127.0.0.1', fromAddress: 'support@switchboard.local', maxBytes: 25 * 1024 * 1024, ratePerSecond: 5, outboxDir: '/data/outbox', attachmentsDir: '/data/attachments' });
    expect(c.smtpUrl).toBeUndefined();
    expect(c.webhookToken).toBeUndefined();
    expect(c.threadSecret).toBeUndefined();
    expect(c.threadSecretFile).toBe('/data/email-thread.key');
  });

  it('reads a list of support addresses, the first being From', () => {
    const c = emailConfigFromEnv({ SUPPORT_EMAIL: ' Help@Acme.test , billing@acme.test', SMTP_PORT: '0' }, '/d');
    expect(c.supportAddresses).toEqual(['help@acme.test', 'billing@acme.test']);
    expect(c.fromAddress).toBe('help@acme.test');
    expect(c.messageIdDomain).toBe('acme.test');
    expect(c.smtpPort).toBe(0);
  });

  it('refuses nonsense values with a message naming the variable', () => {
    expect(() => emailConfigFromEnv({ SMTP_PORT: 'abc' }, '/d')).toThrow(/SMTP_PORT/u);
    expect(() => emailConfigFromEnv({ EMAIL_RATE_PER_SECOND: '0' }, '/d')).toThrow(/EMAIL_RATE_PER_SECOND/u);
    expect(() => emailConfigFromEnv({ SUPPORT_EMAIL: 'nobody' }, '/d')).toThrow(/SUPPORT_EMAIL/u);
    expect(() => emailConfigFromEnv({ SUPPORT_EMAIL: 'support+x@acme.test' }, '/d')).toThrow(/SUPPORT_EMAIL/u);
    expect(() => emailConfigFromEnv({ EMAIL_THREAD_SECRET: 'too-short' }, '/d')).toThrow(/EMAIL_THREAD_SECRET/u);
  });
});
