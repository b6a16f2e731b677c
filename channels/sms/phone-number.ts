/** Phone numbers as Twilio writes them (E.164), tolerant of human formatting. */
export type E164Result = { ok: true; e164: string } | { ok: false; reason: string };

const E164 = /^\+[1-9]\d{6,14}$/;

export function normalizeE164(raw: string): E164Result {
  const trimmed = raw.trim();
  // spaces, dashes, dots and parentheses are formatting, never part of the number
  const compact = trimmed.replace(/[\s\-.()]/g, '').replace(/^00/, '+');
  if (E164.test(compact)) return { ok: true, e164: compact };
  if (/^\d{3,8}$/.test(compact)) return { ok: false, reason: `"${trimmed}" is a short code, not a subscriber number` };
  return { ok: false, reason: `"${trimmed.slice(0, 40)}" is not an E.164 number` };
}
