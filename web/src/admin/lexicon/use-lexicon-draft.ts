/** The lexicon being edited, kept apart from the live one until saved. */
import { useMemo, useState } from 'preact/hooks';
import { same } from '../rules/rule-diff.ts';
import type { Lexicon } from '../rules/rules-types.ts';
import { editLexicon, storedLexicon, type EditLexicon } from './lexicon-terms.ts';
import { rebaseLexicon } from './rebase-lexicon.ts';

export function useLexiconDraft(live: Lexicon) {
  // the lexicon as edited, and the live lexicon it started from
  const [draft, setDraft] = useState<{ edit: EditLexicon; base: Lexicon } | null>(null);
  const edit = useMemo(() => draft?.edit ?? editLexicon(live), [draft, live]);
  const lexicon = useMemo(() => storedLexicon(edit, live), [edit, live]);
  const dirty = useMemo(() => draft !== null && !same(lexicon, live), [draft, lexicon, live]);
  return {
    edit,
    lexicon,
    dirty,
    change: (f: (e: EditLexicon) => EditLexicon) => setDraft({ edit: f(structuredClone(edit)), base: draft?.base ?? live }),
    discard: () => setDraft(null),
    /** someone saved a newer version: the draft's changes are re-applied on top of it */
    rebase: (newer: Lexicon) => setDraft((d) => (d ? { edit: rebaseLexicon(d.base, d.edit, newer), base: newer } : d)),
  };
}
