/**
 * SMTP over loopback for tests, both directions.
 *
 * `startSmtpSink()` — a real SMTP server (smtp-server) on 127.0.0.1:<free port> standing in for the
 * mail provider behind SMTP_URL. It keeps every message it accepts. Stable API:
 *   - `url`            an SMTP_URL pointing at the sink (`smtp://127.0.0.1:<port>`); `port` alone too
 *   - `messages`       accepted messages in arrival order: `{from, to, raw}` (envelope + raw MIME)
 *   - `attempts`       DATA commands seen, accepted or refused (to count retries)
 *   - `reject`         set to `{code, message}` to refuse every DATA with that reply; `undefined` accepts
 *   - `rejectNext(reply, times = 1)`  refuse only the next `times` DATA commands, then go back to `reject`
 *   - `waitFor(count, timeoutMs = 5000)`  resolves with the first `count` messages once they arrived
 *   - `waitForMatch(pred, timeoutMs = 5000)`  resolves with the first message for which `pred` is true
 *   - `close()`
 *
 * `parseMail(raw)` — mailparser's view of a message (headers, subject, text, html, ids).
 *
 * `deliverSmtp(port, {from, to}, raw)` — sends one raw message into an SMTP server (e.g. the
 * gateway's listener) and returns the final SMTP reply `{code, response}`; refusals are returned,
 * not thrown.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SinkMessage {
  /** Date.now() when the message was taken */
  at: number;
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpSink {
  port: number;
  /** an SMTP_URL pointing at the sink */
  url: string;
  messages: SinkMessage[];
  /** DATA commands received, accepted or refused */
  attempts: number;
  /** refuse every DATA with this reply; undefined accepts */
  reject?: SmtpReply;
  /** refuse the next `times` DATA commands with `reply`, then fall back to `reject` */
  rejectNext(reply: SmtpReply, times?: number): void;
  /** resolves once `count` messages arrived (rejects after `timeoutMs`) */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  /** resolves with the first message matching `pred` (already there or arriving within `timeoutMs`) */
  waitForMatch(pred: (m: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  close(): Promise<void>;
}

export async function startSmtpSink(options: { reject?: SmtpReply } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: Array<() => void> = [];
  const scripted: SmtpReply[] = [];
  const sink = { messages, reject: options.reject, attempts: 0 } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.attempts++;
        const refusal = scripted.shift() ?? sink.reject;
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        messages.push({
          at: Date.now(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.rejectNext = (reply, times = 1) => {
    for (let i = 0; i < times; i++) scripted.push(reply);
  };
  const waitUntil = <T>(found: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`smtp sink: ${what()} after ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const hit = found();
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit);
        } else waiters.push(check);
      };
      check();
    });
  sink.waitFor = (count, timeoutMs = 5000) =>
    waitUntil(() => (messages.length >= count ? messages.slice(0, count) : undefined), timeoutMs, () => `${messages.length}/${count} messages`);
  sink.waitForMatch = (pred, timeoutMs = 5000) =>
    waitUntil(() => messages.find(pred), timeoutMs, () => `no matching message among ${messages.length}`);
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw);
}

export async function deliverSmtp(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string): Promise<{ code: number; response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000, socketTimeout: 60_000 });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    if (typeof e.responseCode === 'number') return { code: e.responseCode, response: e.response ?? e.message };
    throw err;
  } finally {
    transport.close();
  }
}
