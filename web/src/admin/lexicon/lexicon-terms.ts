/** Lexicon terms as the editor keeps them: each a term and its weight (absent in the data means 1). */
import type { Lexicon, Term } from '../rules/rules-types.ts';

export interface EditTerm {
  term: string;
  weight: number;
}

export const toEdit = (t: Term): EditTerm => (typeof t === 'string' ? { term: t, weight: 1 } : { term: t.term, weight: t.weight ?? 1 });

/** back to the stored form: a weight of 1 is left implicit, as a plain string */
export const fromEdit = (t: EditTerm): Term => (t.weight === 1 ? t.term : { term: t.term, weight: t.weight });

export interface EditLexicon {
  categories: { name: string; terms: EditTerm[] }[];
  urgency: EditTerm[];
  minScore: number | undefined;
}

export function editLexicon(lx: Lexicon): EditLexicon {
  return {
    categories: Object.entries(lx.categories).map(([name, terms]) => ({ name, terms: terms.map(toEdit) })),
    urgency: (lx.urgency ?? []).map(toEdit),
    minScore: lx.minScore,
  };
}

export function storedLexicon(e: EditLexicon, original: Lexicon): Lexicon {
  const out: Lexicon = { categories: Object.fromEntries(e.categories.map((c) => [c.name, c.terms.map(fromEdit)])) };
  if (e.urgency.length || original.urgency !== undefined) out.urgency = e.urgency.map(fromEdit);
  if (e.minScore !== undefined) out.minScore = e.minScore;
  return out;
}
