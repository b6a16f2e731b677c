/**
 * The email channel as a ChannelPlugin: SMTP listener and POST /webhooks/email in, nodemailer (or
 * .eml files) out. Everything provider-specific stays in this folder.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ChannelContext, ChannelPlugin, OutboundMessage, SendResult } from '../channel.types.ts';
import type { EmailConfig } from './email.config.ts';
import { MimeParserPool } from './mime-parser.ts';
import { AttachmentStore } from '../attachment-store.ts';
import { receiveMail, type InboundDeps } from './email-inbound.ts';
import { SmtpListener } from './smtp.listener.ts';
import { registerEmailWebhook } from './email-webhook.route.ts';
import { EmailSender } from './email.sender.ts';
import { CaseTagger, loadThreadSecret } from './case-tag.ts';
import { guardDataDir } from './data-dir-guard.ts';

export { emailConfigFromEnv, type EmailConfig } from './email.config.ts';
export { EMAIL_WEBHOOK_PATH } from './email-webhook.route.ts';

export interface EmailChannelOptions {
  /** listen on this port instead of config.smtpPort; 0 here means "any free port" */
  listenPort?: number;
  /** the pipeline's limit on a message's text in UTF-8 bytes; longer new text is cut to fit */
  maxTextBytes: number;
  now?: () => Date;
  /** random part of our Message-IDs */
  random?: () => string;
}

export interface EmailChannel extends ChannelPlugin {
  /** where the SMTP listener is bound, once started */
  smtpAddress(): AddressInfo | undefined;
}

export function createEmailChannel(config: EmailConfig, ctx: ChannelContext, options: EmailChannelOptions): EmailChannel {
  const now = options.now ?? ctx.now;
  const parser = new MimeParserPool({
    maxBytes: config.maxBytes,
    maxParts: config.maxParts,
    timeoutMs: config.parseTimeoutMs,
    maxHtmlLength: config.maxHtmlLength,
    workers: config.parseWorkers,
  });
  guardDataDir(config, ctx.log);
  const tagger = new CaseTagger(loadThreadSecret(config.threadSecret, config.threadSecretFile));
  const deps: InboundDeps = {
    config,
    ctx,
    parser,
    attachments: new AttachmentStore(config.attachmentsDir, config.maxAttachmentBytes, path.dirname(config.attachmentsDir)),
    tagger,
    maxTextBytes: options.maxTextBytes,
    now,
  };
  const sender = new EmailSender({ config, tagger, random: options.random, now, turns: ctx.peers.turns });
  const port = options.listenPort ?? config.smtpPort;
  const listenerOn = options.listenPort !== undefined || config.smtpPort !== 0;
  const listener = listenerOn
    ? new SmtpListener({
        host: config.smtpHost,
        port,
        maxBytes: config.maxBytes,
        maxClients: config.maxConnections,
        maxClientsPerAddress: config.maxConnectionsPerAddress,
        idleTimeoutMs: config.idleTimeoutMs,
        maxConnectionMs: config.maxConnectionMs,
        supportAddresses: config.supportAddresses,
        name: config.messageIdDomain,
        log: ctx.log,
        receive: (raw, envelope) => receiveMail(deps, raw, envelope),
      })
    : undefined;

  return {
    name: 'email',
    enabled: true,
    async routes(app: FastifyInstance) {
      await registerEmailWebhook(app, { token: config.webhookToken, maxBytes: config.maxBytes, receive: (raw) => receiveMail(deps, raw) });
    },
    async start() {
      if (listener) {
        const at = await listener.start();
        ctx.log.info({ host: at.address, port: at.port }, 'email: SMTP inbound listening');
      } else {
        ctx.log.info('email: SMTP inbound off (SMTP_PORT=0)');
      }
      if (!config.webhookToken) ctx.log.info('email: webhook off (EMAIL_WEBHOOK_TOKEN not set)');
      ctx.log.info(
        sender.mode === 'smtp' ? 'email: outbound via SMTP_URL' : `email: outbound written as .eml files to ${config.outboxDir} (SMTP_URL not set)`,
      );
    },
    async stop() {
      await listener?.stop();
      await parser.close();
      await sender.close();
    },
    send(msg: OutboundMessage): Promise<SendResult> {
      return sender.send(msg);
    },
    ...(sender.mode === 'smtp' ? { sendsPerSecond: config.ratePerSecond } : {}),
    smtpAddress: () => listener?.address(),
    readiness: () => (listener ? { check: 'smtp', ready: listener.address() !== undefined, reason: 'not listening' } : undefined),
  };
}
