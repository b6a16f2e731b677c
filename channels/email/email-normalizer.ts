/**
 * ParsedEmail → InboundMessage: sender, texts (new part and whole body), attachments, loop verdict,
 * bounce details and thread hints, with the reasons kept in `meta`.
 */
import { createHash } from 'node:crypto';
import type { AttachmentMeta, InboundMessage } from '../channel.types.ts';
import type { ParsedEmail } from './mime-parser.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { classifyMail } from './loop-guard.ts';
import { readBounce } from './bounce-report.ts';
import { threadHints, isSupportAddress } from './thread-hints.ts';
import { extractMessageIds } from './message-id.ts';
import { trimReply } from './reply-trimmer.ts';
import { htmlToPlainText } from './html-text.ts';

export interface NormalizeContext {
  supportAddresses: readonly string[];
  envelopeTo?: readonly string[];
  receivedAt: Date;
  attachments: AttachmentStore;
  /** longest body text kept (the rest is cut and flagged in meta) */
  maxTextChars: number;
  /** longest HTML kept on the message */
  maxHtmlChars: number;
}

export async function normalizeMail(raw: Buffer, mail: ParsedEmail, ctx: NormalizeContext): Promise<InboundMessage> {
  const ownId = extractMessageIds(mail.headers['message-id']?.[0])[0];
  const externalId = ownId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const verdict = classifyMail(mail);
  const senderAddress = mail.replyTo[0] ?? mail.from[0];
  const name = senderAddress?.name || mail.from[0]?.name || undefined;
  const address = (senderAddress?.address ?? '').toLowerCase();

  let body = mail.text.trim() === '' && mail.html ? htmlToPlainText(mail.html, ctx.maxTextChars) : mail.text;
  const textTruncated = body.length > ctx.maxTextChars;
  if (textTruncated) body = body.slice(0, ctx.maxTextChars);
  body = body.replace(/\r\n?/gu, '\n');
  const trimmed = trimReply(body);
  const fullText = body.trim();

  const { hints, trustedFrom } = threadHints(mail, { supportAddresses: ctx.supportAddresses, envelopeTo: ctx.envelopeTo });
  const recipients = [...mail.to, ...mail.cc].map((a) => a.address.toLowerCase());
  const to = [...(ctx.envelopeTo ?? []), ...recipients].find((a) => isSupportAddress(a, ctx.supportAddresses));

  // without any address there is nobody to answer: stored, but it must not open a case
  const kind = verdict.kind === 'message' && address === '' ? 'auto_reply' : verdict.kind;
  const message: InboundMessage = {
    channel: 'email',
    externalId,
    kind,
    from: { address, name, email: address || undefined },
    to,
    subject: mail.subject,
    text: trimmed.text || fullText,
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
      textTruncated: textTruncated || undefined,
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

export function isOwnEcho(mail: ParsedEmail, supportAddresses: readonly string[]): boolean {
  return mail.from.some((a) => isSupportAddress(a.address, supportAddresses));
}
