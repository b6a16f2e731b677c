/**
 * The one inbound path both receivers share (SMTP listener and webhook): parse off-thread, drop our
 * own echoes, normalize, and hand the message to ctx.ingest. Resolves only after ingest resolved, so
 * a receiver acks only what is durable. Every refusal is an EmailInboundError.
 */
import type { ChannelContext, IngestResult, InboundKind } from '../channel.types.ts';
import type { EmailConfig } from './email.config.ts';
import { EmailInboundError } from './email.errors.ts';
import type { MimeParserPool } from './mime-parser.ts';
import type { AttachmentStore } from '../attachment-store.ts';
import type { CaseTagger } from './case-tag.ts';
import { isOwnEcho, normalizeMail } from './email-normalizer.ts';
import { isRefusal } from '../coded-errors.ts';

export type InboundOutcome =
  | { ignored: true; reason: string }
  | { ignored: false; kind: InboundKind; result: IngestResult };

export interface InboundDeps {
  config: EmailConfig;
  ctx: ChannelContext;
  parser: MimeParserPool;
  attachments: AttachmentStore;
  tagger: CaseTagger;
  /** the pipeline's limit on a message's text, in UTF-8 bytes */
  maxTextBytes: number;
  now: () => Date;
}

/** what the SMTP transaction said, when the mail came over SMTP */
export interface Envelope {
  from?: string;
  /** MAIL FROM:<> */
  nullSender?: boolean;
  to: string[];
}

const MAX_BODY_CHARS = 256 * 1024;

export async function receiveMail(deps: InboundDeps, raw: Buffer, envelope?: Envelope): Promise<InboundOutcome> {
  const mail = await deps.parser.parse(raw);
  if (isOwnEcho(mail, deps.config.supportAddresses)) {
    deps.ctx.log.info({ from: mail.from[0]?.address, messageId: mail.messageId }, 'email: ignored mail from our own support address');
    return { ignored: true, reason: 'own support address' };
  }
  const message = await normalizeMail(raw, mail, {
    supportAddresses: deps.config.supportAddresses,
    tagger: deps.tagger,
    envelopeTo: envelope?.to,
    envelopeFrom: envelope?.from,
    nullSender: envelope?.nullSender,
    receivedAt: deps.now(),
    attachments: deps.attachments,
    maxTextChars: MAX_BODY_CHARS,
    maxTextBytes: deps.maxTextBytes,
    maxHtmlChars: deps.config.maxHtmlLength,
  });
  try {
    const result = await deps.ctx.ingest(message);
    return { ignored: false, kind: message.kind, result };
  } catch (err) {
    // the gateway refusing the message itself is final; anything else (the store) is worth a retry
    if (isRefusal(err)) {
      deps.ctx.log.warn({ err, externalId: message.externalId }, 'email: message refused by ingest');
      throw new EmailInboundError('MESSAGE_REFUSED', (err as Error).message);
    }
    deps.ctx.log.error({ err, externalId: message.externalId }, 'email: ingest failed');
    throw new EmailInboundError('INGEST_FAILED');
  }
}
