/** The case's tags: each with a remove button, and a field to add one (PATCH tags replaces the list). */
import { useId, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from './api-client.ts';
import type { CaseView } from './types.ts';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;

/** a gateway that refuses `tags` in a case PATCH (older than tag editing): the tags are shown, not edited */
let tagsEditable = true;
export const canEditTags = () => tagsEditable;
function refusesTags(e: unknown): boolean {
  return e instanceof ApiError && e.status === 400 && /unknown property "?tags/i.test(e.message);
}

interface Props {
  kase: CaseView;
  disabled: boolean;
  onCase(c: CaseView): void;
}

export function CaseTags({ kase: c, disabled: closed, onCase }: Props) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const disabled = closed || !tagsEditable;
  if (!c.tags.length && disabled && !error) return null;

  async function save(tags: string[]) {
    setBusy(true);
    setError(null);
    try {
      onCase(await api.patchCase(c.number, { tags }));
      return true;
    } catch (e) {
      if (refusesTags(e)) { tagsEditable = false; setError('This gateway cannot change tags yet.'); }
      else setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add(e: Event) {
    e.preventDefault();
    const tag = draft.trim();
    if (!tag) return;
    if (c.tags.includes(tag)) { setDraft(''); return; }
    if (c.tags.length >= MAX_TAGS) { setError(`A case holds at most ${MAX_TAGS} tags.`); return; }
    if (await save([...c.tags, tag])) setDraft('');
  }

  return (
    <div class="case-tags" role="group" aria-label="Tags">
      <span class="tags-label" aria-hidden="true">Tags</span>
      <ul class="tag-list" aria-label="Tags of the case">
        {c.tags.map((t) => (
          <li key={t} class="tag">
            <span>{t}</span>
            {!disabled && <button type="button" class="tag-remove" aria-label={`Remove tag ${t}`} title={`Remove tag ${t}`} disabled={busy} onClick={() => void save(c.tags.filter((x) => x !== t))}>
              <span aria-hidden="true">×</span>
            </button>}
          </li>
        ))}
      </ul>
      {!disabled && (
        <form class="tag-add" onSubmit={(e) => void add(e)}>
          <label for={id} class="visually-hidden">Add tag</label>
          <input id={id} type="text" maxLength={MAX_TAG_LENGTH} placeholder="Add tag" value={draft} disabled={busy} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" class="btn small" disabled={busy || !draft.trim()}>Add</button>
        </form>
      )}
      {error && <p class="form-error small" role="alert">{error}</p>}
    </div>
  );
}
