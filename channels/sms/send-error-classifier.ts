/** A failed Twilio API call → SendError: retry later (rate limits, outages, network) or give up now. */
import { RECIPIENT_OPTED_OUT, SendError } from '../channel.types.ts';

interface ProviderFailure {
  status?: number;
  code?: number | string;
  message?: string;
}

// Twilio codes that mean "this message can never go out as addressed"; the code names them channel-neutrally.
const PERMANENT: Record<string, string> = {
  '21610': RECIPIENT_OPTED_OUT,
  '21211': 'INVALID_RECIPIENT',
  '21401': 'INVALID_RECIPIENT',
  '21614': 'RECIPIENT_NOT_MOBILE',
  '21612': 'RECIPIENT_UNREACHABLE',
  '21408': 'RECIPIENT_REGION_NOT_ENABLED',
  '21635': 'RECIPIENT_UNREACHABLE',
  '21606': 'INVALID_SENDER',
  '21212': 'INVALID_SENDER',
  '21659': 'INVALID_SENDER',
  '21660': 'INVALID_SENDER',
  '21608': 'RECIPIENT_NOT_VERIFIED',
  '21617': 'BODY_TOO_LONG',
  '21602': 'EMPTY_BODY',
  '20003': 'AUTH_FAILED',
  '20404': 'NOT_FOUND',
  '30007': 'CARRIER_FILTERED',
};

// codes Twilio uses for "slow down" and "try again", whatever the HTTP status says
const TRANSIENT: Record<string, string> = {
  '20429': 'RATE_LIMITED',
  '20500': 'PROVIDER_UNAVAILABLE',
  '20503': 'PROVIDER_UNAVAILABLE',
  '63018': 'RATE_LIMITED',
};

export function classifySendFailure(err: unknown): SendError {
  if (err instanceof SendError) return err;
  // an answer came back but could not be read: the message may exist, and sending again could text twice
  if (err instanceof SyntaxError) {
    return new SendError(`SMS API answered something unreadable (the message may have been sent): ${err.message.slice(0, 200)}`, false, 'PROVIDER_UNREADABLE');
  }
  const failure = asProviderFailure(err);
  if (failure.status === undefined) {
    // nothing came back: connection refused, reset, timeout. Safe to try again later.
    const detail = (err as { code?: string })?.code ?? (err as Error)?.message ?? String(err);
    return new SendError(`SMS API unreachable: ${detail}`, true, 'NETWORK_ERROR');
  }
  const code = failure.code === undefined ? undefined : String(failure.code);
  const described = `Twilio ${code ? `error ${code}` : `HTTP ${failure.status}`}: ${failure.message ?? 'no message'}`;
  if (code && TRANSIENT[code]) return new SendError(described, true, TRANSIENT[code]);
  if (failure.status === 429) return new SendError(described, true, 'RATE_LIMITED');
  if (failure.status >= 500) return new SendError(described, true, 'PROVIDER_UNAVAILABLE');
  if (code && PERMANENT[code]) return new SendError(described, false, PERMANENT[code]);
  if (failure.status === 408) return new SendError(described, true, 'PROVIDER_TIMEOUT');
  // any other 4xx is the request itself being wrong: sending it again gives the same answer
  return new SendError(described, false, 'PROVIDER_REJECTED');
}

function asProviderFailure(err: unknown): ProviderFailure {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as Record<string, unknown>;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' || (typeof e.code === 'string' && /^\d+$/.test(e.code)) ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : typeof e.detail === 'string' ? e.detail : undefined;
  return { status, code: code as number | string | undefined, message };
}
