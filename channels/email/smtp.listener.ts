/**
 * The inbound SMTP listener: accepts mail for the support addresses (plus addresses included),
 * refuses other recipients (550) and oversized mail (552), and answers 250 only after the message
 * was ingested; a failed ingest answers 451 so the sending server retries. No client can hold it:
 * connections per address are limited (421 past the limit), silent ones are dropped after the idle
 * timeout and every one after the connection time limit.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { EmailInboundError, SMTP_REPLIES } from './email.errors.ts';
import { isSupportAddress } from './thread-hints.ts';
import type { Envelope, InboundOutcome } from './email-inbound.ts';
import { SmtpConnectionGuard } from './smtp-connection.guard.ts';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  /** connections served at once */
  maxClients: number;
  /** connections served at once from one client address */
  maxClientsPerAddress: number;
  /** a client silent this long (before its first command, between commands, within DATA) is dropped */
  idleTimeoutMs: number;
  /** a connection is closed this long after it opened, whatever it is doing (but never before the reply to a message it sent) */
  maxConnectionMs: number;
  supportAddresses: readonly string[];
  /** greeting name */
  name: string;
  log: FastifyBaseLogger;
  receive(raw: Buffer, envelope: Envelope): Promise<InboundOutcome>;
}

export class SmtpListener {
  private server?: SMTPServer;

  constructor(private readonly opts: SmtpListenerOptions) {}

  async start(): Promise<AddressInfo> {
    const { opts } = this;
    const guard = new SmtpConnectionGuard({
      maxPerAddress: opts.maxClientsPerAddress,
      maxConnectionMs: opts.maxConnectionMs,
      onTimeLimit: (session) => closeSession(server, session, SMTP_REPLIES.CONNECTION_TIME_LIMIT),
    });
    const server = new SMTPServer({
      name: opts.name,
      banner: 'Switchboard',
      size: opts.maxBytes,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      logger: false,
      maxClients: opts.maxClients,
      socketTimeout: opts.idleTimeoutMs,
      // on shutdown a session gets as long to finish as it may stay silent
      closeTimeout: opts.idleTimeoutMs,
      // the per-address check runs after the lookup, so a flood would hold places while it runs; nothing uses the name
      disableReverseLookup: true,
      onConnect(session, callback) {
        callback(guard.admit(session) ? undefined : smtpError(SMTP_REPLIES.TOO_MANY_CONNECTIONS));
      },
      onClose(session) {
        guard.release(session);
      },
      onRcptTo(address, _session, callback) {
        if (isSupportAddress(address.address, opts.supportAddresses)) return callback();
        callback(smtpError(SMTP_REPLIES.UNKNOWN_RECIPIENT));
      },
      onData(stream, session, callback) {
        void collect(stream, opts.maxBytes).then(
          async (raw) => {
            if (!raw) return callback(smtpError(SMTP_REPLIES.TOO_LARGE));
            guard.answering(session);
            try {
              const outcome = await opts.receive(raw, envelope(session));
              callback(null, outcome.ignored ? 'OK, ignored' : `OK, queued as ${outcome.result.interactionId}`);
            } catch (err) {
              if (!(err instanceof EmailInboundError)) opts.log.error({ err }, 'email: unexpected error on SMTP data');
              const reply =
                err instanceof EmailInboundError
                  ? { code: err.smtpCode, message: err.smtpCode >= 500 ? `5.6.0 ${err.message}` : SMTP_REPLIES.TEMPORARY.message }
                  : SMTP_REPLIES.TEMPORARY;
              callback(smtpError(reply));
            } finally {
              guard.answered(session);
            }
          },
          () => callback(smtpError(SMTP_REPLIES.TEMPORARY)),
        );
      },
    });
    server.on('error', (err) => opts.log.warn({ err }, 'email: SMTP server error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.server.address() as AddressInfo;
  }

  address(): AddressInfo | undefined {
    return (this.server?.server.address() as AddressInfo | null) ?? undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** the whole DATA, or undefined when it went over the SIZE limit (the rest is drained, not kept) */
async function collect(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (stream.sizeExceeded || size > maxBytes) return undefined;
  return Buffer.concat(chunks, size);
}

function envelope(session: SMTPServerSession): Envelope {
  const from = session.envelope.mailFrom;
  return {
    from: from ? from.address.toLowerCase() || undefined : undefined,
    nullSender: from ? from.address.trim() === '' : false,
    to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
  };
}

/** replies `reply` (a 421) on the session's connection, which smtp-server then closes */
function closeSession(server: SMTPServer, session: SMTPServerSession, reply: { code: number; message: string }): void {
  for (const connection of server.connections) {
    if (connection.session === session) connection.send(reply.code, reply.message);
  }
}

function smtpError(reply: { code: number; message: string }): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}
