/**
 * An `@` mention being typed before the caret, and the agents it may name. The `@` must start a word, as
 * gateway/cases/mentions.ts requires (an email address is no mention); the query may hold spaces while it
 * is still the start of someone's name ("@Ann L").
 */

export interface MentionQuery {
  /** where the `@` is (the text from here to the caret is replaced) */
  start: number;
  query: string;
}

const MAX = 8;
const QUERY = /^\p{L}[\p{L}\p{M}\p{N}'’. -]*$/u;
const WORD_BEFORE = /[\p{L}\p{N}._%+-]/u;

/** the agents whose full name starts with the query, then those with a later name starting with it */
export function matchAgents<A extends { name: string }>(agents: readonly A[], query: string): A[] {
  const q = query.toLowerCase();
  const scored: [number, A][] = [];
  for (const a of agents) {
    const name = a.name.trim().toLowerCase();
    const score = name.startsWith(q) ? 0 : !q.includes(' ') && name.split(/\s+/u).some((w) => w.startsWith(q)) ? 1 : -1;
    if (score >= 0) scored.push([score, a]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].name.localeCompare(y[1].name));
  return scored.slice(0, MAX).map(([, a]) => a);
}

/** null: no mention is being typed, or it names nobody */
export function findMention(text: string, caret: number, agents: readonly { name: string }[]): MentionQuery | null {
  const at = text.lastIndexOf('@', caret - 1);
  if (at < 0 || (at > 0 && WORD_BEFORE.test(text[at - 1]!))) return null;
  const query = text.slice(at + 1, caret);
  if (!QUERY.test(query) || !matchAgents(agents, query).length) return null;
  return { start: at, query };
}

/** how a note names someone so the gateway notifies them */
export const mentionOf = (name: string) => `@${name.trim()} `;
