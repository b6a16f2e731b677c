/** What differs between an earlier version's policies and those in force, policy by policy and field by field. */
import { Modal } from '../../modal.tsx';
import type { SlaPolicy } from './sla-types.ts';

type Change = { name: string; kind: 'added' | 'removed' | 'changed' | 'moved'; fields: { field: string; before: string; after: string }[] };

const json = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

function changes(before: SlaPolicy[], after: SlaPolicy[]): Change[] {
  const out: Change[] = [];
  for (const [i, p] of after.entries()) {
    const old = before.find((b) => b.id === p.id);
    if (!old) { out.push({ name: p.name, kind: 'added', fields: [] }); continue; }
    const keys = [...new Set([...Object.keys(old), ...Object.keys(p)])].filter((k) => k !== 'id') as (keyof SlaPolicy)[];
    const fields = keys.filter((k) => json(old[k]) !== json(p[k])).map((k) => ({ field: k, before: json(old[k]), after: json(p[k]) }));
    const moved = before.indexOf(old) !== i;
    if (fields.length) out.push({ name: p.name, kind: 'changed', fields });
    else if (moved) out.push({ name: p.name, kind: 'moved', fields: [] });
  }
  for (const b of before) if (!after.some((p) => p.id === b.id)) out.push({ name: b.name, kind: 'removed', fields: [] });
  return out;
}

const WORDS = { added: 'added since', removed: 'removed since', changed: 'changed since', moved: 'moved in the order since' } as const;

export function VersionCompare({ version, before, after, onClose }: { version: number; before: SlaPolicy[]; after: SlaPolicy[]; onClose(): void }) {
  const list = changes(before, after);
  return (
    <Modal title={`Version ${version} against the policies in force`} onClose={onClose} class="admin-dialog">
      {list.length === 0 ? <p>No difference: the policies in force are the same as version {version}’s.</p> : (
        <ul class="plain-list compare">
          {list.map((c) => (
            <li key={`${c.kind}:${c.name}`}>
              <strong>{c.name}</strong> {WORDS[c.kind]} version {version}
              {c.fields.length > 0 && (
                <table class="admin-table">
                  <caption class="visually-hidden">Changes to {c.name}</caption>
                  <thead><tr><th scope="col">Field</th><th scope="col">In version {version}</th><th scope="col">In force</th></tr></thead>
                  <tbody>
                    {c.fields.map((f) => <tr key={f.field}><th scope="row">{f.field}</th><td><code>{f.before}</code></td><td><code>{f.after}</code></td></tr>)}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="form-actions"><button type="button" class="btn primary" onClick={onClose}>Close</button></div>
    </Modal>
  );
}
