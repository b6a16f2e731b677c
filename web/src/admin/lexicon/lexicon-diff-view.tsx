/** A lexicon diff in words, per category: terms added, removed, reweighed. */
import { lexiconDiffIsEmpty, type LexiconDiff } from './lexicon-diff.ts';

const STATE_WORDS = { added: 'new category', removed: 'category removed', changed: '' } as const;

export function LexiconDiffView({ diff }: { diff: LexiconDiff }) {
  if (lexiconDiffIsEmpty(diff)) return <p class="muted">The lexicon is the same.</p>;
  return (
    <div class="lexicon-diff">
      {diff.minScore && (
        <p>Minimum category score: {diff.minScore.before ?? 'default (1)'} → {diff.minScore.after ?? 'default (1)'}</p>
      )}
      {diff.reordered && <p>The categories’ order changed (earlier categories win ties).</p>}
      {diff.groups.map((g) => (
        <section key={g.group} aria-label={`Changes to ${g.group}`}>
          <h3 class="diff-head">{g.group}{STATE_WORDS[g.state] ? ` (${STATE_WORDS[g.state]})` : ''}</h3>
          <ul>
            {g.added.length > 0 && <li><span class="diff-tag added">Added</span> {g.added.join(', ')}</li>}
            {g.removed.length > 0 && <li><span class="diff-tag removed">Removed</span> {g.removed.join(', ')}</li>}
            {g.reweighed.map((r) => (
              <li key={r.term}><span class="diff-tag">Weight</span> {r.term}: {r.before} → {r.after}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
