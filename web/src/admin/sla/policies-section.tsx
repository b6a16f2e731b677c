/** The SLA policies in the order they are tried; admins add, change, reorder and delete them. */
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../team/confirm-dialog.tsx';
import type { Loaded } from '../team/use-load.ts';
import type { Calendar } from './calendar-types.ts';
import { durationText, matchText } from './describe-sla.ts';
import { PolicyForm } from './policy-form.tsx';
import { slaApi } from './sla-api.ts';
import { TARGETS, type SlaPolicy } from './sla-types.ts';

interface Props {
  policies: Loaded<{ version: number; items: SlaPolicy[] }>;
  queues: readonly string[];
  calendars: readonly Calendar[];
  onChanged(): void;
  onPreview(p: SlaPolicy): void;
}

export function PoliciesSection({ policies, queues, calendars, onChanged, onPreview }: Props) {
  const [editing, setEditing] = useState<{ policy: SlaPolicy | null; position: number } | null>(null);
  const [deleting, setDeleting] = useState<SlaPolicy | null>(null);
  const [notice, setNotice] = useState('');
  const list = policies.data?.items ?? [];
  const calendarText = (c: string | null) => (c === null ? 'Around the clock' : c === 'case' ? 'The case’s' : calendars.find((x) => x.id === c)?.name ?? c);

  return (
    <section class="admin-section" aria-labelledby="policies-title">
      <div class="section-head">
        <h2 id="policies-title">SLA policies {policies.data && <span class="muted small">(version {policies.data.version})</span>}</h2>
        <button type="button" class="btn primary" onClick={() => setEditing({ policy: null, position: list.length })}>New policy</button>
      </div>
      <p class="muted small">A case falls under the first enabled policy that applies to it.</p>
      <p class="notice" role="status">{notice}</p>
      {policies.error && <p class="form-error" role="alert">The policies could not be loaded: {policies.error}</p>}
      <table class="admin-table stack">
        <caption class="visually-hidden">SLA policies</caption>
        <thead>
          <tr><th scope="col">#</th><th scope="col">Policy</th><th scope="col">Applies to</th><th scope="col">Promises</th><th scope="col">Calendar</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {list.map((p, i) => (
            <tr key={p.id} class={p.enabled === false ? 'inactive' : undefined}>
              <td data-label="Order">{i + 1}</td>
              <th scope="row" data-label="Policy">{p.name}{p.enabled === false && <span class="badge off">Disabled</span>}</th>
              <td data-label="Applies to">{matchText(p.match)}</td>
              <td data-label="Promises">
                {TARGETS.filter(([k]) => p.targets[k]).map(([k, label]) => `${label} ${durationText(p.targets[k])}`).join(', ')}
                {p.warnBefore && <span class="muted"> · warn {p.warnBefore.endsWith('%') ? p.warnBefore : durationText(p.warnBefore)} before</span>}
              </td>
              <td data-label="Calendar">{calendarText(p.calendar)}</td>
              <td data-label="Actions">
                <div class="row-actions">
                  <button type="button" class="btn small" onClick={() => onPreview(p)}>Preview<span class="visually-hidden"> {p.name}</span></button>
                  <button type="button" class="btn small" onClick={() => setEditing({ policy: p, position: i })}>Edit<span class="visually-hidden"> {p.name}</span></button>
                  <button type="button" class="btn small danger-outline" onClick={() => setDeleting(p)}>Delete<span class="visually-hidden"> {p.name}</span></button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <PolicyForm policy={editing.policy} position={editing.position} count={list.length} queues={queues} calendars={calendars}
          onClose={() => setEditing(null)} onSaved={(name) => { setNotice(`Policy ${name} saved: a new version is in force.`); setEditing(null); onChanged(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={`Delete the policy ${deleting.name}?`} confirm={`Delete ${deleting.name}`} onClose={() => setDeleting(null)}
          onConfirm={async () => { await slaApi.remove(deleting.id); setNotice(`Policy ${deleting.name} deleted.`); onChanged(); }}>
          <p>Cases it applied to fall under the next policy that applies. You can roll back to the version before.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
