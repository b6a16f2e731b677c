/**
 * The rules being edited: a copy of the live list that every edit changes, while the live rules stay as
 * they are until the draft is saved as one version.
 */
import { useCallback, useMemo, useState } from 'preact/hooks';
import { rebaseRules } from './rebase-rules.ts';
import { same } from './rule-diff.ts';
import type { Rule } from './rules-types.ts';

/** where a new rule goes unless told: before the first catch-all queue rule, as the gateway places it */
export function defaultPosition(rules: readonly Rule[]): number {
  const i = rules.findIndex((r) => r.enabled !== false && Object.keys(r.when).length === 0 && r.then.queue !== undefined);
  return i === -1 ? rules.length : i;
}

export function uniqueId(wanted: string, rules: readonly Rule[]): string {
  const taken = new Set(rules.map((r) => r.id));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

export function useRuleDraft(live: readonly Rule[]) {
  // the rules as edited, and the live rules they started from
  const [draft, setDraft] = useState<{ rules: Rule[]; base: readonly Rule[] } | null>(null);
  const rules = draft?.rules ?? (live as Rule[]);
  const dirty = useMemo(() => draft !== null && !same(draft.rules, live), [draft, live]);

  const edit = useCallback(
    (change: (rules: Rule[]) => Rule[]) => setDraft((d) => ({ rules: change([...(d?.rules ?? live)]), base: d?.base ?? live })),
    [live],
  );

  return {
    rules,
    dirty,
    insert: (rule: Rule, position: number) => edit((rs) => (rs.splice(position, 0, rule), rs)),
    replace: (id: string, rule: Rule) => edit((rs) => rs.map((r) => (r.id === id ? rule : r))),
    remove: (id: string) => edit((rs) => rs.filter((r) => r.id !== id)),
    move: (id: string, to: number) =>
      edit((rs) => {
        const from = rs.findIndex((r) => r.id === id);
        if (from === -1 || to < 0 || to >= rs.length) return rs;
        const [r] = rs.splice(from, 1);
        rs.splice(to, 0, r!);
        return rs;
      }),
    setEnabled: (id: string, enabled: boolean) =>
      edit((rs) =>
        rs.map((r) => {
          if (r.id !== id) return r;
          const { enabled: _drop, ...rest } = r;
          // enabled is the default: leave it out rather than write it, so an on-off-on leaves no trace
          return enabled ? rest : { ...rest, enabled: false };
        }),
      ),
    discard: () => setDraft(null),
    /** someone saved a newer version: the draft's changes are re-applied on top of it */
    rebase: (newer: readonly Rule[]) =>
      setDraft((d) => (d ? { rules: rebaseRules(d.base, d.rules, newer), base: newer } : d)),
  };
}
