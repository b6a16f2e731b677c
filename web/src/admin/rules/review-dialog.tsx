/**
 * "Review and save": the draft's diff against the live version, and Save, which stores the draft as one
 * new version only if nobody saved another since (else it says so and keeps the draft).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api-client.ts';
import { Modal } from '../../modal.tsx';
import { problemsOf } from './rules-http.ts';
import type { RuleProblem } from './rules-types.ts';

interface Props {
  title: string;
  /** the live version the diff is against; saving expects it to be still in force */
  baseVersion: number;
  children: ComponentChildren;
  save(): Promise<void>;
  /** takes up the newest live version, the draft re-applied on top, after a refusal for a newer version */
  onRefresh(): Promise<void>;
  onClose(): void;
  /** a refusal's path in words ("rules[3].when…" → the rule's name) */
  describePath?(path: string): string;
}

type Failure = { kind: 'conflict'; message: string } | { kind: 'other'; message: string; problems: RuleProblem[] };

export function ReviewDialog({ title, baseVersion, children, save, onRefresh, onClose, describePath = (p) => p }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function onSave() {
    setBusy(true);
    setFailure(null);
    try {
      await save();
    } catch (e) {
      setFailure(
        e instanceof ApiError && e.code === 'VERSION_CONFLICT'
          ? { kind: 'conflict', message: e.message }
          : { kind: 'other', message: errorMessage(e), problems: problemsOf(e) },
      );
      setBusy(false);
    }
  }

  return (
    <Modal title={title} class="review-dialog" onClose={onClose}>
      <p class="modal-sub">Against version {baseVersion}, the one in force. Saving makes the draft one new version after it.</p>
      <div class="review-diff">{children}</div>
      {failure?.kind === 'conflict' && (
        <div class="form-error" role="alert">
          <p>Not saved: someone else changed the rules meanwhile ({failure.message}). Your draft is kept.</p>
          <p>Take up the newest version: your changes are applied on top of it, and the diff shows what saving would change then.</p>
          <button type="button" class="btn small" onClick={() => { setFailure(null); void onRefresh(); }}>Compare with the newest version</button>
        </div>
      )}
      {failure?.kind === 'other' && (
        <div class="form-error" role="alert">
          <p>Not saved: {failure.message}</p>
          {failure.problems.length > 0 && <ul>{failure.problems.map((p, i) => <li key={i}>{describePath(p.path)}: {p.message}</li>)}</ul>}
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="btn primary" disabled={busy} onClick={() => void onSave()} data-autofocus>{busy ? 'Saving…' : 'Save'}</button>
        <button type="button" class="btn" onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
