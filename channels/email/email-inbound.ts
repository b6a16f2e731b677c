/**
 * The one inbound path both receivers share (SMTP listener and webhook): parse off-thread, drop our
 * own echoes, normalize, and hand the message to ctx.ingest. Resolves only after ingest resolved, so
 * a receiver acks only what is durable. Every refusal is an EmailInboundError.
 */
import type { ChannelContext, IngestResult, InboundKind } from '../channel.types.ts';
import type { EmailConfig } from './email.config.ts';
import { EmailInboundError } from './email.errors.ts';
import type { MimeParserPool } from './mime-parser.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { isOwnEcho, normalizeMail } from './email-normalizer.ts';

export type InboundOutcome =
  | { ignored: true; reason: string }
  | { ignored: false; kind: InboundKind; result: IngestResult };

export interface InboundDeps {
  config: EmailConfig;
  ctx: ChannelContext;
  parser: MimeParserPool;
  attachments: AttachmentStore;
  now: () => Date;
}

const MAX_TEXT_CHARS = 256 * 1024;

export async function receiveMail(deps: InboundDeps, raw: Buffer, envelopeTo?: string[]): Promise<InboundOutcome> {
  const mail = await deps.parser.parse(raw);
  if (isOwnEcho(mail, deps.config.supportAddresses)) {
    deps.ctx.log.info({ from: mail.from[0]?.address, messageId: mail.messageId }, 'email: ignored mail from our own support address');
    return { ignored: true, reason: 'own support address' };
  }
  const message = await normalizeMail(raw, mail, {
    supportAddresses: deps.config.supportAddresses,
    envelopeTo,
    receivedAt: deps.now(),
    attachments: deps.attachments,
    maxTextChars: MAX_TEXT_CHARS,
    maxHtmlChars: deps.config.maxHtmlLength,
  });
  try {
    const result = await deps.ctx.ingest(message);
    return { ignored: false, kind: message.kind, result };
  } catch (err) {
    deps.ctx.log.error({ err, externalId: message.externalId }, 'email: ingest failed');
    throw new EmailInboundError('INGEST_FAILED');
  }
}
