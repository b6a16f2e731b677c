/** OutboundMessage → one Twilio message, paced by the rate limiter; errors sorted into retry-or-not. */
import { SendError, type OutboundAttachment, type OutboundMessage, type SendResult } from '../channel.types.ts';
import { normalizeE164 } from './phone-number.ts';
import { classifySendFailure } from './send-error-classifier.ts';
import type { SendRateLimiter } from './send-rate-limiter.ts';
import type { TwilioClient } from './twilio-client.ts';

/** Twilio's own ceiling for one message body; it splits into segments below that, we never split. */
export const MAX_BODY_CHARS = 1600;

export interface SmsSenderDeps {
  client: Pick<TwilioClient, 'messages'>;
  from: string;
  statusCallbackUrl: string;
  limiter: SendRateLimiter;
  /** images go as MMS media; otherwise, and for every other file, links in the text */
  mms: boolean;
}

/** What MMS carries to handsets reliably (Twilio: 5 MB a message; other types are not shown everywhere). */
const MMS_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif']);
const MMS_MAX_BYTES = 5 * 1024 * 1024;

/** The text of a message and its MMS media: images within Twilio's limit as media, other files as links after the text. */
export function smsContent(msg: Pick<OutboundMessage, 'text' | 'attachments'>, mms: boolean): { body: string; mediaUrl: string[] } {
  const media: OutboundAttachment[] = [];
  let bytes = 0;
  for (const a of msg.attachments ?? []) {
    if (mms && MMS_TYPES.has(a.contentType) && media.length < 10 && bytes + a.size <= MMS_MAX_BYTES) {
      media.push(a);
      bytes += a.size;
    }
  }
  // the link ends in the file's name already: one line each, as short as it can be (SMS allows 1,600 characters)
  const links = (msg.attachments ?? []).filter((a) => !media.includes(a)).map((a) => a.url);
  const body = links.length ? [msg.text.trim(), ...links].filter(Boolean).join('\n') : msg.text;
  return { body, mediaUrl: media.map((a) => a.url) };
}

export type SmsSend = (msg: OutboundMessage) => Promise<SendResult>;

export function createSmsSender(deps: SmsSenderDeps): SmsSend {
  return async (msg) => {
    const to = normalizeE164(msg.to.phone ?? msg.to.address);
    if (!to.ok) throw new SendError(`cannot text this recipient: ${to.reason}`, false, 'INVALID_RECIPIENT');
    const { body, mediaUrl } = smsContent(msg, deps.mms);
    if (body.trim() === '' && mediaUrl.length === 0) throw new SendError('an SMS needs a body', false, 'EMPTY_BODY');
    const length = [...body].length;
    if (length > MAX_BODY_CHARS) {
      throw new SendError(`the body has ${length} characters; SMS allows ${MAX_BODY_CHARS}`, false, 'BODY_TOO_LONG');
    }

    let created: { sid: string; status: string; errorCode?: number | null; errorMessage?: string | null };
    // an earlier attempt may have reached Twilio unrecorded (its worker died): Twilio does not deduplicate, so ask first
    if (msg.mayBeSentSince) {
      const earlier = await findEarlierSend(deps.client, { to: to.e164, from: deps.from, body, since: msg.mayBeSentSince, recordedElsewhere: msg.recordedElsewhere });
      if (earlier) return toSendResult(earlier);
    }
    try {
      created = await deps.limiter.schedule(deps.from, async () => {
        // after the pacing wait: a STOP that arrived meanwhile still holds the text back
        await msg.confirmSend?.();
        return deps.client.messages.create({
          to: to.e164,
          from: deps.from,
          body,
          ...(mediaUrl.length ? { mediaUrl } : {}),
          // our id in the callback URL (covered by the signature): a status that beats the API's own answer still finds its message
          statusCallback: `${deps.statusCallbackUrl}?i=${encodeURIComponent(msg.interactionId)}`,
        });
      });
    } catch (err) {
      throw classifySendFailure(err);
    }
    return toSendResult(created);
  };
}

function toSendResult(created: { sid: string; status: string; errorCode?: number | null; errorMessage?: string | null }): SendResult {
  switch (created.status) {
    case 'sent':
      return { status: 'sent', externalId: created.sid };
    case 'delivered':
      return { status: 'delivered', externalId: created.sid };
    case 'failed':
    case 'undelivered':
    case 'canceled':
      // accepted by the API yet already dead: the message exists, a retry would only repeat the failure
      throw new SendError(
        `Twilio reported ${created.status} for ${created.sid}${created.errorCode ? ` (error ${created.errorCode}: ${created.errorMessage ?? ''})` : ''}`,
        false,
        'PROVIDER_REJECTED',
      );
    default:
      // queued, accepted, scheduled, sending: the status callback will tell the rest
      return { status: 'queued', externalId: created.sid };
  }
}

/** Messages to one number looked at, newest first: an unrecorded attempt is among the latest. */
const LOOKBACK = 20;
/** Slack between our clock and Twilio's (which keeps whole seconds) when comparing creation times. */
const CLOCK_SLACK_MS = 5_000;

/**
 * The message an earlier attempt created, if Twilio has one: same number, same sender, same text, created
 * since that attempt's claim, and not recorded on another answer (the same text may have been answered
 * twice); the oldest such. A failed lookup is a retryable failure, and the next attempt asks again.
 */
async function findEarlierSend(
  client: Pick<TwilioClient, 'messages'>,
  q: { to: string; from: string; body: string; since: Date; recordedElsewhere?: ((externalId: string) => Promise<boolean>) | undefined },
) {
  let latest: Awaited<ReturnType<TwilioClient['messages']['list']>>;
  try {
    latest = await client.messages.list({ to: q.to, from: q.from, limit: LOOKBACK });
  } catch (err) {
    throw new SendError(`could not ask Twilio whether an earlier attempt was sent: ${(err as Error).message}`, true, 'LOOKUP_FAILED');
  }
  const body = comparable(q.body);
  const candidates = latest
    .filter((m) => m.dateCreated.getTime() >= q.since.getTime() - CLOCK_SLACK_MS && comparable(m.body) === body)
    .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
  for (const m of candidates) {
    if (!(await q.recordedElsewhere?.(m.sid))) return m;
  }
  return null;
}

/**
 * Text as Twilio may have stored it: its smart encoding swaps typographic quotes, dashes and spaces for
 * plain ones to fit GSM-7, and line endings may change; compare what survives that.
 */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}
