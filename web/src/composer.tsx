/** Answer the customer or write an internal note. Ctrl/⌘+Enter sends; the draft of each case survives a reload. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { clearDraft, loadDraft, saveDraft } from './draft-store.ts';

interface Props {
  caseNumber: string;
  onSent(): void;
}

export function Composer({ caseNumber, onSent }: Props) {
  const [text, setText] = useState(() => loadDraft(caseNumber).text);
  const [internal, setInternal] = useState(() => loadDraft(caseNumber).internal);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const loadedFor = useRef(caseNumber);

  // another case: its own draft
  useEffect(() => {
    if (loadedFor.current === caseNumber) return;
    loadedFor.current = caseNumber;
    const d = loadDraft(caseNumber);
    setText(d.text);
    setInternal(d.internal);
    setError(null);
  }, [caseNumber]);

  // saved as it is typed (not in an effect, which a quick reload could outrun)
  function edit(next: { text?: string; internal?: boolean }) {
    const draft = { text: next.text ?? text, internal: next.internal ?? internal };
    setText(draft.text);
    setInternal(draft.internal);
    saveDraft(caseNumber, draft);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    const sentFor = caseNumber;
    try {
      await api.reply(sentFor, text, internal);
      clearDraft(sentFor);
      if (loadedFor.current === sentFor) { setText(''); setInternal(false); }
      onSent();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  }

  const id = `reply-${caseNumber}`;
  return (
    <form class={`composer${internal ? ' internal' : ''}`} ref={form} onSubmit={submit} aria-label="Composer">
      {error && <p class="form-error" role="alert">{error}</p>}
      <label for={id} class="composer-label">Reply</label>
      <textarea
        id={id}
        value={text}
        maxLength={65536}
        rows={4}
        placeholder={internal ? 'Note for colleagues (the customer never sees it)…' : 'Write to the customer…'}
        onInput={(e) => edit({ text: e.currentTarget.value })}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-hint`}
      />
      <div class="composer-bar">
        <label class="toggle">
          <input type="checkbox" checked={internal} onChange={(e) => edit({ internal: e.currentTarget.checked })} />
          <span>Internal note</span>
        </label>
        <span id={`${id}-hint`} class="hint">{internal ? 'Only colleagues see notes. ' : ''}Ctrl+Enter or ⌘+Enter sends.</span>
        <button type="submit" class="btn primary" disabled={busy || !text.trim()}>{busy ? 'Sending…' : 'Send'}</button>
      </div>
    </form>
  );
}
