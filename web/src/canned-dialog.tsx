/** The "Canned responses" dialog: the list, and adding, editing and deleting one's own (admins: the shared ones too). */
import { useState } from 'preact/hooks';
import { api, errorMessage, type CannedInput } from './api-client.ts';
import { Field } from './field.tsx';
import { Modal } from './modal.tsx';
import type { Canned } from './use-canned.ts';
import type { CannedResponse, Queue, Role } from './types.ts';

interface Props {
  canned: Canned;
  queues: Queue[];
  meId: string;
  role: Role;
  onClose(): void;
}

const SHORTCUT = /^[a-z0-9_-]{1,40}$/;

export function CannedDialog({ canned, queues, meId, role, onClose }: Props) {
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const admin = role === 'admin';
  const canEdit = (c: CannedResponse) => c.ownerId === meId || (admin && c.shared);
  const items = canned.items ?? [];

  async function remove(c: CannedResponse) {
    setError(null);
    setConfirming(null);
    try {
      await api.deleteCanned(c.id);
      setStatus(`Deleted "${c.title}".`);
      canned.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Modal title="Canned responses" class="canned-dialog" onClose={onClose}>
      <p class="modal-sub">Type <kbd>/</kbd> or <kbd>::</kbd> and a shortcut in the reply box to insert one. Placeholders such as <code>{'{{contact.firstName}}'}</code>, <code>{'{{case.number}}'}</code> and <code>{'{{agent.name}}'}</code> are filled in.</p>
      <p class="visually-hidden" role="status">{status}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {editing ? (
        <CannedForm
          item={editing === 'new' ? null : editing}
          queues={queues}
          admin={admin}
          onDone={(saved) => {
            setEditing(null);
            if (saved) { setStatus(`Saved "${saved.title}".`); canned.reload(); }
          }}
        />
      ) : (
        <>
          <button type="button" class="btn primary" onClick={() => { setStatus(null); setEditing('new'); }}>New canned response</button>
          {items.length === 0 ? (
            <p class="muted">No canned responses yet.</p>
          ) : (
            <ul class="canned-list" aria-label="Your canned responses">
              {items.map((c) => (
                <li key={c.id} class="canned-item">
                  <div class="canned-item-head">
                    <span class="canned-title">{c.title}</span> <span class="canned-shortcut">/{c.shortcut}</span>
                    {c.shared && <span class="badge">Shared</span>}
                    {c.queue && <span class="badge">{c.queue}</span>}
                  </div>
                  <p class="canned-text">{c.text}</p>
                  {canEdit(c) && (
                    <div class="canned-item-actions">
                      <button type="button" class="btn small" aria-label={`Edit ${c.title}`} onClick={() => { setStatus(null); setEditing(c); }}>Edit</button>
                      {confirming === c.id ? (
                        <>
                          <button type="button" class="btn small danger" onClick={() => void remove(c)}>Delete {c.title}</button>
                          <button type="button" class="btn small ghost" onClick={() => setConfirming(null)}>Keep</button>
                        </>
                      ) : (
                        <button type="button" class="btn small ghost" aria-label={`Delete ${c.title}…`} onClick={() => setConfirming(c.id)}>Delete…</button>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Modal>
  );
}

function CannedForm({ item, queues, admin, onDone }: { item: CannedResponse | null; queues: Queue[]; admin: boolean; onDone(saved: CannedResponse | null): void }) {
  const [shortcut, setShortcut] = useState(item?.shortcut ?? '');
  const [title, setTitle] = useState(item?.title ?? '');
  const [text, setText] = useState(item?.text ?? '');
  const [queue, setQueue] = useState(item?.queue ?? '');
  const [shared, setShared] = useState(item?.shared ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    if (!SHORTCUT.test(shortcut)) { setError('The shortcut takes 1 to 40 of a–z, 0–9, - and _.'); return; }
    const body: CannedInput = { shortcut, title: title.trim(), text, queue: queue || null };
    if (admin) body.shared = shared;
    setBusy(true);
    setError(null);
    try {
      onDone(item ? await api.patchCanned(item.id, body) : await api.createCanned(body));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form class="canned-form" onSubmit={(e) => void save(e)}>
      <h3 class="form-title">{item ? `Edit "${item.title}"` : 'New canned response'}</h3>
      {error && <p class="form-error" role="alert">{error}</p>}
      <Field label="Shortcut">{(id) => (
        <input id={id} type="text" required maxLength={40} pattern="[a-z0-9_\-]{1,40}" value={shortcut} data-autofocus autoComplete="off"
          onInput={(e) => setShortcut(e.currentTarget.value.toLowerCase())} />
      )}</Field>
      <Field label="Title">{(id) => <input id={id} type="text" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}</Field>
      <Field label="Text">{(id) => <textarea id={id} required rows={6} value={text} onInput={(e) => setText(e.currentTarget.value)} />}</Field>
      <Field label="Queue">{(id) => (
        <select id={id} value={queue} onChange={(e) => setQueue(e.currentTarget.value)}>
          <option value="">Any queue</option>
          {queues.map((q) => <option key={q.id} value={q.name}>{q.name}</option>)}
        </select>
      )}</Field>
      {admin && (
        <label class="toggle">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
          <span>Shared with the team</span>
        </label>
      )}
      <div class="form-actions">
        <button type="submit" class="btn primary" disabled={busy}>Save</button>
        <button type="button" class="btn" disabled={busy} onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  );
}
