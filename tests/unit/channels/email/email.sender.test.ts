import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { simpleParser } from 'mailparser';
import { EmailSender } from '../../../../channels/email/email.sender.ts';
import { SendError, type OutboundMessage } from '../../../../channels/channel.types.ts';
import { startSmtpSink, type SmtpSink } from '../../../support/smtp-sink.ts';
import { CaseTagger } from '../../../../channels/email/case-tag.ts';

const tagger = new CaseTagger('sender-test-secret-0123456789');
const tag = tagger.tag('CS0001001');

let dataDir: string;
let sink: SmtpSink | undefined;
let sender: EmailSender | undefined;

const reply: OutboundMessage = {
  interactionId: 'int-9',
  channel: 'email',
  caseNumber: 'CS0001001',
  to: { address: 'ada@example.org', name: 'Ada' },
  subject: 'RE: Re: Printer on fire [CS0001001]',
  text: 'We sent a technician.\n\n<b>Stay safe</b> & away',
  references: ['<first@example.org>', '<CS0001001.aa11@example.com>'],
  inReplyTo: '<second@example.org>',
  attempt: 1,
};

function config(smtpUrl?: string) {
  return { smtpUrl, fromAddress: 'support@example.com', messageIdDomain: 'example.com', ratePerSecond: 50, outboxDir: path.join(dataDir, 'outbox') };
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-send-'));
});
afterEach(async () => {
  await sender?.close();
  await sink?.close();
  sender = undefined;
  sink = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('EmailSender over SMTP', () => {
  it('delivers the reply with threading headers, one Re: and one case token', async () => {
    sink = await startSmtpSink();
    sender = new EmailSender({ tagger, config: config(sink.url), random: () => 'r4nd0m' });
    const result = await sender.send(reply);
    const id = `<CS0001001.${tag}.r4nd0m@example.com>`;
    expect(result).toEqual({ status: 'sent', messageId: id, externalId: id });
    const [got] = await sink.waitFor(1);
    expect(got!.to).toEqual(['ada@example.org']);
    const mail = await simpleParser(got!.raw);
    expect(mail.subject).toBe('Re: Printer on fire [CS0001001]');
    expect(mail.messageId).toBe(id);
    expect(mail.inReplyTo).toBe('<second@example.org>');
    expect(mail.references).toEqual(['<first@example.org>', '<CS0001001.aa11@example.com>', '<second@example.org>']);
    expect(mail.from?.value[0]?.address).toBe('support@example.com');
    expect(mail.replyTo?.value[0]?.address).toBe(`support+CS0001001.${tag}@example.com`);
    expect(mail.headers.get('auto-submitted')).toBeUndefined();
    expect(mail.text?.trim()).toBe(reply.text);
    expect(mail.html).toContain('&#60;b&#62;Stay safe&#60;/b&#62; &#38; away');
    expect(mail.html).not.toContain('<b>');
  });

  it('marks an automatic acknowledgement Auto-Submitted: auto-replied (RFC 3834)', async () => {
    sink = await startSmtpSink();
    sender = new EmailSender({ tagger, config: config(sink.url) });
    await sender.send({ ...reply, kind: 'auto_reply' });
    const [got] = await sink.waitFor(1);
    const mail = await simpleParser(got!.raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply');
  });

  it('a 550 rejection is a permanent SendError with the server text', async () => {
    sink = await startSmtpSink({ reject: { code: 550, message: 'mailbox unavailable' } });
    sender = new EmailSender({ tagger, config: config(sink.url) });
    const err = await sender.send(reply).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).retryable).toBe(false);
    expect((err as SendError).message).toMatch(/550.*mailbox unavailable/u);
  });

  it('a 451 reply is retryable', async () => {
    sink = await startSmtpSink({ reject: { code: 451, message: 'try later' } });
    sender = new EmailSender({ tagger, config: config(sink.url) });
    const err = await sender.send(reply).catch((e: unknown) => e);
    expect((err as SendError).retryable).toBe(true);
  });

  it('a closed port is a retryable SendError', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    sender = new EmailSender({ tagger, config: config(`smtp://127.0.0.1:${port}`) });
    const err = await sender.send(reply).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).retryable).toBe(true);
  });

  it("answers the address that wrote, not the case contact's other address", async () => {
    sender = new EmailSender({ tagger, config: config(), random: () => 'c0de' });
    await sender.send({ ...reply, to: { address: 'ada.work@example.net', email: 'ada@example.org', name: 'Ada' } });
    const [file] = fs.readdirSync(path.join(dataDir, 'outbox'));
    const mail = await simpleParser(fs.readFileSync(path.join(dataDir, 'outbox', file!)));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : []).toEqual(['ada.work@example.net']);
  });

  it('refuses a recipient that is not an email address, permanently', async () => {
    sender = new EmailSender({ tagger, config: config() });
    const err = await sender.send({ ...reply, to: { address: '+15550100' } }).catch((e: unknown) => e);
    expect((err as SendError).retryable).toBe(false);
  });
});

describe('EmailSender with a shared turn (other instances present)', () => {
  it('waits for the booked turn, and close gives up the wait at once with a retryable CHANNEL_STOPPED, sending nothing', async () => {
    sink = await startSmtpSink();
    const booked: string[] = [];
    // another instance holds the next minute of turns
    const turns = { take: async (slots: ReadonlyArray<{ key: string }>) => (booked.push(...slots.map((s) => s.key)), Date.now() + 60_000) };
    sender = new EmailSender({ tagger, config: config(sink.url), turns });
    const pending = sender.send(reply).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await sender.close();
    const err = await pending;
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ retryable: true, code: 'CHANNEL_STOPPED' });
    expect(booked).toEqual(['email:smtp']);
    expect(sink.messages).toHaveLength(0);
    sender = undefined;
  });
});

describe('EmailSender without SMTP_URL', () => {
  it('writes the reply as a .eml file under the outbox', async () => {
    sender = new EmailSender({ tagger, config: config(), random: () => 'f00d' });
    expect(sender.mode).toBe('outbox');
    const result = await sender.send(reply);
    expect(result.messageId).toBe(`<CS0001001.${tag}.f00d@example.com>`);
    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/CS0001001.*\.eml$/u);
    const mail = await simpleParser(fs.readFileSync(path.join(dataDir, 'outbox', files[0]!)));
    expect(mail.messageId).toBe(`<CS0001001.${tag}.f00d@example.com>`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined).toBe('ada@example.org');
    expect(mail.subject).toBe('Re: Printer on fire [CS0001001]');
  });
});
