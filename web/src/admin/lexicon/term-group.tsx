/** One group of lexicon terms (a category, or the urgency words): each term's weight, removing one, adding one. */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { EditTerm } from './lexicon-terms.ts';

interface Props {
  /** "Billing", "Urgency terms" */
  name: string;
  terms: readonly EditTerm[];
  readOnly: boolean;
  onChange(terms: EditTerm[]): void;
}

const weightOk = (w: number): boolean => Number.isFinite(w) && w >= -100 && w <= 100;

export function TermGroup({ name, terms, readOnly, onChange }: Props) {
  const [term, setTerm] = useState('');
  const [weight, setWeight] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const removedAt = useRef<number | null>(null);

  // a removed term takes its button with it: the focus goes to the next term's, or to the new-term field
  useEffect(() => {
    const at = removedAt.current;
    if (at === null) return;
    removedAt.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('.term-remove');
    const next = buttons?.[Math.min(at, buttons.length - 1)];
    (next ?? document.getElementById(`${id}-term`))?.focus();
  }, [terms, id]);

  function add(e: Event) {
    e.preventDefault();
    const t = term.trim();
    const w = Number(weight);
    if (!t) setProblem('Write the word or phrase to add.');
    else if (terms.some((x) => x.term.toLowerCase() === t.toLowerCase())) setProblem(`“${t}” is already in ${name}.`);
    else if (weight.trim() === '' || !weightOk(w)) setProblem('The weight must be a number from −100 to 100.');
    else {
      onChange([...terms, { term: t, weight: w }]);
      setTerm('');
      setWeight('1');
      setProblem(null);
    }
  }

  return (
    <div class="term-group">
      {terms.length === 0 && <p class="muted">No terms yet.</p>}
      <ul ref={listRef} class="term-list" aria-label={`Terms of ${name}`}>
        {terms.map((t, i) => (
          <li key={t.term} class="term">
            <span class="term-text">{t.term}</span>
            {readOnly ? (
              <span class="term-weight">× {t.weight}</span>
            ) : (
              <>
                <input type="number" step="any" min={-100} max={100} class="term-weight-input" value={t.weight}
                  aria-label={`Weight of ${t.term} in ${name}`} aria-invalid={!weightOk(t.weight)}
                  onInput={(e) => {
                    const raw = e.currentTarget.value;
                    // an emptied field stays as it was until a number is typed
                    if (raw.trim() === '' || !Number.isFinite(Number(raw))) return;
                    onChange(terms.map((x, k) => (k === i ? { ...x, weight: Number(raw) } : x)));
                  }} />
                <button type="button" class="btn ghost small term-remove" onClick={() => { removedAt.current = i; onChange(terms.filter((_, k) => k !== i)); }}>
                  <span aria-hidden="true">×</span><span class="visually-hidden">Remove {t.term} from {name}</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <form class="term-add" onSubmit={add}>
          <div class="field">
            <label class="field-label" for={`${id}-term`}>New term for {name}</label>
            <input id={`${id}-term`} type="text" value={term} onInput={(e) => setTerm(e.currentTarget.value)}
              aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} />
          </div>
          <div class="field">
            <label class="field-label" for={`${id}-weight`}>Weight</label>
            <input id={`${id}-weight`} type="number" step="any" min={-100} max={100} value={weight} class="term-weight-input"
              onInput={(e) => setWeight(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn small">Add term<span class="visually-hidden"> to {name}</span></button>
          {problem && <p id={`${id}-problem`} class="field-problem" role="alert">{problem}</p>}
        </form>
      )}
    </div>
  );
}
