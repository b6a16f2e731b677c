/**
 * The loop guard on mails without machine headers: subjects, senders and wording decide, and a
 * person's words that merely resemble a machine's (thanks, a quoted "do not reply", a parcel that
 * "could not be delivered", pasted JSON) keep the mail a customer message.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedEmail } from '../../../../channels/email/mime-parser.ts';
import { classifyMail } from '../../../../channels/email/loop-guard.ts';
import { readBounce } from '../../../../channels/email/bounce-report.ts';
import { readSesNotification } from '../../../../channels/email/ses-notification.ts';
import { autoresponderSubject, autoresponderText, receiptSubject } from '../../../../channels/email/autoresponder-patterns.ts';

function mail(over: Partial<ParsedEmail> = {}): ParsedEmail {
  return { headers: {}, from: [{ address: 'ann@customer.test', name: 'Ann' }], replyTo: [], to: [], cc: [], text: 'Hello, my order has not arrived.', contentType: 'text/plain', attachments: [], subject: 'Order', ...over };
}
const kindOf = (over: Partial<ParsedEmail>) => classifyMail(mail(over)).kind;
const from = (address: string) => [{ address, name: '' }];

describe('autoresponder subjects', () => {
  const machine = [
    'Abwesenheitsnotiz: Re: Bestellung',
    'Automatische Antwort: Rechnung',
    'Réponse automatique : Facture',
    'Fora do escritório: Pedido',
    'Fuori ufficio: Ordine',
    'Afwezigheidsbericht: Bestelling',
    'Automatiskt svar: Order',
    'Odpowiedź automatyczna: Zamówienie',
    'Автоматический ответ: Заказ',
    '自動応答: ご注文',
    '自动回复: 订单',
    '자동 회신: 주문',
  ];
  const person = [
    'My ticket #1001 received no answer',
    'Ticket 1001 was received damaged',
    'Request for refund',
    'Thank you for your help',
    'Thanks for your email',
    'Thank you for contacting me so quickly',
    'Case closed too early',
    'Automatic transmission warranty',
    'Received the wrong item',
    'We received your parcel damaged',
    'Absent items in my order',
    'Do you ship to Norway?',
    'Auto reply setting not working',
    'Auto: claim question',
    '不在連絡票について',
    '부재중 택배',
    '',
  ];
  for (const s of machine) it(`"${s}" is an autoresponder's`, () => expect(autoresponderSubject(s)).toBeDefined());
  for (const s of person) it(`"${s}" is a person's`, () => expect(autoresponderSubject(s)).toBeUndefined());});

describe('receipt subjects', () => {
  const receipts = [
    'Ticket #1001 received',
    '[#123] Request received',
    '[#123] Request received: Lost parcel',
    'Your request (#4521) has been received',
    'Support ticket 88-1203 created',
    'Case 00112233 opened - Printer on fire',
    '[Ticket#2025031110000012] Request received',
    'We have received your request',
    "We've received your message",
    'Received your email',
    'Thank you for contacting Globex Support',
    'Thanks for reaching out!',
    'This is an automated response',
    'Automated message: your enquiry',
    'Do not reply: order update',
    'Nous avons bien reçu votre demande',
    'Hemos recibido su solicitud',
    'Wir haben Ihre Anfrage erhalten',
  ];
  const receiptBody = 'A member of our team will get back to you within 24 hours.';
  for (const s of receipts) {
    it(`"${s}" with a receipt's wording under it is a receipt`, () => expect(receiptSubject(s, receiptBody)).toBeDefined());
    it(`"${s}" over a person's words is not`, () => expect(receiptSubject(s, 'My parcel never came, where is it?')).toBeUndefined());
  }
  it("customers' subjects that look like receipts stay customers'", () => {
    for (const subject of ['No reply from support in 2 weeks!', 'Case opened by mistake, please close', 'Request submitted for refund', 'Ticket #4521 opened - still waiting', 'Automated email says my order shipped', 'Received your email, but the link is broken']) {
      expect(kindOf({ subject, text: 'Hello, can somebody please look at this? I need an answer.' }), subject).toBe('message');
    }
  });
});

describe('autoresponder wording in the new text', () => {
  const machine = [
    'This is an automated message. Your order has shipped.',
    'Hello,\nthis is an automatic response to let you know we got your mail.',
    'Hi,\n\nThis email was sent automatically; replies go nowhere.',
    'Your order has shipped.\n\nPlease do not reply to this email.',
    'Order 5521 is on its way. Do not reply to this message, this mailbox is not monitored.',
    'This mailbox is not monitored.',
    'Thank you for contacting Wonka! We have received your request and will get back to you shortly.',
    'We have received your message. Your ticket number is 55123.',
    'Your request #4521 has been received. A member of our team will answer within 24 hours.',
    'Dies ist eine automatisch generierte Nachricht.',
    'Bitte antworten Sie nicht auf diese E-Mail.',
    'Ceci est un message automatique, merci de ne pas répondre à ce message.',
    'Este es un mensaje automático.',
    'Si prega di non rispondere a questa email.',
    'Esta é uma mensagem automática.',
    'Dit is een automatisch gegenereerd bericht.',
    'このメールは送信専用です。',
    '此邮件为系统自动发送，请勿回复。',
  ];
  const person = [
    'Thank you for your help! The router works now.',
    'Thanks for your email. My ticket number is 12345 and the printer is still broken.',
    'I got an automated message saying my ticket was received, but nobody answered.',
    'Is this an automated response? I need a person.',
    'They wrote "please do not reply to this email" but I have to.',
    'We have received your invoice 2025-114, but the VAT number is wrong.',
    'I have received your message and will send the photos tomorrow.',
    'We have received your request for documents and attach them here.',
    'Thank you for contacting me yesterday. The parcel is still missing.',
    'Your app sent me a mail that said: Please do not reply to this email. So how do I reach you?',
    'Hi. This inbox is not checked often, please call me.',
    '送信専用アドレスから届いたメールに返信できません',
    '你们的邮件写着请勿回复，我该怎么联系？',
    '',
  ];
  for (const t of machine) it(`"${t.slice(0, 50)}" is an autoresponder's`, () => expect(autoresponderText(t)).toBeDefined());
  for (const t of person) it(`"${t.slice(0, 50)}" is a person's`, () => expect(autoresponderText(t)).toBeUndefined());

  it('wording in quoted history does not count', () => {
    const text = 'The tracking link does not work.\n\nOn Sun, 9 Mar 2025 at 18:02, Shop <noreply@shop.example> wrote:\n> This is an automated message.\n> Please do not reply to this email.\n';
    expect(kindOf({ subject: 'Re: Your order has shipped', text })).toBe('message');
  });

  it('nor does it in a forwarded mail under the sender’s own words', () => {
    const text = 'Could you check this? It makes no sense to me.\n\n---------- Forwarded message ---------\nFrom: Shop <noreply@shop.example>\nSubject: Order\n\nThis is an automated message. Please do not reply to this email.\n';
    expect(kindOf({ subject: 'Fwd: Order', text })).toBe('message');
  });

  it('an HTML-only autoresponder is read through its HTML', () => {
    expect(kindOf({ text: '', html: '<p>Hello,</p><p>This is an automated response. We will answer soon.</p>' })).toBe('auto_reply');
  });
});

describe('delivery failures without a delivery-status part', () => {
  const failure = 'Your message could not be delivered to one or more recipients.\n\n550 5.1.1 User unknown';

  it('a notice subject with failure wording is a bounce, whoever sends it', () => {
    expect(kindOf({ subject: 'Unzustellbar: Bestellung', text: 'Die Nachricht konnte nicht an folgende Empfänger zugestellt werden:' })).toBe('bounce');
    expect(kindOf({ subject: 'Undeliverable: Order 4411', text: failure })).toBe('bounce');
  });

  it('a notice subject from a machine address is a bounce even without wording', () => {
    expect(kindOf({ subject: 'Undeliverable: Order 4411', text: '', from: from('MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.test') })).toBe('bounce');
    expect(kindOf({ subject: 'Non remis : Facture', text: 'x', from: from('no-reply@corp.test') })).toBe('bounce');
  });

  it('failure wording from a machine address or a carrier gateway is a bounce', () => {
    expect(kindOf({ subject: 'Re: Order', text: failure, from: from('bounce-17@mail.corp.test') })).toBe('bounce');
    expect(kindOf({ subject: 'Re: Order', text: 'Message could not be delivered', from: from('2025550143@vtext.com') })).toBe('bounce');
    expect(kindOf({ subject: '', text: 'Error: Message not delivered', from: from('2025550143@txt.att.net') })).toBe('bounce');
  });

  it('a phone number as the address, or a carrier mailbox, is a person: their parcel complaints stay customers', () => {
    expect(kindOf({ subject: 'Order', text: 'Message could not be delivered to my phone, please call', from: from('13812345678@163.example') })).toBe('message');
    expect(kindOf({ subject: '注文について', text: '注文した商品が届きませんでした', from: from('hanako@docomo.ne.jp') })).toBe('message');
    expect(kindOf({ subject: 'Fehler bei der Zustellung meines Pakets', text: 'Hallo, mein Paket konnte nicht zugestellt werden.' })).toBe('message');
    expect(kindOf({ subject: 'Impossibile recapitare il pacco', text: 'Il pacco non è stato recapitato, perché?' })).toBe('message');
    expect(kindOf({ subject: '未配達の荷物について', text: '荷物が届きませんでした。' })).toBe('message');
  });

  it('people writing about deliveries stay customers', () => {
    // the wording alone, from a person
    expect(kindOf({ subject: 'Parcel', text: 'Your courier says the message could not be delivered to my phone.' })).toBe('message');
    // the word a notice would use, but not the notice's form
    expect(kindOf({ subject: 'Undeliverable parcel', text: 'My parcel is undeliverable, the courier says.' })).toBe('message');
    expect(kindOf({ subject: 'Delivery failed', text: 'Your courier’s delivery failed twice. Please send it again.' })).toBe('message');
    expect(kindOf({ subject: 'Returned mail', text: 'My returned mail never reached you.' })).toBe('message');
    // a forwarded bounce under the sender's own question
    expect(
      kindOf({
        subject: 'Fwd: Undeliverable: Order 4411',
        text: 'Hi, I got this back when writing to billing. Which address should I use?\n\n---------- Forwarded message ---------\nFrom: Microsoft Outlook <x@corp.test>\nSubject: Undeliverable: Order 4411\n\nYour message to billing@acme.test couldn’t be delivered.\n550 5.1.1 not found',
      }),
    ).toBe('message');
    // a customer texting from the carrier's gateway
    expect(kindOf({ subject: '', text: 'Hi is my order shipped yet?', from: from('2025550199@vtext.com') })).toBe('message');
  });
});

describe('list-manager notices, abuse reports and provider notifications', () => {
  it('list notices by subject, wording or sender', () => {
    expect(kindOf({ subject: 'Your message to Buyers awaits moderator approval', text: 'x' })).toBe('auto_reply');
    expect(kindOf({ subject: 'Re: Order', text: 'Your mail is being held until the list moderator can review it for approval.' })).toBe('auto_reply');
    expect(kindOf({ subject: 'Mail loop detected', text: 'A loop.' })).toBe('auto_reply');
    expect(kindOf({ from: from('majordomo@lists.test') })).toBe('auto_reply');
    expect(kindOf({ from: from('buyers-bounces+support=acme.test@lists.test') })).toBe('auto_reply');
    expect(kindOf({ subject: 'Mailing list question', text: 'How do I join your mailing list?' })).toBe('message');
  });

  it('a message/feedback-report part, or the ARF fields as text, is an abuse report', () => {
    const part = { contentType: 'message/feedback-report', size: 10, content: new Uint8Array(0), inline: false };
    expect(kindOf({ contentType: 'multipart/mixed', attachments: [part] })).toBe('auto_reply');
    expect(kindOf({ text: 'Feedback-Type: abuse\nUser-Agent: FBL/1\nVersion: 1\n' })).toBe('auto_reply');
    // two of the three fields are a person's paste, not a report
    expect(kindOf({ text: 'Our logs show\nFeedback-Type: abuse\nVersion: 1\nwhat does that mean?' })).toBe('message');
  });

  it('Amazon SNS mail is a machine’s even when its body is not a notification', () => {
    expect(kindOf({ from: from('no-reply@sns.amazonaws.com'), subject: 'AWS Notification Message', text: 'ALARM: "cpu-high" in EU (Ireland)' })).toBe('auto_reply');
  });

  it('JSON a person pastes is not a notification', () => {
    expect(kindOf({ text: '{"notificationType":"Bounce"}' })).toBe('message');
    expect(kindOf({ text: 'Our webhook got this: {"notificationType":"Bounce","mail":{}}' })).toBe('message');
  });
});

describe('reading Amazon SES notifications', () => {
  const bounce = (extra: object) => JSON.stringify({ notificationType: 'Bounce', mail: { commonHeaders: { messageId: '<a@b>' } }, ...extra });

  it('takes the first bounced recipient’s status and diagnostic, and the mail’s Message-ID', () => {
    const n = readSesNotification(bounce({ bounce: { bouncedRecipients: [{ status: '5.1.1', diagnosticCode: 'smtp; 550 unknown' }, { status: '5.0.0' }] } }));
    expect(n).toEqual({ type: 'Bounce', messageId: '<a@b>', reason: '5.1.1 smtp; 550 unknown' });
  });

  it('unwraps the SNS envelope and reads past its footer', () => {
    const envelope = JSON.stringify({ Type: 'Notification', TopicArn: 'arn:x', Message: bounce({ bounce: { bounceType: 'Permanent', bounceSubType: 'General' } }) });
    expect(readSesNotification(`${envelope}\n\n--\nIf you wish to stop receiving notifications, unsubscribe.`)).toEqual({ type: 'Bounce', messageId: '<a@b>', reason: 'Permanent General' });
  });

  it('falls back to the Message-ID among the mail’s headers', () => {
    const n = readSesNotification(JSON.stringify({ eventType: 'Complaint', mail: { commonHeaders: { messageId: 'not-an-id' }, headers: [{ name: 'Subject', value: 'x' }, { name: 'message-id', value: ' <c@d> ' }] } }));
    expect(n).toEqual({ type: 'Complaint', messageId: '<c@d>', reason: undefined });
  });

  it('gives nothing for malformed or unrelated JSON, and survives odd shapes', () => {
    for (const bad of ['', '   ', '{', '{"notificationType":', '[1,2]', 'null', '{"Type":"Notification"}', '{"notificationType":"Bounce"}', 'x'.repeat(300_000), `{${' '.repeat(300 * 1024)}}`]) {
      expect(readSesNotification(bad), bad.slice(0, 30)).toBeUndefined();
    }
    const odd = readSesNotification(JSON.stringify({ notificationType: 'Bounce', mail: { headers: 'nope', commonHeaders: [] }, bounce: { bouncedRecipients: 'nope' } }));
    expect(odd).toEqual({ type: 'Bounce', messageId: undefined, reason: undefined });
    expect(readSesNotification(JSON.stringify({ Type: 'Notification', TopicArn: 'arn:x', Message: 'plain text alarm' }))).toEqual({ type: 'Notification' });
  });

  it('a bounce without any returned part names the mail it answers by In-Reply-To', () => {
    const r = readBounce(mail({ headers: { 'in-reply-to': ['<ours@acme.test>'] }, text: 'Message could not be delivered' }));
    expect(r).toEqual({ messageId: '<ours@acme.test>', reason: 'Order', action: 'failed' });
  });
});

describe('bad input', () => {
  it('huge, empty and binary-looking bodies classify without error', () => {
    expect(kindOf({ text: 'a'.repeat(2_000_000) })).toBe('message');
    expect(kindOf({ text: '', subject: '' })).toBe('message');
    expect(kindOf({ text: '\u0000\u0001\uFFFD'.repeat(10_000), subject: '\u0000' })).toBe('message');
    expect(kindOf({ text: '> quoted only\n> nothing new\n' })).toBe('message');
  });
});
