/**
 * Answer the customer or write an internal note. Ctrl/⌘+Enter sends; the draft of each case survives a reload.
 * `/` or `::` opens the canned responses; a reply is held back for a confirmation when a colleague answered the
 * case after this draft began; typing is reported for collision detection.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { CannedSuggest, optionId } from './canned-suggest.tsx';
import { findTrigger, matchCanned, type Trigger } from './canned-trigger.ts';
import { clearDraft, loadDraft, saveDraft, type Draft } from './draft-store.ts';
import { fillPlaceholders } from './placeholders.ts';
import type { CannedResponse, CaseDetail, Interaction } from './types.ts';

export interface ComposerControl {
  focus(internal: boolean): void;
}

interface Props {
  kase: CaseDetail;
  meId: string;
  meName: string;
  agentName(id: string | null): string;
  /** usable on this case; null: the gateway has none */
  canned: CannedResponse[] | null;
  control?: { current: ComposerControl | null };
  onSent(): void;
  onTyping(active: boolean): void;
  /** show this interaction in the timeline */
  onReview(interactionId: string): void;
}

const newest = (list: Interaction[]) => list.reduce((m, i) => (i.createdAt > m ? i.createdAt : m), '');

export function Composer({ kase, meId, meName, agentName, canned, control, onSent, onTyping, onReview }: Props) {
  const caseNumber = kase.number;
  const [draft, setDraft] = useState<Draft>(() => loadDraft(caseNumber));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [active, setActive] = useState(0);
  const [conflict, setConflict] = useState<Interaction[] | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const sendAnyway = useRef<HTMLButtonElement>(null);
  const loadedFor = useRef(caseNumber);
  const { text, internal } = draft;
  // a draft from before this version knows no start: it counts from when it was opened
  const since = useRef(draft.since ?? newest(kase.interactions));

  // another case: its own draft
  useEffect(() => {
    if (loadedFor.current === caseNumber) return;
    loadedFor.current = caseNumber;
    const d = loadDraft(caseNumber);
    setDraft(d);
    since.current = d.since ?? newest(kase.interactions);
    setError(null);
    setTrigger(null);
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
  }

  const suggestions = trigger && canned ? matchCanned(canned, trigger.query) : [];
  const suggesting = !!trigger && !!canned && canned.length > 0;

  function updateTrigger(el: HTMLTextAreaElement) {
    const t = canned?.length && el.selectionStart === el.selectionEnd ? findTrigger(el.value, el.selectionStart) : null;
    setTrigger((old) => {
      if (!t) return null;
      if (!old || old.start !== t.start || old.query !== t.query) setActive(0);
      return t;
    });
  }

  function insert(c: CannedResponse) {
    const el = box.current;
    if (!el || !trigger) return;
    const caret = el.selectionStart;
    const filled = fillPlaceholders(c.text, {
      contact: kase.contact,
      caseNumber: kase.number,
      caseSubject: kase.subject,
      agentName: meName,
    });
    const next = text.slice(0, trigger.start) + filled + text.slice(caret);
    edit({ text: next });
    setTrigger(null);
    const at = trigger.start + filled.length;
    requestAnimationFrame(() => { el.focus(); el.setSelectionRange(at, at); });
  }

  /** answers by colleagues that came after this draft began */
  function newAnswers(): Interaction[] {
    return kase.interactions.filter(
      (i) => i.direction === 'outbound' && i.kind !== 'notice' && !!i.agentId && i.agentId !== meId && i.createdAt > since.current,
    );
  }

  async function send(force: boolean) {
    if (!text.trim() || busy) return;
    if (!internal && !force) {
      const fresh = newAnswers();
      if (fresh.length) { setConflict(fresh); return; }
    }
    setConflict(null);
    setBusy(true);
    setError(null);
    const sentFor = caseNumber;
    try {
      await api.reply(sentFor, text, internal);
      clearDraft(sentFor);
      if (loadedFor.current === sentFor) { setDraft({ text: '', internal: false }); setTrigger(null); }
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
    if (suggesting) {
      const n = suggestions.length;
      if (e.key === 'ArrowDown' && n) { e.preventDefault(); setActive((a) => (a + 1) % n); return; }
      if (e.key === 'ArrowUp' && n) { e.preventDefault(); setActive((a) => (a - 1 + n) % n); return; }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && !e.shiftKey && n) {
        e.preventDefault();
        insert(suggestions[Math.min(active, n - 1)]!);
        return;
      }
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setTrigger(null); return; }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  }

  const id = `reply-${caseNumber}`;
  const listId = `${id}-canned`;
  const names = conflict ? [...new Set(conflict.map((i) => agentName(i.agentId)))] : [];
  return (
    <form class={`composer${internal ? ' internal' : ''}`} ref={form} onSubmit={(e) => { e.preventDefault(); void send(false); }} aria-label="Composer">
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
          onInput={(e) => { edit({ text: e.currentTarget.value }); updateTrigger(e.currentTarget); }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') updateTrigger(e.currentTarget); }}
          onClick={(e) => updateTrigger(e.currentTarget)}
          onBlur={() => setTrigger(null)}
          aria-describedby={`${id}-hint`}
          aria-controls={suggesting ? listId : undefined}
          aria-activedescendant={suggesting && suggestions.length ? optionId(listId, Math.min(active, suggestions.length - 1)) : undefined}
        />
        {suggesting && <CannedSuggest id={listId} items={suggestions} active={Math.min(active, Math.max(0, suggestions.length - 1))} onPick={insert} onHover={setActive} />}
      </div>
      <div class="composer-bar">
        <label class="toggle">
          <input type="checkbox" checked={internal} onChange={(e) => edit({ internal: e.currentTarget.checked })} />
          <span>Internal note</span>
        </label>
        <span id={`${id}-hint`} class="hint">
          {internal ? 'Only colleagues see notes. ' : ''}Ctrl+Enter or ⌘+Enter sends.{canned?.length ? ' Type / or :: for canned responses.' : ''}
        </span>
        <button type="submit" class="btn primary" disabled={busy || !text.trim()}>{busy ? 'Sending…' : 'Send'}</button>
      </div>
    </form>
  );
}
