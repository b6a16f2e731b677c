/**
 * What the email integration tests share: the real gateway with its SMTP listener on a free
 * loopback port and outbound mail going to a real SMTP sink, plus builders for raw mail.
 */
import { randomBytes } from 'node:crypto';
import { startApp, eventually, type TestApp } from '../support/test-app.ts';
import { deliverSmtp, startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { EmailChannel } from '../../channels/email/index.ts';

export const SUPPORT = 'support@acme.test';
export const HOOK_TOKEN = 'email-hook-token';

export interface EmailApp extends TestApp {
  sink: SmtpSink;
  smtpPort: number;
  /** delivers raw MIME to the gateway's SMTP listener; the envelope defaults to the From and SUPPORT */
  smtp(raw: Buffer | string, envelope?: { from?: string; to?: string[] }): Promise<{ code: number; response: string }>;
  /** posts raw MIME to POST /webhooks/email */
  webhook(raw: Buffer | string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** resolves when every stored inbound message has gone through the pipeline */
  settled(): Promise<void>;
  /** the contact's cases, newest first */
  casesOf(address: string): Promise<any[]>;
  caseView(number: string): Promise<any>;
  stop(): Promise<void>;
}

export async function startEmailApp(env: Record<string, string> = {}, options: { sink?: SmtpSink } = {}): Promise<EmailApp> {
  const sink = options.sink ?? (await startSmtpSink());
  const t = await startApp({ SUPPORT_EMAIL: SUPPORT, SMTP_URL: sink.url, EMAIL_WEBHOOK_TOKEN: HOOK_TOKEN, EMAIL_RATE_PER_SECOND: '100', ...env }, { smtpListenPort: 0 });
  const channel = t.app.switchboard.channels.get('email') as EmailChannel;
  const smtpPort = channel.smtpAddress()!.port;
  const app: EmailApp = {
    ...t,
    sink,
    smtpPort,
    smtp(raw, envelope = {}) {
      const from = envelope.from ?? /^From:.*?<?([^\s<>]+@[^\s<>]+)>?\s*$/imu.exec(raw.toString())?.[1] ?? '';
      return deliverSmtp(smtpPort, { from, to: envelope.to ?? [SUPPORT] }, raw);
    },
    async webhook(raw, headers = {}) {
      const res = await fetch(`${t.url}/webhooks/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822', ...headers },
        body: typeof raw === 'string' ? raw : new Uint8Array(raw),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async settled() {
      await t.app.switchboard.pipeline.idle();
    },
    async casesOf(address) {
      await app.settled();
      const res = await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(address)}`);
      return res.body.items;
    },
    async caseView(number) {
      const res = await t.api('GET', `/api/v1/cases/${number}`);
      if (res.status !== 200) throw new Error(`GET case ${number}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async stop() {
      await t.close();
      if (!options.sink) await sink.close();
    },
  };
  return app;
}

export interface MailSpec {
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  messageId?: string;
  headers?: string[];
  /** text/plain unless said */
  contentType?: string;
}

export function newMessageId(domain = 'customer.test'): string {
  return `<${randomBytes(8).toString('hex')}@${domain}>`;
}

/** a plain-text mail; pass `messageId: ''` to leave the header out */
export function rawMail(spec: MailSpec = {}): Buffer {
  const id = spec.messageId ?? newMessageId();
  return Buffer.from(
    [
      `From: ${spec.from ?? 'Ada Lovelace <ada@customer.test>'}`,
      `To: ${spec.to ?? SUPPORT}`,
      `Subject: ${spec.subject ?? 'Printer on fire'}`,
      ...(id ? [`Message-ID: ${id}`] : []),
      'Date: Mon, 3 Mar 2025 10:00:00 +0000',
      'MIME-Version: 1.0',
      ...(spec.headers ?? []),
      `Content-Type: ${spec.contentType ?? 'text/plain'}; charset=utf-8`,
      'Content-Transfer-Encoding: 8bit',
      '',
      spec.body ?? 'Hello, my printer is on fire. Please help.',
      '',
    ].join('\r\n'),
  );
}

/** polls until the outbound interaction reaches one of `statuses` */
export async function outboundStatus(app: EmailApp, number: string, interactionId: string, statuses: string[], ms = 15_000): Promise<any> {
  return eventually(
    async () => {
      const view = await app.caseView(number);
      const row = view.interactions.find((i: any) => i.id === interactionId);
      return row && statuses.includes(row.status) ? row : null;
    },
    ms,
    `${interactionId} to become ${statuses.join('|')}`,
  );
}

/** A customer's mail with a text part and a PDF attachment, as raw MIME lines. */
export function mailWithPdf(opts: { from: string; text: string; pdf: Buffer }): string {
  return [
    `From: ${opts.from}`,
    `To: ${SUPPORT}`,
    'Subject: Invoice attached',
    `Message-ID: ${newMessageId()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="att"',
    '',
    '--att',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.text,
    '--att',
    'Content-Type: application/pdf; name="invoice.pdf"',
    'Content-Disposition: attachment; filename="invoice.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    opts.pdf.toString('base64'),
    '--att--',
    '',
  ].join('\r\n');
}
