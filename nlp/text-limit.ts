/**
 * Scoring cost is linear in the text, but a 1 MB paste must still not hold the event loop: only the first
 * MAX_SCORED_CHARS characters are scored (customers state their problem early; the rest is usually logs
 * or quoted history), and the result says so.
 */
export const MAX_SCORED_CHARS = 16 * 1024;

export interface CappedText {
  text: string;
  truncated: boolean;
  originalLength: number;
}

export function capText(text: string, max: number = MAX_SCORED_CHARS): CappedText {
  if (text.length <= max) return { text, truncated: false, originalLength: text.length };
  // never split a surrogate pair, so an emoji at the edge does not become garbage
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true, originalLength: text.length };
}
