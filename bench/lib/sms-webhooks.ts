/**
 * Inbound SMS as Twilio delivers them: form posts signed over PUBLIC_URL + path with the account's
 * auth token. Built by the benchmark process, one per request, each with a fresh MessageSid.
 */
import { inboundSmsFields, signTwilioWebhook } from '../../tests/support/fake-twilio-api.ts';
import type { LoadRequest } from './load-driver.ts';

export const INBOUND_PATH = '/webhooks/twilio/sms';

/** The SMS channel's settings for a benchmark server (the API points at a local fake). */
export const BENCH_TWILIO = {
  accountSid: 'AC00000000000000000000000000bench1',
  authToken: 'bench-twilio-auth-token-0123456789',
  from: '+15017122661',
  publicUrl: 'https://support.bench.test',
} as const;

export function smsEnv(apiUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: BENCH_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: BENCH_TWILIO.authToken,
    TWILIO_FROM: BENCH_TWILIO.from,
    TWILIO_API_URL: apiUrl,
    PUBLIC_URL: BENCH_TWILIO.publicUrl,
  };
}

/** A distinct, valid E.164 number per customer. */
export function customerPhone(customer: number): string {
  return `+1555${String(1_000_000 + customer).slice(-7)}`;
}

export function signedSms(from: string, body: string): LoadRequest {
  const fields = inboundSmsFields({ accountSid: BENCH_TWILIO.accountSid, from, to: BENCH_TWILIO.from, body });
  return {
    method: 'POST',
    path: INBOUND_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioWebhook(BENCH_TWILIO.authToken, `${BENCH_TWILIO.publicUrl}${INBOUND_PATH}`, fields),
    },
    body: new URLSearchParams(fields).toString(),
  };
}
