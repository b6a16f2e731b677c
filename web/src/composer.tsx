/**
 * Answer the customer or write an internal note. Ctrl/⌘+Enter sends; the draft of each case survives a reload.
 * `/` or `::` opens the canned responses, `@` in a note the agents to mention; files come from "Attach files",
 * a paste or a drop, and upload at once. A reply is held back for a confirmation when a colleague answered the
 * case after this draft began; typing is reported for collision detection.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { AttachButton, AttachmentChips } from './composer-attachments.tsx';
import { clearDraft, loadDraft, saveDraft, type Draft } from './draft-store.ts';
import { fillPlaceholders } from './placeholders.ts';
import { SuggestList } from './suggest-list.tsx';
import { useSuggest } from './use-suggest.ts';
import { useUploads } from './use-uploads.ts';
import type { Agent, CannedResponse, CaseDetail, Interaction } from './types.ts';

export interface ComposerControl {
  focus(internal: boolean): void;
}

interface Props {
  kase: CaseDetail;
  meId: string;
  meName: string;
  agentName(id: string | null): string;
  /** who a note may mention */
  agents: Agent[];
  /** usable on this case; null: the gateway has none */
  canned: CannedResponse[] | null;
  control?: { current: ComposerControl | null };
  onSent(): void;
  onTyping(active: boolean): void;
  /** show this interaction in the timeline */
  onReview(interactionId: string): void;
}

const newest = (list: Interaction[]) => list.reduce((m, i) => (i.createdAt > m ? i.createdAt : m), '');

const hasFiles = (d: DataTransfer | null) => !!d && [...d.types].includes('Files');

export function Composer({ kase, meId, meName, agentName, agents, canned, control, onSent, onTyping, onReview }: Props) {
  const caseNumber = kase.number;
  const [draft, setDraft] = useState<Draft>(() => loadDraft(caseNumber));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dropping, setDropping] = useState(false);
  const [conflict, setConflict] = useState<Interaction[] | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const sendAnyway = useRef<HTMLButtonElement>(null);
  const loadedFor = useRef(caseNumber);
  const { text, internal } = draft;
  // a draft from before this version knows no start: it counts from when it was opened
  const since = useRef(draft.since ?? newest(kase.interactions));
  const uploads = useUploads();
  const id = `reply-${caseNumber}`;
  const suggest = useSuggest(
    `${id}-suggest`,
    {
      canned,
      agents: internal ? agents.filter((a) => a.id !== meId) : [],
      fill: (c) => fillPlaceholders(c.text, { contact: kase.contact, caseNumber: kase.number, caseSubject: kase.subject, agentName: meName }),
    },
    insert,
  );

  // another case: its own draft
  useEffect(() => {
    if (loadedFor.current === caseNumber) return;
    loadedFor.current = caseNumber;
    const d = loadDraft(caseNumber);
    setDraft(d);
    since.current = d.since ?? newest(kase.interactions);
    setError(null);
    suggest.close();
    uploads.clear();
    setConflict(null);
  }, [caseNumber]);

  useEffect(() => { if (conflict) sendAnyway.current?.focus(); }, [conflict]);

  if (control) control.current = {
    focus(wantInternal: boolean) {
      if (wantInternal !== internal) edit({ internal: wantInternal });
      box.current?.focus();
    },
  };

  // saved as it is typed (not in an effect, which a quick reload could outrun)
  function edit(next: { text?: string; internal?: boolean }) {
    const t = next.text ?? text;
    if (!text && t) since.current = newest(kase.interactions); // a new draft begins now
    const d: Draft = { text: t, internal: next.internal ?? internal, ...(t ? { since: since.current } : {}) };
    setDraft(d);
    saveDraft(caseNumber, d);
    if (next.text !== undefined) onTyping(!!t.trim());
    if (next.internal !== undefined && next.internal !== internal) suggest.close();
  }

  /** puts a suggestion in place of what was typed from `start` to the caret */
  function insert(start: number, filled: string) {
    const el = box.current;
    if (!el) return;
    edit({ text: text.slice(0, start) + filled + text.slice(el.selectionStart) });
    const at = start + filled.length;
    requestAnimationFrame(() => { el.focus(); el.setSelectionRange(at, at); });
  }

  function onPaste(e: ClipboardEvent) {
    const images = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (!images.length) return;
    uploads.add(images);
    if (!e.clipboardData?.types.includes('text/plain')) e.preventDefault();
  }

  function onDrop(e: DragEvent) {
    if (!hasFiles(e.dataTransfer)) return;
    e.preventDefault();
    setDropping(false);
    uploads.add([...(e.dataTransfer?.files ?? [])]);
  }

  /** answers by colleagues that came after this draft began */
  function newAnswers(): Interaction[] {
    return kase.interactions.filter(
      (i) => i.direction === 'outbound' && i.kind !== 'notice' && !!i.agentId && i.agentId !== meId && i.createdAt > since.current,
    );
  }

  const files = uploads.ready;
  const canSend = !busy && !uploads.uploading && (!!text.trim() || files.length > 0);

  async function send(force: boolean) {
    if (!canSend) return;
    if (!internal && !force) {
      const fresh = newAnswers();
      if (fresh.length) { setConflict(fresh); return; }
    }
    setConflict(null);
    setBusy(true);
    setError(null);
    const sentFor = caseNumber;
    // a file added while this goes stays for the next message
    const sentFiles = uploads.items.map((f) => f.key);
    try {
      const attachments = files.map(({ id: fileId, name, contentType }) => ({ id: fileId, name, contentType }));
      await api.reply(sentFor, { text, internal, ...(attachments.length ? { attachments } : {}) });
      clearDraft(sentFor);
      if (loadedFor.current === sentFor) { setDraft({ text: '', internal: false }); suggest.close(); uploads.remove(sentFiles); }
      onTyping(false);
      onSent();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function review() {
    const fresh = conflict ?? [];
    const last = fresh[fresh.length - 1];
    if (last) { since.current = newest(fresh); saveDraft(caseNumber, { ...draft, since: since.current }); onReview(last.id); }
    setConflict(null);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (suggest.onKeyDown(e)) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  }

  const names = conflict ? [...new Set(conflict.map((i) => agentName(i.agentId)))] : [];
  return (
    <form
      class={`composer${internal ? ' internal' : ''}${dropping ? ' dropping' : ''}`}
      ref={form}
      onSubmit={(e) => { e.preventDefault(); void send(false); }}
      onDragOver={(e) => { if (hasFiles(e.dataTransfer)) { e.preventDefault(); setDropping(true); } }}
      onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false); }}
      onDrop={onDrop}
      aria-label="Composer"
    >
      {error && <p class="form-error" role="alert">{error}</p>}
      {conflict && (
        <div class="collision" role="alertdialog" aria-labelledby={`${id}-clash`} aria-describedby={`${id}-clash-d`}>
          <p id={`${id}-clash`} class="collision-title">
            {names.join(' and ')} answered this case while you were writing.
          </p>
          <p id={`${id}-clash-d`} class="collision-text">Send your reply anyway, or review the new answer first (your draft stays).</p>
          <div class="collision-actions">
            <button type="button" class="btn primary" ref={sendAnyway} onClick={() => void send(true)}>Send anyway</button>
            <button type="button" class="btn" onClick={review}>Review</button>
          </div>
        </div>
      )}
      <label for={id} class="composer-label">Reply</label>
      <div class="composer-box">
        <textarea
          id={id}
          ref={box}
          value={text}
          maxLength={65536}
          rows={4}
          placeholder={internal ? 'Note for colleagues (the customer never sees it)…' : `Write to the customer…${canned?.length ? ' (/ for canned responses)' : ''}`}
          onInput={(e) => { edit({ text: e.currentTarget.value }); suggest.update(e.currentTarget); }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') suggest.update(e.currentTarget); }}
          onClick={(e) => suggest.update(e.currentTarget)}
          onBlur={suggest.close}
          onPaste={onPaste}
          aria-describedby={`${id}-hint`}
          {...suggest.boxProps}
        />
        {suggest.open && <SuggestList {...suggest.listProps} />}
      </div>
      <AttachmentChips items={uploads.items} onRemove={(key) => { uploads.remove([key]); box.current?.focus(); }} />
      <div class="composer-bar">
        <label class="toggle">
          <input type="checkbox" checked={internal} onChange={(e) => edit({ internal: e.currentTarget.checked })} />
          <span>Internal note</span>
        </label>
        <span id={`${id}-hint`} class="hint">
          {internal ? 'Only colleagues see notes; type @ to mention one. ' : ''}Ctrl+Enter or ⌘+Enter sends.{canned?.length ? ' Type / or :: for canned responses.' : ''}
        </span>
        <AttachButton onFiles={uploads.add} />
        <button type="submit" class="btn primary" disabled={!canSend}>{busy ? 'Sending…' : 'Send'}</button>
      </div>
    </form>
  );
}
