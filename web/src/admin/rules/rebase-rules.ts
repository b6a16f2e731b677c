/**
 * Re-applies a draft, started from `base`, on top of a newer live version (someone saved meanwhile), so
 * saving it keeps their changes to rules the draft did not touch: the draft's edits, additions,
 * deletions and (if it reordered anything) its order win; their edits, additions and deletions of
 * other rules, and their order when the draft kept the old one, are kept.
 */
import { same } from './rule-diff.ts';
import type { Rule } from './rules-types.ts';

const byId = (rules: readonly Rule[]) => new Map(rules.map((r) => [r.id, r]));

/** inserts each rule of `from` missing in `into` after its nearest predecessor (in `from`) that `into` holds */
function insertMissing(into: Rule[], from: readonly Rule[], wanted: (r: Rule) => boolean): Rule[] {
  const out = [...into];
  from.forEach((r, i) => {
    if (!wanted(r) || out.some((x) => x.id === r.id)) return;
    let at = 0;
    for (let k = i - 1; k >= 0; k--) {
      const j = out.findIndex((x) => x.id === from[k]!.id);
      if (j !== -1) { at = j + 1; break; }
    }
    out.splice(at, 0, r);
  });
  return out;
}

export function rebaseRules(base: readonly Rule[], draft: readonly Rule[], newer: readonly Rule[]): Rule[] {
  const baseOf = byId(base);
  const draftOf = byId(draft);
  const newerOf = byId(newer);
  const mine = (r: Rule): boolean => !baseOf.has(r.id) || !same(baseOf.get(r.id), r);
  const deletedByMe = (id: string): boolean => baseOf.has(id) && !draftOf.has(id);
  const keptOrder = draft.filter((r) => baseOf.has(r.id)).map((r) => r.id).join('\u0000') === base.filter((r) => draftOf.has(r.id)).map((r) => r.id).join('\u0000');

  if (keptOrder) {
    const list = newer.filter((r) => !deletedByMe(r.id)).map((r) => (draftOf.has(r.id) && mine(draftOf.get(r.id)!) ? draftOf.get(r.id)! : r));
    // rules I changed that they deleted stay (my change wins); rules I added go after their neighbour in my draft
    return insertMissing(list, draft, (r) => mine(r));
  }
  const list = draft.flatMap((r) => (mine(r) ? [r] : newerOf.has(r.id) ? [newerOf.get(r.id)!] : []));
  return insertMissing(list, newer, (r) => !baseOf.has(r.id));
}
