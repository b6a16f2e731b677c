/**
 * Inbound SMS as Twilio delivers them: form posts signed over PUBLIC_URL + path with the account's
 * auth token. Built by the benchmark process, one per request, each with a fresh MessageSid.
 */
import { inboundSmsFields, signTwilioWebhook, smsTestEnv, TEST_TWILIO } from '../../tests/support/fake-twilio-api.ts';
import { INBOUND_PATH } from '../../channels/sms/sms.routes.ts';
import type { LoadRequest } from './load-driver.ts';

/** The SMS channel's settings for a benchmark server: the tests' account, the API at a local fake. */
export const BENCH_TWILIO = TEST_TWILIO;
export const smsEnv = (apiUrl: string): Record<string, string> => smsTestEnv({ url: apiUrl });

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
