/** Phone numbers as Twilio writes them (E.164), tolerant of human formatting. */
export type E164Result = { ok: true; e164: string } | { ok: false; reason: string };

const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;

/** a carrier short code ("72345"): a number of ours may be one, a subscriber never is */
export function isShortCode(raw: string): boolean {
  return SHORT_CODE.test(raw.trim());
}

export function normalizeE164(raw: string): E164Result {
  const trimmed = raw.trim();
  // spaces, dashes, dots and parentheses are formatting, never part of the number
  const compact = trimmed.replace(/[\s\-.()]/g, '').replace(/^00/, '+');
  if (E164.test(compact)) return { ok: true, e164: compact };
  if (SHORT_CODE.test(compact)) return { ok: false, reason: `"${trimmed}" is a short code, not a subscriber number` };
  return { ok: false, reason: `"${trimmed.slice(0, 40)}" is not an E.164 number` };
}
