/** X-Twilio-Signature verification: the one place that decides whether a webhook came from Twilio. */
import twilio from 'twilio';
import type { FormFields } from './form-body.ts';

export interface SignatureCheck {
  authToken: string;
  /** the X-Twilio-Signature header as received */
  signature: string | undefined;
  /** the URL Twilio posted to, with the query string as received */
  url: string;
  /** the form fields of the body (empty for JSON bodies) */
  params: FormFields;
  /** the raw body, needed only when Twilio signed a JSON body (bodySHA256 in the URL) */
  rawBody?: string;
}

export interface SignatureVerdict {
  valid: boolean;
  reason: string;
}

export function verifyTwilioSignature(check: SignatureCheck): SignatureVerdict {
  const signature = check.signature?.trim();
  if (!signature) return { valid: false, reason: 'no X-Twilio-Signature header' };
  try {
    if (hasBodyHash(check.url)) {
      // JSON bodies: Twilio signs the URL alone and vouches for the body through its SHA-256
      const valid = twilio.validateRequestWithBody(check.authToken, signature, check.url, check.rawBody ?? '');
      return { valid, reason: valid ? 'URL signature and bodySHA256 match' : 'URL signature or bodySHA256 does not match' };
    }
    const valid = twilio.validateRequest(check.authToken, signature, check.url, check.params);
    return { valid, reason: valid ? 'signature matches' : `signature does not match ${check.url}` };
  } catch (err) {
    // the library parses the URL and throws on one it cannot read: that is a mismatch, not a crash
    return { valid: false, reason: `cannot verify against ${check.url}: ${(err as Error).message}` };
  }
}

function hasBodyHash(url: string): boolean {
  const query = url.indexOf('?');
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has('bodySHA256');
}
