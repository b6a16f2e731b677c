/** Every version of the SLA policies: compare one with those in force, roll back to it. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { ConfirmDialog } from '../team/confirm-dialog.tsx';
import { formatStamp } from '../team/format-time.ts';
import { useActorName } from '../team/use-actor-name.ts';
import { useLoad } from '../team/use-load.ts';
import { slaApi } from './sla-api.ts';
import type { SlaPolicy, SlaVersion } from './sla-types.ts';
import { VersionCompare } from './version-compare.tsx';

interface Props {
  current: { version: number; items: SlaPolicy[] } | null;
  /** bumps when the policies changed */
  version: number;
  onRestored(): void;
}

export function VersionsSection({ current, version, onRestored }: Props) {
  const versions = useLoad(() => slaApi.versions(), [version]);
  const [comparing, setComparing] = useState<{ v: SlaVersion; items: SlaPolicy[] } | null>(null);
  const [restoring, setRestoring] = useState<SlaVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const actorName = useActorName();

  async function compare(v: SlaVersion) {
    setError(null);
    try {
      setComparing({ v, items: (await slaApi.version(v.version)).items });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <section class="admin-section" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <p class="notice" role="status">{notice}</p>
      {(versions.error ?? error) && <p class="form-error" role="alert">{versions.error ?? error}</p>}
      <table class="admin-table stack">
        <caption class="visually-hidden">Versions of the SLA policies</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">When</th><th scope="col">By</th><th scope="col">Change</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(versions.data?.items ?? []).map((v) => (
            <tr key={v.version}>
              <th scope="row" data-label="Version">{v.version}{v.version === current?.version && <span class="badge on">In force</span>}</th>
              <td data-label="When">{formatStamp(v.createdAt)}</td>
              <td data-label="By">{actorName(v.author)}</td>
              <td data-label="Change">{v.change}</td>
              <td data-label="Actions">
                {v.version !== current?.version && (
                  <div class="row-actions">
                    <button type="button" class="btn small" onClick={() => void compare(v)}>Compare<span class="visually-hidden"> version {v.version}</span> with the policies in force</button>
                    <button type="button" class="btn small" onClick={() => setRestoring(v)}>Roll back<span class="visually-hidden"> to version {v.version}</span></button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {comparing && current && <VersionCompare version={comparing.v.version} before={comparing.items} after={current.items} onClose={() => setComparing(null)} />}
      {restoring && (
        <ConfirmDialog title={`Roll back to version ${restoring.version}?`} confirm={`Roll back to version ${restoring.version}`} danger={false} onClose={() => setRestoring(null)}
          onConfirm={async () => { await slaApi.restore(restoring.version); setNotice(`Version ${restoring.version}’s policies are in force again (as a new version).`); onRestored(); }}>
          <p>Its policies replace those in force, as a new version; cases’ clocks follow at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
