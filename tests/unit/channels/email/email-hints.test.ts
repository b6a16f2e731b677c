import { describe, expect, it } from 'vitest';
import { threadHints, caseFromPlusAddress } from '../../../../channels/email/thread-hints.ts';
import { caseFromOurMessageId, extractMessageIds, newMessageId } from '../../../../channels/email/message-id.ts';
import { classifyMail } from '../../../../channels/email/loop-guard.ts';
import { replySubject, replyReferences } from '../../../../channels/email/reply-format.ts';
import { emailConfigFromEnv } from '../../../../channels/email/email.config.ts';
import type { ParsedEmail } from '../../../../channels/email/mime-parser.ts';

function mail(over: Partial<ParsedEmail> = {}): ParsedEmail {
  return { headers: {}, from: [{ address: 'ada@example.org', name: 'Ada' }], replyTo: [], to: [{ address: 'support@example.com', name: '' }], cc: [], text: 'hi', contentType: 'text/plain', attachments: [], subject: 'Help', ...over };
}
const support = ['support@example.com'];

describe('message ids', () => {
  it('generates ids naming the case and recognises only our domain', () => {
    const id = newMessageId('CS0001001', 'example.com', () => 'abc123');
    expect(id).toBe('<CS0001001.abc123@example.com>');
    expect(caseFromOurMessageId(id, ['example.com'])).toBe('CS0001001');
    expect(caseFromOurMessageId('<CS0001001.abc123@evil.test>', ['example.com'])).toBeUndefined();
    expect(caseFromOurMessageId('<random@example.com>', ['example.com'])).toBeUndefined();
    expect(() => newMessageId('1001', 'example.com')).toThrow();
  });

  it('tokenises comma/space separated and unbracketed ids', () => {
    expect(extractMessageIds('<a@x>, <b@y> <a@x>')).toEqual(['<a@x>', '<b@y>']);
    expect(extractMessageIds('a@x b@y')).toEqual(['<a@x>', '<b@y>']);
    expect(extractMessageIds('junk')).toEqual([]);
  });
});

describe('thread hints', () => {
  it('trusts a case from our Message-ID in In-Reply-To (Gmail keeps it)', () => {
    const r = threadHints(mail({ headers: { 'in-reply-to': ['<CS0001007.ff@example.com>'], references: ['<x@y> <CS0001007.ff@example.com>'] } }), { supportAddresses: support });
    expect(r.hints.trustedCaseNumber).toBe('CS0001007');
    expect(r.hints.references).toEqual(['<x@y>', '<CS0001007.ff@example.com>']);
    expect(r.trustedFrom).toBe('message_id');
  });

  it('Outlook reply without In-Reply-To: our id deep in References still proves the case', () => {
    const r = threadHints(mail({ headers: { references: ['<CS0001008.aa@example.com> <AM0PR01MB1234@outlook.com>'], 'thread-index': ['AQHZ'] } }), { supportAddresses: support });
    expect(r.hints.trustedCaseNumber).toBe('CS0001008');
  });

  it('Outlook reply with all ids rewritten: the plus address (our Reply-To) proves the case', () => {
    const r = threadHints(mail({ to: [{ address: 'Support+cs0001009@Example.com', name: '' }], subject: 'AW: Help [CS0001009]' }), { supportAddresses: support });
    expect(r.hints.trustedCaseNumber).toBe('CS0001009');
    expect(r.trustedFrom).toBe('plus_address');
  });

  it('reads the plus address from Delivered-To and the SMTP envelope too', () => {
    expect(threadHints(mail({ headers: { 'delivered-to': ['support+CS0001010@example.com'] } }), { supportAddresses: support }).hints.trustedCaseNumber).toBe('CS0001010');
    expect(threadHints(mail(), { supportAddresses: support, envelopeTo: ['support+CS0001011@example.com'] }).hints.trustedCaseNumber).toBe('CS0001011');
  });

  it('a subject token is only a claim; plus addresses of foreign mailboxes prove nothing', () => {
    const r = threadHints(mail({ subject: 'Re: Help [cs0001012]', cc: [{ address: 'other+CS0001013@example.com', name: '' }] }), { supportAddresses: support });
    expect(r.hints).toEqual({ claimedCaseNumber: 'CS0001012' });
    expect(caseFromPlusAddress(['support+CS0001@example.com'], support)).toBeUndefined();
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
    [{ subject: 'Auto: Help' }, 'auto_reply'],
    [{ subject: 'Question about auto insurance' }, 'message'],
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
  });
});
