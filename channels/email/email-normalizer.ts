/**
 * ParsedEmail → InboundMessage: sender, texts (new part and whole body), attachments, loop verdict,
 * bounce details and thread hints, with the reasons kept in `meta`. Every field is bounded so the
 * message always passes ingest's limits: a mail is never refused for being long, only cut.
 */
import { createHash } from 'node:crypto';
import type { AttachmentMeta, InboundMessage } from '../channel.types.ts';
import type { ParsedAddress, ParsedEmail } from './mime-parser.ts';
import type { AttachmentStore } from '../attachment-store.ts';
import type { CaseTagger } from './case-tag.ts';
import { classifyMail } from './loop-guard.ts';
import { readBounce } from './bounce-report.ts';
import { threadHints, isSupportAddress, MAIL_ADDRESS } from './thread-hints.ts';
import { extractMessageIds } from './message-id.ts';
import { trimReply } from './reply-trimmer.ts';
import { htmlToPlainText } from './html-text.ts';

export interface NormalizeContext {
  supportAddresses: readonly string[];
  tagger: CaseTagger;
  envelopeTo?: readonly string[];
  /** the SMTP MAIL FROM, a last resort when the headers name no sender */
  envelopeFrom?: string;
  /** the SMTP MAIL FROM was empty (<>): a machine wrote this */
  nullSender?: boolean;
  receivedAt: Date;
  attachments: AttachmentStore;
  /** longest whole body kept (the rest is cut and flagged in meta) */
  maxTextChars: number;
  /** largest new text, in UTF-8 bytes (the pipeline's limit for a message's text) */
  maxTextBytes: number;
  /** longest HTML kept on the message */
  maxHtmlChars: number;
}

/** stands in for the sender of a mail that names none: it is stored, but there is nobody to answer */
const NO_SENDER = 'unknown-sender@invalid';
const MAX_SUBJECT_CHARS = 1000;
/** longer provider ids (Message-ID and sender) are kept as their hash */
const MAX_ID_CHARS = 255;

export async function normalizeMail(raw: Buffer, mail: ParsedEmail, ctx: NormalizeContext): Promise<InboundMessage> {
  const ownId = extractMessageIds(mail.headers['message-id']?.[0])[0];
  const verdict = classifyMail(mail, { nullSender: ctx.nullSender });
  const sender = pickSender(mail, ctx);
  const address = sender?.address.toLowerCase() ?? NO_SENDER;
  // The same mail twice (either door, a retry) has the same Message-ID and sender; another sender reusing a
  // Message-ID (a careless mailer, or someone hoping to suppress a mail) is another message.
  const key = ownId ? `${ownId} ${address}` : null;
  const externalId = !key ? `sha256:${sha256(raw)}` : key.length <= MAX_ID_CHARS ? key : `sha256:${sha256(Buffer.from(key))}`;

  const plainFallback = mail.text.trim() === '' && Boolean(mail.html);
  let body = plainFallback ? htmlToPlainText(mail.html!, ctx.maxTextChars) : mail.text;
  const bodyTruncated = body.length > ctx.maxTextChars;
  if (bodyTruncated) body = body.slice(0, ctx.maxTextChars);
  // an offset into the worker's text (whose lines end in \n alone); a quote cut off with the tail is none
  const quoteAt = !plainFallback && mail.quoteAt !== undefined && mail.quoteAt <= body.length ? mail.quoteAt : undefined;
  body = body.replace(/\r\n?/gu, '\n');
  const trimmed = trimReply(body, quoteAt);
  const fullText = body.trim();
  const newText = trimmed.text || fullText;
  const text = truncateUtf8(newText, ctx.maxTextBytes);

  const { hints, trustedFrom } = threadHints(mail, { supportAddresses: ctx.supportAddresses, envelopeTo: ctx.envelopeTo, tagger: ctx.tagger });
  const recipients = [...mail.to, ...mail.cc].map((a) => a.address.toLowerCase());
  const to = [...(ctx.envelopeTo ?? []), ...recipients].find((a) => isSupportAddress(a, ctx.supportAddresses));

  // without any address there is nobody to answer: stored, but it must not open a case
  const kind = verdict.kind === 'message' && !sender ? 'auto_reply' : verdict.kind;
  const message: InboundMessage = {
    channel: 'email',
    externalId,
    kind,
    from: { address, name: sender?.name || mail.from[0]?.name || undefined, email: sender ? address : undefined },
    to,
    // encoded-words can smuggle line breaks and other controls into a subject: they become spaces
    subject: mail.subject?.replace(/[\u0000-\u001f\u007f]+/gu, ' ').slice(0, MAX_SUBJECT_CHARS),
    text,
    thread: hints,
    receivedAt: ctx.receivedAt,
    meta: {
      from: mail.from.map((a) => a.address),
      to: recipients,
      envelopeTo: ctx.envelopeTo,
      date: mail.date,
      classification: kind === verdict.kind ? verdict.reason : 'no sender address',
      trimmed: trimmed.reason,
      trustedFrom,
      textTruncated: bodyTruncated || text.length < newText.length || undefined,
    },
  };
  if (ownId) message.messageId = ownId;
  if (fullText !== message.text) message.fullText = fullText;
  if (mail.html && mail.html.length <= ctx.maxHtmlChars) message.html = mail.html;
  const attachments = await storeAttachments(mail, ctx.attachments);
  if (attachments.length > 0) message.attachments = attachments;

  if (kind === 'bounce') {
    const bounce = readBounce(mail);
    message.meta = { ...message.meta, dsnAction: bounce.action, bounceReason: bounce.reason };
    // a delay notice is not a failure: the mail may still arrive
    if (bounce.action !== 'delayed') message.failedOutbound = { messageId: bounce.messageId, reason: bounce.reason };
  }
  return message;
}

/**
 * Who answers go to: Reply-To over From, then the SMTP envelope sender. Our own addresses never
 * count (a Reply-To pointing at us would make us answer ourselves).
 */
function pickSender(mail: ParsedEmail, ctx: NormalizeContext): ParsedAddress | undefined {
  const envelope = ctx.envelopeFrom ? [{ address: ctx.envelopeFrom, name: '' }] : [];
  return [...mail.replyTo, ...mail.from, ...envelope].find(
    (a) => MAIL_ADDRESS.test(a.address.trim()) && !isSupportAddress(a.address, ctx.supportAddresses),
  );
}

/** the longest prefix of `s` that fits in `maxBytes` of UTF-8, never splitting a character */
function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  const cut = Buffer.from(s, 'utf8').subarray(0, maxBytes).toString('utf8');
  // a character cut in half decodes as U+FFFD at the end; drop it
  return cut.replace(/\uFFFD$/u, '');
}

async function storeAttachments(mail: ParsedEmail, store: AttachmentStore): Promise<AttachmentMeta[]> {
  const out: AttachmentMeta[] = [];
  for (const [i, a] of mail.attachments.entries()) {
    const stored = await store.put(a.content);
    out.push({
      name: a.filename ?? `attachment-${i + 1}`,
      contentType: a.contentType,
      size: a.content.byteLength || a.size,
      sha256: stored.sha256,
      storedPath: stored.storedPath,
    });
  }
  return out;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function isOwnEcho(mail: ParsedEmail, supportAddresses: readonly string[]): boolean {
  return mail.from.some((a) => isSupportAddress(a.address, supportAddresses));
}
