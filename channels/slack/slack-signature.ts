/** X-Slack-Signature check: v0 HMAC-SHA256 over `v0:{timestamp}:{raw body}`, within 5 minutes either way. */
import { verifySlackRequest } from '@slack/bolt';

export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureVerdict = { valid: true } | { valid: false; code: 'BAD_SIGNATURE' | 'STALE_TIMESTAMP'; reason: string };

export interface SignatureInput {
  signingSecret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}

export function verifySlackSignature(input: SignatureInput): SignatureVerdict {
  const { signature, timestamp } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { valid: false, code: 'STALE_TIMESTAMP', reason: 'timestamp header missing or not a number' };
  }
  const ts = Number(timestamp);
  // bolt only rejects old timestamps; one far in the future is a replay prepared in advance
  if (Math.abs(Math.floor(input.nowMs / 1000) - ts) > MAX_SKEW_SECONDS) {
    return { valid: false, code: 'STALE_TIMESTAMP', reason: `timestamp ${ts} is more than ${MAX_SKEW_SECONDS}s from now` };
  }
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    return { valid: false, code: 'BAD_SIGNATURE', reason: 'signature header missing or not v0=<64 hex>' };
  }
  try {
    verifySlackRequest({
      signingSecret: input.signingSecret,
      body: input.rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
      nowMilliseconds: input.nowMs,
    });
    return { valid: true };
  } catch (err) {
    return { valid: false, code: 'BAD_SIGNATURE', reason: (err as Error).message };
  }
}
