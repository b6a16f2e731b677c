/**
 * Reads an Amazon SES notification (bounce, complaint, delivery, …) from a mail body: the JSON that
 * SNS mails out, bare or inside SNS's own envelope, whatever address relays it. Pure; anything that
 * is not such a notification gives undefined.
 */
import { nestsDeeperThan } from '../json-safety.ts';

export interface SesNotification {
  /** SES's notificationType / eventType (`Bounce`, `Complaint`, …), or the SNS envelope's Type */
  type: string;
  /** the Message-ID of the mail it is about */
  messageId?: string;
  /** status and diagnostic of the first bounced recipient */
  reason?: string;
}

type Json = Record<string, unknown>;

/** notifications are a few KB; a longer body is not one */
const MAX_JSON_CHARS = 256 * 1024;
const MESSAGE_ID = /^<[^<>\s]+>$/u;

export function readSesNotification(text: string): SesNotification | undefined {
  const start = text.search(/\S/u);
  if (start < 0 || text[start] !== '{') return undefined;
  // SNS's email format puts an unsubscribe footer under the JSON
  const end = text.lastIndexOf('}');
  if (end - start > MAX_JSON_CHARS) return undefined;
  const json = text.slice(start, end + 1);
  // notifications nest a few levels; a hostile body of nested brackets is not parsed at all
  if (nestsDeeperThan(json, 16)) return undefined;
  const outer = parseObject(json);
  if (!outer) return undefined;
  const wrapped = typeof outer.Message === 'string' ? parseObject(outer.Message) : undefined;
  const n = wrapped ?? outer;
  const type = str(n.notificationType) ?? str(n.eventType);
  const mail = obj(n.mail);
  if (type && mail) return { type, messageId: messageIdOf(mail), reason: reasonOf(obj(n.bounce)) };
  // an SNS envelope around something else (an alarm, a subscription confirmation) is still a machine's
  const snsType = str(outer.Type);
  return snsType && str(outer.TopicArn) ? { type: snsType } : undefined;
}

function messageIdOf(mail: Json): string | undefined {
  const common = str(obj(mail.commonHeaders)?.messageId);
  if (common && MESSAGE_ID.test(common)) return common;
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  const header = headers.map(obj).find((h) => /^message-id$/iu.test(str(h?.name) ?? ''));
  const value = str(header?.value)?.trim();
  return value && MESSAGE_ID.test(value) ? value : undefined;
}

function reasonOf(bounce: Json | undefined): string | undefined {
  if (!bounce) return undefined;
  const recipients = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients : [];
  const first = obj(recipients[0]);
  const fromRecipient = [str(first?.status), str(first?.diagnosticCode)].filter(Boolean).join(' ');
  const fromType = [str(bounce.bounceType), str(bounce.bounceSubType)].filter(Boolean).join(' ');
  return (fromRecipient || fromType || undefined)?.slice(0, 1000);
}

function parseObject(s: string): Json | undefined {
  try {
    return obj(JSON.parse(s));
  } catch {
    return undefined;
  }
}

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
