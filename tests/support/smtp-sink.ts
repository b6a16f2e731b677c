/**
 * A real SMTP server on 127.0.0.1:<free port> that keeps every message it receives, for tests of
 * outbound mail. `reject` makes it refuse DATA with a given reply (e.g. 550) to test failures.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  port: number;
  /** an SMTP_URL pointing at the sink */
  url: string;
  messages: SinkMessage[];
  /** change the reply to DATA; undefined accepts */
  reject?: { code: number; message: string };
  /** resolves once `count` messages arrived (rejects after `timeoutMs`) */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(options: { reject?: { code: number; message: string } } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: Array<() => void> = [];
  const sink = { messages, reject: options.reject } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.reject) {
          return callback(Object.assign(new Error(sink.reject.message), { responseCode: sink.reject.code }));
        }
        messages.push({
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
  sink.waitFor = (count, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`smtp sink: ${messages.length}/${count} messages after ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (messages.length >= count) {
          clearTimeout(timer);
          resolve(messages.slice(0, count));
        } else waiters.push(check);
      };
      check();
    });
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
