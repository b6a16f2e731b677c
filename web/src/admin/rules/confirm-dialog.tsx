/** A question before a change that is hard to take back (delete a rule, roll back the rules). */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { Modal } from '../../modal.tsx';

interface Props {
  title: string;
  confirm: string;
  children: ComponentChildren;
  onConfirm(): void | Promise<void>;
  onClose(): void;
}

export function ConfirmDialog({ title, confirm, children, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal title={title} onClose={onClose}>
      <div class="confirm-text">{children}</div>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="form-actions">
        <button type="button" class="btn danger" disabled={busy} onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await onConfirm();
          } catch (e) {
            setError(errorMessage(e));
            setBusy(false);
          }
        }}>{confirm}</button>
        <button type="button" class="btn" data-autofocus onClick={onClose}>Cancel</button>
      </div>
    </Modal>
  );
}
