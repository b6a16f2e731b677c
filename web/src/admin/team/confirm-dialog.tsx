/** Asks before a change that cannot simply be undone (deactivate, revoke, merge, roll back); the refusal stays in the dialog. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { Modal } from '../../modal.tsx';

interface Props {
  title: string;
  /** the confirming button's text, e.g. "Deactivate Ana" */
  confirm: string;
  danger?: boolean;
  children: ComponentChildren;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDialog({ title, confirm, danger = true, children, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }
  return (
    <Modal title={title} onClose={onClose} class="confirm-dialog">
      <div class="confirm-body">{children}</div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="form-actions">
        <button type="button" class={`btn ${danger ? 'danger' : 'primary'}`} disabled={busy} onClick={() => void run()}>{confirm}</button>
        <button type="button" class="btn" data-autofocus onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
