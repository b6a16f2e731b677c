/** What a lexicon draft changes: categories added or removed, terms added, removed or reweighed, the minimum score. */
import type { Lexicon } from '../rules/rules-types.ts';
import { toEdit } from './lexicon-terms.ts';

export interface TermGroupDiff {
  /** a category's name, or "Urgency terms" */
  group: string;
  state: 'added' | 'removed' | 'changed';
  added: string[];
  removed: string[];
  reweighed: { term: string; before: number; after: number }[];
}

export interface LexiconDiff {
  groups: TermGroupDiff[];
  minScore: { before: number | undefined; after: number | undefined } | null;
  /** the categories' order changed (earlier categories win ties) */
  reordered: boolean;
}

function groupDiff(group: string, before: Lexicon['urgency'], after: Lexicon['urgency'], state: TermGroupDiff['state']): TermGroupDiff | null {
  const b = new Map((before ?? []).map(toEdit).map((t) => [t.term, t.weight]));
  const a = new Map((after ?? []).map(toEdit).map((t) => [t.term, t.weight]));
  const added = [...a.keys()].filter((t) => !b.has(t));
  const removed = [...b.keys()].filter((t) => !a.has(t));
  const reweighed = [...a].flatMap(([term, w]) => (b.has(term) && b.get(term) !== w ? [{ term, before: b.get(term)!, after: w }] : []));
  if (state === 'changed' && !added.length && !removed.length && !reweighed.length) return null;
  return { group, state, added, removed, reweighed };
}

export function diffLexicon(before: Lexicon, after: Lexicon): LexiconDiff {
  const groups: TermGroupDiff[] = [];
  for (const [name, terms] of Object.entries(after.categories)) {
    const old = before.categories[name];
    const d = groupDiff(name, old, terms, old ? 'changed' : 'added');
    if (d) groups.push(d);
  }
  for (const [name, terms] of Object.entries(before.categories)) {
    if (!(name in after.categories)) groups.push(groupDiff(name, terms, [], 'removed')!);
  }
  const urgency = groupDiff('Urgency terms', before.urgency, after.urgency, 'changed');
  if (urgency) groups.push(urgency);
  const common = Object.keys(after.categories).filter((n) => n in before.categories);
  const beforeOrder = Object.keys(before.categories).filter((n) => n in after.categories);
  return {
    groups,
    minScore: before.minScore !== after.minScore ? { before: before.minScore, after: after.minScore } : null,
    reordered: common.join('\u0000') !== beforeOrder.join('\u0000'),
  };
}

export const lexiconDiffIsEmpty = (d: LexiconDiff): boolean => !d.groups.length && !d.minScore && !d.reordered;
