/**
 * What a bounce says about our outbound mail: the Message-ID of the message that failed (from the
 * returned message/rfc822 or text/rfc822-headers part, an Amazon SES notification, the body, else the
 * In-Reply-To of a gateway answering our mail) and why (Status and Diagnostic-Code of the
 * delivery-status part or of the SES notification, else the first SMTP reply quoted in the text). Pure.
 */
import type { ParsedEmail } from './mime-parser.ts';
import { readSesNotification } from './ses-notification.ts';
import { extractMessageIds } from './message-id.ts';

export interface BounceReport {
  /** Message-ID of the returned original, when the bounce carries it */
  messageId?: string;
  reason: string;
  /** the DSN Action: `failed`, `delayed`, … (`failed` assumed when there is no DSN) */
  action: string;
}

const MESSAGE_ID_LINE = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]+>)/imu;
/** only look at this much of a returned part: the headers are at its start */
const SCAN_BYTES = 64 * 1024;

export function readBounce(mail: ParsedEmail): BounceReport {
  const status = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/iu.test(a.contentType));
  const fields = status ? dsnFields(decode(status.content)) : {};
  const action = (fields['action'] ?? 'failed').toLowerCase();
  const ses = status ? undefined : readSesNotification(mail.text);
  const reason =
    [fields['status'], fields['diagnostic-code']].filter(Boolean).join(' ').trim() ||
    ses?.reason ||
    smtpReplyInText(mail.text) ||
    (mail.subject ?? 'delivery failed');
  return { messageId: returnedMessageId(mail) ?? ses?.messageId ?? answeredMessageId(mail), reason: reason.slice(0, 1000), action };
}

/** a gateway that answers our mail with an error (carriers' SMS bridges) names it as the mail it replies to */
function answeredMessageId(mail: ParsedEmail): string | undefined {
  return extractMessageIds(mail.headers['in-reply-to']?.[0]).at(-1);
}

function returnedMessageId(mail: ParsedEmail): string | undefined {
  const returned = mail.attachments.filter((a) => /^(message\/(global-)?rfc822|text\/rfc822-headers|message\/rfc822-headers)$/iu.test(a.contentType));
  for (const part of returned) {
    const head = decode(part.content).split(/\r?\n\r?\n/u, 1)[0] ?? '';
    const m = MESSAGE_ID_LINE.exec(head);
    if (m) return m[1];
  }
  // bounces that paste the original headers into the body instead of attaching them
  const m = MESSAGE_ID_LINE.exec(mail.text.slice(0, SCAN_BYTES));
  return m && m[1] !== mail.messageId ? m[1] : undefined;
}

/** per-recipient DSN fields (the first recipient block wins; the per-message block is folded in) */
function dsnFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const unfolded = text.replace(/\r?\n[ \t]+/gu, ' ');
  for (const line of unfolded.split(/\r?\n/u)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/u.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (!(key in fields)) fields[key] = m[2]!.trim();
  }
  return fields;
}

function smtpReplyInText(text: string): string | undefined {
  const m = /\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b[^\n]{0,300}/u.exec(text.slice(0, SCAN_BYTES));
  return m?.[0].trim();
}

function decode(content: Uint8Array): string {
  return Buffer.from(content.buffer, content.byteOffset, Math.min(content.byteLength, SCAN_BYTES)).toString('utf8');
}
