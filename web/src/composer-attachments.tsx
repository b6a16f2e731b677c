/** The composer's files: the "Attach files" button over a file input, and a chip per file (its upload's state, a way to remove it). */
import { fileSize } from './format.ts';
import type { PendingFile } from './use-uploads.ts';

export function AttachButton({ onFiles }: { onFiles(files: File[]): void }) {
  return (
    <label class="btn small attach">
      <input
        type="file"
        multiple
        class="visually-hidden"
        onChange={(e) => {
          const el = e.currentTarget;
          onFiles([...(el.files ?? [])]);
          el.value = ''; // the same file may be chosen again
        }}
      />
      Attach files
    </label>
  );
}

export function AttachmentChips({ items, onRemove }: { items: PendingFile[]; onRemove(key: number): void }) {
  if (!items.length) return null;
  return (
    <ul class="chips" aria-label="Files to send">
      {items.map((f) => (
        <li key={f.key} class={`chip ${f.state}`}>
          <span class="chip-name">{f.name}</span>
          <span class="chip-size">{fileSize(f.size)}</span>
          {f.state === 'uploading' && <span class="chip-state">Uploading…</span>}
          {f.state === 'failed' && <span class="chip-state" role="alert">Not attached: {f.error}</span>}
          <button type="button" class="chip-remove" aria-label={`Remove ${f.name}`} onClick={() => onRemove(f.key)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
