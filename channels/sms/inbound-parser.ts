/** A verified Twilio inbound form → InboundMessage, or the reason it cannot be one. */
import type { AttachmentMeta, InboundMessage } from '../channel.types.ts';
import { field, type FormFields } from './form-body.ts';
import { classifyKeyword } from './keyword-classifier.ts';
import { normalizeE164 } from './phone-number.ts';
import { isHttpUrl, MEDIA_CEILING } from './sms.config.ts';
import type { SmsErrorCode } from './sms.errors.ts';

export interface InboundOptions {
  maxMedia: number;
  receivedAt: Date;
}

export type InboundParse =
  | { ok: true; message: InboundMessage; notes: string[] }
  | { ok: false; code: SmsErrorCode; detail?: string };

const SID = /^[A-Za-z0-9]{1,64}$/;

export function parseInboundSms(fields: FormFields, options: InboundOptions): InboundParse {
  const sid = field(fields, 'MessageSid')?.trim();
  if (!sid) return { ok: false, code: 'MISSING_MESSAGE_SID' };
  if (!SID.test(sid)) return { ok: false, code: 'INVALID_MESSAGE_SID' };
  const rawFrom = field(fields, 'From')?.trim();
  if (!rawFrom) return { ok: false, code: 'MISSING_FROM' };

  const media = parseMedia(fields, options.maxMedia);
  if (!media.ok) return { ok: false, code: 'INVALID_NUM_MEDIA', detail: media.detail };

  const notes = [...media.notes];
  const body = field(fields, 'Body') ?? '';
  const from = normalizeE164(rawFrom);
  const rawTo = field(fields, 'To')?.trim();
  const to = rawTo ? normalizeE164(rawTo) : undefined;

  let kind: InboundMessage['kind'];
  let keyword: string | undefined;
  if (from.ok) {
    const decision = classifyKeyword(body);
    kind = decision.kind;
    keyword = decision.keyword;
    notes.push(decision.reason);
  } else {
    // short codes and alphanumeric senders are carriers and bots: keep the message, never answer it
    kind = 'auto_reply';
    notes.push(`${from.reason}: treated as an automated sender`);
  }

  const message: InboundMessage = {
    channel: 'sms',
    externalId: sid,
    kind,
    from: from.ok ? { address: from.e164, phone: from.e164 } : { address: rawFrom.slice(0, 64) },
    to: to?.ok ? to.e164 : rawTo,
    text: body,
    attachments: media.attachments.length > 0 ? media.attachments : undefined,
    thread: { byContact: true },
    receivedAt: options.receivedAt,
    meta: compact({
      to: to?.ok ? to.e164 : rawTo,
      numSegments: wholeNumber(field(fields, 'NumSegments')),
      numMedia: media.declared,
      keyword,
      fromCountry: field(fields, 'FromCountry') || undefined,
      messagingServiceSid: field(fields, 'MessagingServiceSid') || undefined,
      notes,
    }),
  };
  return { ok: true, message, notes };
}

type MediaParse =
  | { ok: true; declared: number; attachments: AttachmentMeta[]; notes: string[] }
  | { ok: false; detail: string };

function parseMedia(fields: FormFields, maxMedia: number): MediaParse {
  const raw = field(fields, 'NumMedia')?.trim();
  if (raw === undefined || raw === '') return { ok: true, declared: 0, attachments: [], notes: [] };
  const declared = wholeNumber(raw);
  if (declared === undefined) return { ok: false, detail: `got ${JSON.stringify(raw.slice(0, 20))}` };

  // Twilio never sends more than 10: a larger count is not Twilio's, whatever the signature says
  if (declared > MEDIA_CEILING) return { ok: false, detail: `got ${declared}; Twilio sends at most ${MEDIA_CEILING}` };
  const notes: string[] = [];
  const kept = Math.min(declared, maxMedia);
  if (kept < declared) notes.push(`NumMedia ${declared} exceeds the limit of ${maxMedia}; kept the first ${kept}`);
  const attachments: AttachmentMeta[] = [];
  for (let i = 0; i < kept; i++) {
    const url = field(fields, `MediaUrl${i}`)?.trim();
    const contentType = field(fields, `MediaContentType${i}`)?.trim() || 'application/octet-stream';
    if (!url) {
      notes.push(`MediaUrl${i} missing although NumMedia is ${declared}; skipped`);
      continue;
    }
    const attachment: AttachmentMeta = { name: mediaName(i, contentType), contentType, size: 0 };
    if (isHttpUrl(url)) attachment.url = url;
    else notes.push(`MediaUrl${i} is not an http(s) URL; kept without a link`);
    attachments.push(attachment);
  }
  return { ok: true, declared, attachments, notes };
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'audio/mpeg': '.mp3',
  'audio/amr': '.amr',
  'audio/ogg': '.ogg',
  'text/vcard': '.vcf',
  'text/x-vcard': '.vcf',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

function mediaName(index: number, contentType: string): string {
  const ext = EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? '';
  return `media-${index + 1}${ext}`;
}

function wholeNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,9}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
