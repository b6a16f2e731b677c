/** A verified Twilio status callback → a DeliveryUpdate, or why there is none. */
import type { DeliveryStatus, DeliveryUpdate } from '../channel.types.ts';
import { field, type FormFields } from './form-body.ts';
import type { SmsErrorCode } from './sms.errors.ts';

export type StatusParse =
  | { ok: true; update: DeliveryUpdate; reason: string }
  /** a well-formed callback that carries nothing for us (e.g. an inbound message's own status) */
  | { ok: true; update?: undefined; reason: string }
  | { ok: false; code: SmsErrorCode; detail?: string };

// Twilio's message lifecycle folded onto ours; `sending` is still on Twilio's side, so still queued.
const STATUS_MAP: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

// statuses of messages we received, not sent: nothing to record
const INBOUND_STATUSES = new Set(['receiving', 'received']);

/** `interactionId`: the `i` of the callback URL we asked for, if any. */
export function parseStatusCallback(fields: FormFields, interactionId?: string): StatusParse {
  const sid = field(fields, 'MessageSid')?.trim() || field(fields, 'SmsSid')?.trim();
  if (!sid) return { ok: false, code: 'MISSING_MESSAGE_SID' };
  if (!/^[A-Za-z0-9]{1,64}$/.test(sid)) return { ok: false, code: 'INVALID_MESSAGE_SID' };
  const raw = (field(fields, 'MessageStatus') ?? field(fields, 'SmsStatus'))?.trim().toLowerCase();
  if (!raw) return { ok: false, code: 'MISSING_MESSAGE_STATUS' };
  if (INBOUND_STATUSES.has(raw)) return { ok: true, reason: `status ${raw} belongs to an inbound message` };
  const status = STATUS_MAP[raw];
  if (!status) return { ok: false, code: 'INVALID_MESSAGE_STATUS', detail: `got ${JSON.stringify(raw.slice(0, 30))}` };

  const update: DeliveryUpdate = { channel: 'sms', externalId: sid, status };
  if (interactionId && /^[A-Za-z0-9_-]{1,64}$/.test(interactionId)) update.interactionId = interactionId;
  const error = describeError(field(fields, 'ErrorCode'), field(fields, 'ErrorMessage'), raw);
  if (error) update.error = error;
  return { ok: true, update, reason: `Twilio status ${raw} → ${status}` };
}

function describeError(code: string | undefined, message: string | undefined, raw: string): string | undefined {
  const parts = [code?.trim() ? `Twilio error ${code.trim()}` : undefined, message?.trim() || undefined];
  const text = parts.filter(Boolean).join(': ');
  if (text) return text.slice(0, 500);
  return raw === 'canceled' ? 'canceled before sending' : undefined;
}
