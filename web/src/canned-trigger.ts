/**
 * Where a canned-response trigger sits before the caret: `/` at the start of the text or after a space or
 * newline, or `::` anywhere, followed by the query typed so far (no spaces).
 */
import type { CannedResponse } from './types.ts';

export interface Trigger {
  /** where the trigger starts (the text from here to the caret is replaced) */
  start: number;
  query: string;
}

export function findTrigger(text: string, caret: number): Trigger | null {
  let tokenStart = caret;
  while (tokenStart > 0 && !/\s/.test(text[tokenStart - 1]!)) tokenStart--;
  const token = text.slice(tokenStart, caret);
  const colons = token.lastIndexOf('::');
  if (colons >= 0) return { start: tokenStart + colons, query: token.slice(colons + 2) };
  if (token.startsWith('/')) return { start: tokenStart, query: token.slice(1) };
  return null;
}

const MAX = 8;

/** shortcut prefix first, then shortcut or title containing the query */
export function matchCanned(items: CannedResponse[], query: string): CannedResponse[] {
  const q = query.toLowerCase();
  const scored: [number, CannedResponse][] = [];
  for (const c of items) {
    const s = c.shortcut.toLowerCase();
    const t = c.title.toLowerCase();
    const score = !q || s.startsWith(q) ? 0 : t.startsWith(q) ? 1 : s.includes(q) || t.includes(q) ? 2 : -1;
    if (score >= 0) scored.push([score, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].shortcut.localeCompare(b[1].shortcut));
  return scored.slice(0, MAX).map(([, c]) => c);
}
