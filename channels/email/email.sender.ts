/**
 * Outbound replies. With SMTP_URL: a pooled nodemailer transport behind a bottleneck rate limiter.
 * Without: the message is rendered the same way and written as a .eml file under <dataDir>/outbox,
 * so an offline start still "sends". Failures become SendError: retryable for connection problems
 * and 4xx replies, permanent for 5xx rejections.
 */
import { rename } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Bottleneck from 'bottleneck';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SendError, type OutboundMessage, type SendResult, type SendTurns } from '../channel.types.ts';
import { makePrivateDir, writePrivateFile } from '../file-modes.ts';
import type { EmailConfig } from './email.config.ts';
import { newMessageId, newNoticeId } from './message-id.ts';
import { replyHtml, replyReferences, replySubject } from './reply-format.ts';
import { casePlusAddress, MAIL_ADDRESS } from './thread-hints.ts';
import type { CaseTagger } from './case-tag.ts';

export interface EmailSenderOptions {
  config: Pick<EmailConfig, 'smtpUrl' | 'fromAddress' | 'messageIdDomain' | 'ratePerSecond' | 'outboxDir'>;
  tagger: CaseTagger;
  /** for tests: the random part of our Message-IDs */
  random?: () => string;
  /** turns shared with other instances on the database, so the send rate holds across all of them */
  turns?: SendTurns | null;
  now?: () => Date;
}


export class EmailSender {
  private readonly transport?: Transporter;
  private readonly limiter?: Bottleneck;
  /** aborted by close: a send waiting for its shared turn gives up (the outbox gives it back untried) */
  private readonly closing = new AbortController();
  private readonly renderer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly opts: EmailSenderOptions) {
    const { smtpUrl, ratePerSecond } = opts.config;
    if (smtpUrl) {
      this.transport = nodemailer.createTransport({
        url: smtpUrl,
        pool: true,
        maxConnections: 2,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      this.limiter = new Bottleneck({ maxConcurrent: 2, minTime: Math.ceil(1000 / ratePerSecond) });
    }
  }

  get mode(): 'smtp' | 'outbox' {
    return this.transport ? 'smtp' : 'outbox';
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    // the address that wrote the mail being answered (which In-Reply-To points at)
    const to = msg.to.address;
    if (!MAIL_ADDRESS.test(to)) throw new SendError(`not an email address: "${to}"`, false, 'INVALID_RECIPIENT');
    const notice = msg.kind === 'notice';
    // a notice's id names no case: a reply to it must not thread into the customer's conversation
    const messageId = notice ? newNoticeId(this.opts.config.messageIdDomain, this.opts.random) : newMessageId(msg.caseNumber, this.opts.config.messageIdDomain, this.opts.tagger, this.opts.random);
    const mail = notice ? this.composeNotice(msg, to, messageId) : this.compose(msg, to, messageId);
    if (this.transport && this.limiter) {
      const transport = this.transport;
      await this.limiter.schedule(async () => {
        await this.sharedTurn();
        await msg.confirmSend?.();
        return transport.sendMail(mail);
      }).catch((err: unknown) => {
        throw toSendError(err);
      });
    } else {
      await msg.confirmSend?.();
      await this.writeEml(mail, msg.caseNumber);
    }
    return { status: 'sent', messageId, externalId: messageId };
  }

  /** With other instances: waits for this instance's booked turn (the local limiter only spaces this one's sends). */
  private async sharedTurn(): Promise<void> {
    const turns = this.opts.turns;
    if (!turns) return;
    const now = () => (this.opts.now ?? (() => new Date()))().getTime();
    const wait = (await turns.take([{ key: 'email:smtp', gapMs: 1000 / this.opts.config.ratePerSecond }])) - now();
    if (wait < 1) return;
    await sleep(wait, undefined, { signal: this.closing.signal }).catch(() => {
      throw new SendError('email sending is stopping', true, 'CHANNEL_STOPPED');
    });
  }

  async close(): Promise<void> {
    this.closing.abort();
    // mails still waiting for their turn are handed back to the outbox (it gives them back untried)
    await this.limiter?.stop({ dropWaitingJobs: true }).catch(() => undefined);
    this.transport?.close();
  }

  /** An internal notice: plain, automatic, with no case tag in its subject, Reply-To or Message-ID. */
  private composeNotice(msg: OutboundMessage, to: string, messageId: string): Mail.Options {
    return {
      from: this.opts.config.fromAddress,
      to,
      subject: msg.subject,
      messageId,
      date: this.opts.now?.() ?? new Date(),
      text: msg.text,
      html: replyHtml(msg.text),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    };
  }

  private compose(msg: OutboundMessage, to: string, messageId: string): Mail.Options {
    const references = replyReferences(msg.references, msg.inReplyTo);
    return {
      from: msg.agentName ? { name: msg.agentName, address: this.opts.config.fromAddress } : this.opts.config.fromAddress,
      // the plus address threads the answer even when a client drops In-Reply-To and References
      replyTo: casePlusAddress(this.opts.config.fromAddress, msg.caseNumber, this.opts.tagger),
      to: msg.to.name ? { name: msg.to.name, address: to } : to,
      subject: replySubject(msg.subject, msg.caseNumber),
      messageId,
      inReplyTo: msg.inReplyTo,
      references: references.length > 0 ? references : undefined,
      date: this.opts.now?.() ?? new Date(),
      text: msg.text,
      html: replyHtml(msg.text),
      // read from disk as the mail is written, never held whole in memory
      ...(msg.attachments?.length ? { attachments: msg.attachments.map((a) => ({ filename: a.name, contentType: a.contentType, path: a.path })) } : {}),
      headers: {
        // asks Exchange not to send out-of-office and other auto-replies back to us
        'X-Auto-Response-Suppress': 'OOF, AutoReply',
        // RFC 3834: an acknowledgement is automatic, so other responders must not answer it
        ...(msg.kind === 'auto_reply' ? { 'Auto-Submitted': 'auto-replied' } : {}),
      },
    };
  }

  private async writeEml(mail: Mail.Options, caseNumber: string): Promise<void> {
    const rendered = await this.renderer.sendMail(mail);
    const dir = this.opts.config.outboxDir;
    await makePrivateDir(dir);
    const stamp = (this.opts.now?.() ?? new Date()).toISOString().replace(/[:.]/gu, '-');
    const file = path.join(dir, `${stamp}-${caseNumber}-${randomBytes(4).toString('hex')}.eml`);
    await writePrivateFile(`${file}.tmp`, rendered.message as Buffer);
    await rename(`${file}.tmp`, file);
  }
}

/** 5xx = the server refused for good; 4xx and anything without an SMTP reply (network) = try again */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const reason = (e.response || e.message || String(err)).trim();
  if (typeof e.responseCode === 'number') {
    return new SendError(reason, e.responseCode < 500, `SMTP_${e.responseCode}`);
  }
  const permanent = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  return new SendError(reason, !permanent, e.code ?? 'SMTP_ERROR');
}
