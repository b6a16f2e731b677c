/** SMS channel settings, read once from the environment. */
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
  /** bytes accepted in one webhook body */
  bodyLimit: number;
  /** milliseconds before an API call is abandoned (and retried by the outbox) */
  requestTimeoutMs: number;
  /** values that were unusable and fell back to their default, to be logged at start */
  warnings: string[];
}

export const SMS_DEFAULTS = {
  publicUrl: 'http://127.0.0.1:3000',
  ratePerSecond: 1,
  accountRatePerSecond: 10,
  helpText: 'Reply to this number to reach our support team. Reply STOP to opt out.',
  maxMedia: 10,
  bodyLimit: 64 * 1024,
  requestTimeoutMs: 15_000,
} as const;

/** Twilio never sends more than 10 media per message; a higher setting buys nothing. */
const MEDIA_CEILING = 10;

export function smsConfigFromEnv(env: NodeJS.ProcessEnv): SmsConfig {
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

  let publicUrl = text('PUBLIC_URL') ?? SMS_DEFAULTS.publicUrl;
  if (!isHttpUrl(publicUrl)) {
    warnings.push(`PUBLIC_URL=${JSON.stringify(publicUrl)} is not an http(s) URL; using ${SMS_DEFAULTS.publicUrl}`);
    publicUrl = SMS_DEFAULTS.publicUrl;
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
    from: text('TWILIO_FROM'),
    apiUrl,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    trustProxy: text('TRUST_PROXY')?.toLowerCase() === 'true',
    ratePerSecond: positive('SMS_RATE_PER_SECOND', SMS_DEFAULTS.ratePerSecond),
    accountRatePerSecond: positive('SMS_ACCOUNT_RATE_PER_SECOND', SMS_DEFAULTS.accountRatePerSecond),
    // SMS_HELP_TEXT set but blank silences HELP answers; unset gives the default
    helpText: env.SMS_HELP_TEXT !== undefined ? env.SMS_HELP_TEXT.trim() : SMS_DEFAULTS.helpText,
    maxMedia: Math.floor(maxMedia),
    bodyLimit: SMS_DEFAULTS.bodyLimit,
    requestTimeoutMs: SMS_DEFAULTS.requestTimeoutMs,
    warnings,
  };
}

/** Why the channel cannot run with this config, or undefined when it can. */
export function missingCredentials(config: SmsConfig): string | undefined {
  const missing = [
    config.accountSid ? undefined : 'TWILIO_ACCOUNT_SID',
    config.authToken ? undefined : 'TWILIO_AUTH_TOKEN',
    config.from ? undefined : 'TWILIO_FROM',
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) return `SMS channel off: ${missing.join(', ')} not set`;
  if (!config.accountSid!.startsWith('AC')) return 'SMS channel off: TWILIO_ACCOUNT_SID must start with AC';
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
