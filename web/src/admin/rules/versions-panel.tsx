/** Every version of the configuration: who made it, when, what changed; compare two; roll back to one (admins). */
import { useCallback, useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { whenLong } from '../../format.ts';
import { Modal } from '../../modal.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { DocumentDiffView } from './document-diff-view.tsx';
import { rulesApi } from './rules-api.ts';
import type { RuleDocument } from './rules-types.ts';
import type { NameOf } from './use-agent-names.ts';
import { usePaged } from './use-paged.ts';

interface Props {
  live: RuleDocument;
  readOnly: boolean;
  /** an unsaved draft would be lost by a rollback */
  dirty: boolean;
  onRestored(doc: RuleDocument): void;
  nameOf: NameOf;
}

export function VersionsPanel({ live, readOnly, dirty, onRestored, nameOf }: Props) {
  const load = useCallback((cursor: number | null) => rulesApi.versions(cursor), []);
  const versions = usePaged(load, live.version);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [compared, setCompared] = useState<{ before: RuleDocument; after: RuleDocument } | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const ids = useId();

  const fromV = Number(from || Math.max(1, live.version - 1));
  const toV = Number(to || live.version);

  async function compare(e: Event) {
    e.preventDefault();
    setCompareError(null);
    try {
      const [before, after] = await Promise.all([rulesApi.version(fromV), rulesApi.version(toV)]);
      setCompared({ before, after });
    } catch (err) {
      setCompareError(errorMessage(err));
    }
  }

  const choices = versions.items.map((v) => <option key={v.version} value={v.version}>Version {v.version}</option>);
  return (
    <section class="panel versions" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} class="panel-title">Versions</h2>
      <form class="compare-form" onSubmit={(e) => void compare(e)}>
        <div class="field">
          <label class="field-label" for={`${ids}-from`}>Compare version</label>
          <select id={`${ids}-from`} value={String(fromV)} onChange={(e) => setFrom(e.currentTarget.value)}>{choices}</select>
        </div>
        <div class="field">
          <label class="field-label" for={`${ids}-to`}>with version</label>
          <select id={`${ids}-to`} value={String(toV)} onChange={(e) => setTo(e.currentTarget.value)}>{choices}</select>
        </div>
        <button type="submit" class="btn" disabled={versions.items.length < 2}>Compare</button>
      </form>
      {compareError && <p class="form-error" role="alert">{compareError}</p>}
      {versions.error && <p class="form-error" role="alert">{versions.error}</p>}
      <ol class="version-list" aria-label="Versions, newest first">
        {versions.items.map((v) => (
          <li key={v.version} class="version-row">
            <div class="version-main">
              <strong>Version {v.version}</strong>
              {v.version === live.version && <span class="badge rule-on">In force</span>}
              <span class="muted"> · {nameOf(v.author)} · <time dateTime={v.createdAt}>{whenLong(v.createdAt)}</time></span>
              <div class="version-change">{v.change}</div>
            </div>
            {!readOnly && v.version !== live.version && (
              <button type="button" class="btn small" onClick={() => setRestoring(v.version)}>
                Roll back to this version<span class="visually-hidden"> (version {v.version})</span>
              </button>
            )}
          </li>
        ))}
      </ol>
      {versions.hasMore && <button type="button" class="btn small" disabled={versions.loading} onClick={() => void versions.more()}>Older versions</button>}
      {restoring !== null && (
        <ConfirmDialog
          title={`Roll back to version ${restoring}?`}
          confirm="Roll back"
          onClose={() => setRestoring(null)}
          onConfirm={async () => {
            const doc = await rulesApi.restore(restoring, live.version);
            setRestoring(null);
            onRestored(doc);
          }}
        >
          <p>Version {restoring}’s rules, lexicon, templates and business hours go into force at once, as a new version after {live.version}. Nothing is deleted: you can roll forward the same way.</p>
          {dirty && <p><strong>Your unsaved draft is discarded.</strong></p>}
        </ConfirmDialog>
      )}
      {compared && (
        <Modal title={`Version ${compared.before.version} → version ${compared.after.version}`} class="review-dialog" onClose={() => setCompared(null)}>
          <DocumentDiffView before={compared.before} after={compared.after} />
        </Modal>
      )}
    </section>
  );
}
