/**
 * Keyword and category scoring. Every term of every category (and any extra terms, such as the keywords
 * of routing rules) is compiled once into one phrase trie over stems; a message is matched in a single
 * pass over its tokens, so the cost per message does not grow with the number of terms or rules.
 *
 * Small function words are dropped on both sides before matching, so "track order" also matches
 * "track my order" and "tracking the order".
 */
import { PhraseTrie } from './phrase-trie.ts';
import { BOUNDARY_KEY, wordKey } from './term-keys.ts';
import { capText } from './text-limit.ts';
import { innerTokens, tokenize, type Token } from './tokenize.ts';

export interface LexiconTerm {
  term: string;
  /** default 1; negative weights count against the category */
  weight?: number;
}

export interface Lexicon {
  /** category name → its terms (single words, phrases); earlier categories win ties */
  categories: Record<string, readonly (string | LexiconTerm)[]>;
  /** words that make a message urgent ("asap", "outage") with their weight */
  urgency?: readonly (string | LexiconTerm)[];
  /** a category is chosen only when its score reaches this (default 1) */
  minScore?: number;
}

/** A term outside the lexicon that callers want to know about (e.g. a routing rule's keywords). */
export interface ExtraTerm {
  group: string;
  term: string;
  weight?: number;
}

export type HitKind = 'category' | 'urgency' | 'extra';

export interface KeywordHit {
  term: string;
  group: string;
  kind: HitKind;
  weight: number;
}

export interface KeywordMatch {
  categories: Record<string, number>;
  best: string | null;
  urgency: number;
  /** extra group → total weight of its matched terms */
  groups: Record<string, number>;
  hits: KeywordHit[];
}

export interface KeywordMatcher {
  match(text: string): KeywordMatch;
  matchTokens(tokens: readonly Token[]): KeywordMatch;
  readonly termCount: number;
  readonly categoryNames: readonly string[];
}

const STOPWORDS = new Set([
  'a', 'an', 'the', 'my', 'your', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'these', 'those',
  'i', 'me', 'we', 'us', 'you', 'it', 'to', 'of', 'for', 'with', 'please', 'some', 'any', 'is', 'am',
  'are', 'was', 'were', 'be', 'been', 'just', 'really', 'very', 'kindly', 'also', "i'm", "it's",
]);

interface Entry {
  term: string;
  group: string;
  kind: HitKind;
  weight: number;
  id: number;
}

function matchKeys(tokens: readonly Token[]): string[] {
  const keys: string[] = [];
  const add = (t: Token) => {
    if (t.kind !== 'word') keys.push(BOUNDARY_KEY);
    else if (!STOPWORDS.has(t.norm)) keys.push(wordKey(t.norm));
  };
  for (const t of tokens) {
    // a rule's keyword may name a handle or a site ("@vip", "status.acme.com"): their words match
    if (t.kind === 'mention' || t.kind === 'link') {
      keys.push(BOUNDARY_KEY);
      for (const inner of innerTokens(t)) add(inner);
      keys.push(BOUNDARY_KEY);
    } else add(t);
  }
  return keys;
}

function termKeys(term: string): string[] {
  return matchKeys(tokenize(term)).filter((k) => k !== BOUNDARY_KEY);
}

function normalizeTerm(t: string | LexiconTerm): { term: string; weight: number } {
  return typeof t === 'string' ? { term: t, weight: 1 } : { term: t.term, weight: t.weight ?? 1 };
}

/** False for a term with no word that could ever match ("the", "!!"). */
export function isMatchableTerm(term: string): boolean {
  return termKeys(term).length > 0;
}

/** Throws on a term with no matchable word ("the", "!!"): such a term could never match. */
export function compileLexicon(lexicon: Lexicon, extra: readonly ExtraTerm[] = []): KeywordMatcher {
  const trie = new PhraseTrie<Entry>();
  const categoryNames = Object.keys(lexicon.categories);
  let id = 0;
  const known = new Set<string>();
  const addTerm = (term: string, weight: number, group: string, kind: HitKind): void => {
    const keys = termKeys(term);
    if (keys.length === 0) throw new Error(`term "${term}" of ${group} has no word to match`);
    // "refund" and "refunds" are one term once stemmed: the first one listed counts, not both
    const unique = `${group}\u0000${keys.join(' ')}`;
    if (known.has(unique)) return;
    known.add(unique);
    trie.add(keys, { term, group, kind, weight, id: id++ });
  };
  for (const name of categoryNames) {
    for (const t of lexicon.categories[name]!) {
      const { term, weight } = normalizeTerm(t);
      addTerm(term, weight, name, 'category');
    }
  }
  for (const t of lexicon.urgency ?? []) {
    const { term, weight } = normalizeTerm(t);
    addTerm(term, weight, 'urgency', 'urgency');
  }
  for (const e of extra) addTerm(e.term, e.weight ?? 1, e.group, 'extra');
  const minScore = lexicon.minScore ?? 1;

  const matchTokens = (tokens: readonly Token[]): KeywordMatch => {
    const keys = matchKeys(tokens);
    const categories: Record<string, number> = {};
    for (const name of categoryNames) categories[name] = 0;
    const groups: Record<string, number> = {};
    const hits: KeywordHit[] = [];
    const found: { start: number; length: number; entry: Entry }[] = [];
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === BOUNDARY_KEY) continue;
      for (const m of trie.matchesAt(keys, i)) {
        for (const entry of m.values) found.push({ start: i, length: m.length, entry });
      }
    }
    // Among category terms the longest match wins: "cancellation fee" is Billing, and the "cancel" inside
    // it must not also vote for Orders. Urgency and extra terms are always reported.
    const coveredBy: number[] = [];
    const byLength = [...found].sort((a, b) => b.length - a.length);
    const seen = new Set<number>();
    let urgency = 0;
    for (const f of byLength) {
      const e = f.entry;
      if (e.kind === 'category') {
        let inside = true;
        for (let k = f.start; k < f.start + f.length; k++) inside &&= (coveredBy[k] ?? 0) > f.length;
        if (inside) continue;
        for (let k = f.start; k < f.start + f.length; k++) coveredBy[k] = Math.max(coveredBy[k] ?? 0, f.length);
      }
      // a term counts once per message: repeating "order" ten times is not ten times more Orders
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      hits.push({ term: e.term, group: e.group, kind: e.kind, weight: e.weight });
      if (e.kind === 'category') categories[e.group] = (categories[e.group] ?? 0) + e.weight;
      else if (e.kind === 'urgency') urgency += e.weight;
      else groups[e.group] = (groups[e.group] ?? 0) + e.weight;
    }
    let best: string | null = null;
    for (const name of categoryNames) {
      if (categories[name]! >= minScore && (best === null || categories[name]! > categories[best]!)) best = name;
    }
    return { categories, best, urgency, groups, hits };
  };

  return {
    match: (text) => matchTokens(tokenize(capText(text).text)),
    matchTokens,
    termCount: id,
    categoryNames,
  };
}
