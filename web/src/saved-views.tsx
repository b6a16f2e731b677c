/** The agent's saved views beside the inbox's views: each applies its filters; "Save view" names the filters shown now. */
import { useState } from 'preact/hooks';
import { errorMessage } from './api-client.ts';
import { Field } from './field.tsx';
import type { Filters, ViewId } from './inbox-views.ts';
import { Modal } from './modal.tsx';
import { fromSavedFilters, sameFilters, toSavedFilters } from './saved-view-filters.ts';
import { useSavedViews } from './use-saved-views.ts';

interface Props {
  view: ViewId;
  filters: Filters;
  onApply(view: ViewId, filters: Filters): void;
}

export function SavedViews({ view, filters, onApply }: Props) {
  const saved = useSavedViews();
  const [naming, setNaming] = useState(false);
  const [status, setStatus] = useState('');
  if (!saved.supported) return null;
  const now = toSavedFilters(view, filters);

  return (
    <div class="saved-views">
      {saved.items.length > 0 && (
        <ul class="saved-list" aria-label="Saved views">
          {saved.items.map((v) => (
            <li key={v.id} class="saved-view">
              <button
                type="button"
                class="saved-apply"
                aria-current={sameFilters(v.filters, now) ? 'true' : undefined}
                onClick={() => { const next = fromSavedFilters(v.filters); onApply(next.view, next.filters); }}
              >
                {v.name}
              </button>
              <button
                type="button"
                class="saved-delete"
                aria-label={`Delete view ${v.name}`}
                onClick={() => void saved.remove(v).then(() => setStatus(`Deleted view ${v.name}.`))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn small" onClick={() => setNaming(true)}>Save view</button>
      <span class="visually-hidden" role="status">{status}</span>
      {saved.error && <p class="form-error small" role="alert">{saved.error}</p>}
      {naming && (
        <SaveViewDialog
          onSave={async (name) => { await saved.save(name, now); setStatus(`Saved view ${name}.`); setNaming(false); }}
          onClose={() => setNaming(false)}
        />
      )}
    </div>
  );
}

function SaveViewDialog({ onSave, onClose }: { onSave(name: string): Promise<void>; onClose(): void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const n = name.trim();
    if (!n) { setError('Give the view a name.'); return; }
    setBusy(true);
    setError(null);
    try {
      await onSave(n);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Modal title="Save view" class="save-view-dialog" onClose={onClose}>
      <form class="save-view-form" onSubmit={(e) => void submit(e)}>
        <p class="modal-sub">Keeps the filters, search and order shown now, to apply again with one click.</p>
        {error && <p class="form-error" role="alert">{error}</p>}
        <Field label="View name">{(id) => (
          <input id={id} type="text" required maxLength={60} value={name} data-autofocus autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />
        )}</Field>
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={busy}>Save</button>
          <button type="button" class="btn" disabled={busy} onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
