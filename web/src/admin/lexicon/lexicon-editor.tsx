/** The lexicon's parts: the minimum category score, each category's terms, the urgency terms; adding and removing categories. */
import { useId, useState } from 'preact/hooks';
import type { EditLexicon } from './lexicon-terms.ts';
import { TermGroup } from './term-group.tsx';

interface Props {
  edit: EditLexicon;
  readOnly: boolean;
  change(f: (e: EditLexicon) => EditLexicon): void;
  say(text: string): void;
}

export function LexiconEditor({ edit, readOnly, change, say }: Props) {
  const [newCategory, setNewCategory] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  function addCategory(e: Event) {
    e.preventDefault();
    const name = newCategory.trim();
    if (!name || name.length > 200) setProblem('A category needs a name of 1 to 200 characters.');
    else if (edit.categories.some((c) => c.name === name)) setProblem(`There is a category ${name} already.`);
    else {
      change((x) => ({ ...x, categories: [...x.categories, { name, terms: [] }] }));
      setNewCategory('');
      setProblem(null);
      say(`Category ${name} added`);
    }
  }

  return (
    <div class="lexicon-editor">
      <div class="field inline min-score">
        <label class="field-label" for={`${id}-min`}>Minimum category score</label>
        <input id={`${id}-min`} type="number" step="any" min={0} max={100} value={edit.minScore ?? ''} placeholder="1" readOnly={readOnly}
          aria-describedby={`${id}-min-hint`}
          onInput={(e) => {
            const raw = e.currentTarget.value;
            if (raw.trim() === '') change((x) => ({ ...x, minScore: undefined }));
            else if (Number.isFinite(Number(raw))) change((x) => ({ ...x, minScore: Number(raw) }));
          }} />
        <span id={`${id}-min-hint`} class="field-hint">Below it, a message has no category (0 to 100; empty: 1).</span>
      </div>

      <h3 class="lexicon-sub">Categories</h3>
      {edit.categories.map((c, i) => (
        <details key={c.name} class="category">
          <summary>
            <span class="category-name">{c.name}</span> <span class="muted">({c.terms.length} {c.terms.length === 1 ? 'term' : 'terms'})</span>
          </summary>
          <TermGroup name={c.name} terms={c.terms} readOnly={readOnly}
            onChange={(terms) => change((x) => ({ ...x, categories: x.categories.map((k, n) => (n === i ? { ...k, terms } : k)) }))} />
          {!readOnly && (
            <button type="button" class="btn small" onClick={() => {
              change((x) => ({ ...x, categories: x.categories.filter((_, n) => n !== i) }));
              say(`Category ${c.name} removed from the draft`);
            }}>Remove category {c.name}</button>
          )}
        </details>
      ))}
      {!readOnly && (
        <form class="term-add" onSubmit={addCategory}>
          <div class="field">
            <label class="field-label" for={`${id}-cat`}>New category</label>
            <input id={`${id}-cat`} type="text" value={newCategory} onInput={(e) => setNewCategory(e.currentTarget.value)}
              aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-cat-problem` : undefined} />
          </div>
          <button type="submit" class="btn small">Add category</button>
          {problem && <p id={`${id}-cat-problem`} class="field-problem" role="alert">{problem}</p>}
        </form>
      )}

      <h3 class="lexicon-sub">Urgency</h3>
      <details class="category">
        <summary><span class="category-name">Urgency terms</span> <span class="muted">({edit.urgency.length})</span></summary>
        <TermGroup name="Urgency terms" terms={edit.urgency} readOnly={readOnly} onChange={(urgency) => change((x) => ({ ...x, urgency }))} />
      </details>
    </div>
  );
}
