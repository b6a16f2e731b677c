/** Who changed which account or contact, when, and from what to what; newest first. */
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { formatStamp } from '../team/format-time.ts';
import { useActorName } from '../team/use-actor-name.ts';
import { customersApi } from './customers-api.ts';
import type { AuditEntry, Page } from './customer-types.ts';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function Changes({ e }: { e: AuditEntry }) {
  // a creation lists every field, most of them empty: only what holds a value or changed is worth reading
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])].filter(
    (k) => JSON.stringify(e.before?.[k] ?? null) !== JSON.stringify(e.after?.[k] ?? null),
  );
  if (!keys.length) return <span class="muted">—</span>;
  return (
    <ul class="plain-list changes">
      {keys.map((k) => <li key={k}><strong>{k}</strong>: {show(e.before?.[k])} → {show(e.after?.[k])}</li>)}
    </ul>
  );
}

export function AuditLog({ version }: { version: number }) {
  const [target, setTarget] = useState('');
  const [page, setPage] = useState<Page<AuditEntry> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [applied, setApplied] = useState('');
  const actorName = useActorName();

  async function load(t: string, cursor?: string | null) {
    setError(null);
    try {
      const next = await customersApi.audit(t.trim() || undefined, cursor);
      setPage((p) => (cursor && p ? { items: [...p.items, ...next.items], nextCursor: next.nextCursor } : next));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  useEffect(() => { void load(applied); }, [version, applied]);

  return (
    <section class="admin-section" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit of changes</h2>
      <p class="muted small">Who changed accounts, contacts and the rest of the setup, newest first.</p>
      <form class="search-row" onSubmit={(e) => { e.preventDefault(); setApplied(target); }}>
        <label for="audit-target" class="visually-hidden">Only changes to (e.g. contact:&lt;id&gt;)</label>
        <input id="audit-target" type="search" value={target} placeholder="Only changes to, e.g. contact:<id> or account:<id>" onInput={(e) => setTarget(e.currentTarget.value)} />
        <button type="submit" class="btn">Filter</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      {page && (page.items.length === 0 ? <p class="muted">No changes recorded.</p> : (
        <table class="admin-table stack">
          <caption class="visually-hidden">Audit of changes</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Changes</th></tr></thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id}>
                <td data-label="When">{formatStamp(e.at)}</td>
                <td data-label="Who">{actorName(e.actor)} <span class="muted">({e.actorRole})</span></td>
                <td data-label="What">{e.action} <span class="muted">{e.target}</span></td>
                <td data-label="Changes"><Changes e={e} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {page?.nextCursor && <button type="button" class="btn small" onClick={() => void load(applied, page.nextCursor)}>Older changes</button>}
    </section>
  );
}
