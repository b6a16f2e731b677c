/**
 * Re-applies a lexicon draft on top of a newer live lexicon (someone saved meanwhile): categories (and
 * the urgency terms, the minimum score) the draft left as they were take the newer version's; the ones it
 * changed, added or removed keep the draft's; categories the newer version added are kept.
 */
import { same } from '../rules/rule-diff.ts';
import type { Lexicon } from '../rules/rules-types.ts';
import { editLexicon, type EditLexicon } from './lexicon-terms.ts';

export function rebaseLexicon(base: Lexicon, draft: EditLexicon, newer: Lexicon): EditLexicon {
  const b = editLexicon(base);
  const n = editLexicon(newer);
  const baseTerms = new Map(b.categories.map((c) => [c.name, c.terms]));
  const newerTerms = new Map(n.categories.map((c) => [c.name, c.terms]));
  const categories = draft.categories.flatMap((c) => {
    const untouched = baseTerms.has(c.name) && same(baseTerms.get(c.name), c.terms);
    if (!untouched) return [c];
    return newerTerms.has(c.name) ? [{ name: c.name, terms: newerTerms.get(c.name)! }] : [];
  });
  for (const c of n.categories) {
    if (!baseTerms.has(c.name) && !categories.some((x) => x.name === c.name)) categories.push(c);
  }
  return {
    categories,
    urgency: same(draft.urgency, b.urgency) ? n.urgency : draft.urgency,
    minScore: draft.minScore === b.minScore ? n.minScore : draft.minScore,
  };
}
