/** The draft's state and what to do with it: review and save, or discard. */
import type { ComponentChildren } from 'preact';

interface Props {
  dirty: boolean;
  onReview(): void;
  onDiscard(): void;
  children?: ComponentChildren;
}

export function DraftBar({ dirty, onReview, onDiscard, children }: Props) {
  return (
    <div class={`draft-bar${dirty ? ' dirty' : ''}`} role="region" aria-label="Draft">
      <p class="draft-state" role="status">
        {dirty ? <strong>Unsaved changes</strong> : 'No unsaved changes: the draft is the version in force.'}
      </p>
      <div class="draft-actions">
        {children}
        <button type="button" class="btn primary" disabled={!dirty} onClick={onReview}>Review and save</button>
        <button type="button" class="btn" disabled={!dirty} onClick={onDiscard}>Discard changes</button>
      </div>
    </div>
  );
}
