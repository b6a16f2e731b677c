/** SMS channel settings, read once from the environment. */
import { isShortCode, normalizeE164 } from './phone-number.ts';

export interface SmsConfig {
  accountSid?: string;
  authToken?: string;
  /** the number (E.164) our messages come from */
  from?: string;
  /** API base override (tests, proxies); unset = Twilio's own */
  apiUrl?: string;
  /** the public origin (and optional path prefix) Twilio posts to; signatures are computed over it */
  publicUrl: string;
  /** rebuild the signed URL from X-Forwarded-Proto / X-Forwarded-Host (only behind a proxy you run) */
  trustProxy: boolean;
  /** sends per second per sending number */
  ratePerSecond: number;
  /** sends per second for the whole account */
  accountRatePerSecond: number;
  /** the answer to HELP / INFO; empty = answer nothing */
  helpText: string;
  /** media entries kept per inbound MMS; more are dropped (logged) */
  maxMedia: number;
  /** images agents send go as MMS (Twilio fetches them from our links); off: every file goes as a link in the text */
  mms: boolean;
  /** bytes accepted in one webhook body */
  bodyLimit: number;
  /** milliseconds before an API call is abandoned (and retried by the outbox) */
  requestTimeoutMs: number;
  /** values that were unusable and fell back to their default, to be logged at start */
  warnings: string[];
}

/** Twilio never sends more than 10 media per message; a higher setting buys nothing. */
export const MEDIA_CEILING = 10;

export const SMS_DEFAULTS = {
  ratePerSecond: 1,
  accountRatePerSecond: 10,
  helpText: 'Reply to this number to reach our support team. Reply STOP to opt out.',
  maxMedia: MEDIA_CEILING,
  bodyLimit: 64 * 1024,
  requestTimeoutMs: 15_000,
} as const;


/**
 * `publicUrl` is the gateway's own idea of where it is reached (PUBLIC_URL, else its listen address);
 * Twilio signs its webhooks over that origin and our status callbacks point there.
 */
export function smsConfigFromEnv(env: NodeJS.ProcessEnv, publicUrl: string): SmsConfig {
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const positive = (name: string, fallback: number, max = Infinity): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > max) {
      warnings.push(`${name}=${JSON.stringify(raw)} is not a number in (0, ${max}]; using ${fallback}`);
      return fallback;
    }
    return value;
  };

  if (!text('PUBLIC_URL')) {
    warnings.push(`PUBLIC_URL is not set: Twilio must post to ${publicUrl}, and signatures are checked against it`);
  }
  let apiUrl = text('TWILIO_API_URL');
  if (apiUrl !== undefined && !isHttpUrl(apiUrl)) {
    warnings.push(`TWILIO_API_URL=${JSON.stringify(apiUrl)} is not an http(s) URL; using Twilio's own API`);
    apiUrl = undefined;
  }
  const maxMedia = positive('SMS_MAX_MEDIA', SMS_DEFAULTS.maxMedia, MEDIA_CEILING);

  return {
    accountSid: text('TWILIO_ACCOUNT_SID'),
    authToken: text('TWILIO_AUTH_TOKEN'),
    from: sender(text('TWILIO_FROM')),
    apiUrl,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    // any proxy setting (true, a hop count, the proxies' addresses) means the origin comes from X-Forwarded-*
    trustProxy: trustsProxy(text('TRUST_PROXY')?.toLowerCase() ?? ''),
    ratePerSecond: positive('SMS_RATE_PER_SECOND', SMS_DEFAULTS.ratePerSecond),
    accountRatePerSecond: positive('SMS_ACCOUNT_RATE_PER_SECOND', SMS_DEFAULTS.accountRatePerSecond),
    // SMS_HELP_TEXT set but blank silences HELP answers; unset gives the default
    helpText: env.SMS_HELP_TEXT !== undefined ? env.SMS_HELP_TEXT.trim() : SMS_DEFAULTS.helpText,
    maxMedia: Math.floor(maxMedia),
    mms: !['off', 'false', '0', 'no'].includes(text('SMS_MMS')?.toLowerCase() ?? ''),
    bodyLimit: SMS_DEFAULTS.bodyLimit,
    requestTimeoutMs: SMS_DEFAULTS.requestTimeoutMs,
    warnings,
  };
}

/** Why the channel cannot run with this config (a plain reason), or undefined when it can. */
export function whySmsIsOff(config: SmsConfig): string | undefined {
  const missing = [
    config.accountSid ? undefined : 'TWILIO_ACCOUNT_SID',
    config.authToken ? undefined : 'TWILIO_AUTH_TOKEN',
    config.from ? undefined : 'TWILIO_FROM',
  ].filter((name): name is string => name !== undefined);
  // plain reasons: the gateway prefixes them with "sms channel is off:"
  if (missing.length > 0) return `${missing.join(', ')} not set`;
  if (!config.accountSid!.startsWith('AC')) return 'TWILIO_ACCOUNT_SID must start with AC';
  // what Twilio accepts as `From` for SMS: an E.164 number or a short code
  if (!normalizeE164(config.from!).ok && !isShortCode(config.from!)) return `TWILIO_FROM must be a number in E.164 form (+15017122661) or a short code, got ${JSON.stringify(config.from)}`;
  if (!isHttpUrl(config.publicUrl)) return `PUBLIC_URL must be an http(s) URL for Twilio to post to, got ${JSON.stringify(config.publicUrl)}`;
  return undefined;
}

/** "+1 (501) 712-2661" → "+15017122661"; anything else is kept as written for the start-up check to name. */
function sender(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const e164 = normalizeE164(raw);
  return e164.ok ? e164.e164 : raw;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function trustsProxy(value: string): boolean {
  return value === 'true' || (/^[0-9a-f.:/,\s]+$/u.test(value) && !/^0+$/u.test(value));
}
