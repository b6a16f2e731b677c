/** Two records of one person become one: choose the duplicate, which of the two is kept, confirm, see what moved. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { ConfirmDialog } from '../team/confirm-dialog.tsx';
import { customersApi } from './customers-api.ts';
import type { Contact, MergedContact } from './customer-types.ts';

const label = (c: Pick<Contact, 'name' | 'email' | 'phone'>) => c.name ?? c.email ?? c.phone ?? 'Unnamed contact';
/** what a merge did, in a sentence */
export function mergeSummary(m: MergedContact): string {
  const ids = `${m.moved.identities} identit${m.moved.identities === 1 ? 'y' : 'ies'}`;
  const cases = `${m.moved.cases.length} case${m.moved.cases.length === 1 ? '' : 's'}${m.moved.cases.length ? ` (${m.moved.cases.join(', ')})` : ''}`;
  return `Merged into ${label(m)}: ${ids} and ${cases} moved.`;
}

const describe = (c: Contact) => [label(c), c.email, c.phone].filter((v, i, all) => v && all.indexOf(v) === i).join(' · ');

export function ContactMerge({ contact, onMerged }: { contact: Contact; onMerged(merged: MergedContact): void }) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Contact[] | null>(null);
  const [other, setOther] = useState<Contact | null>(null);
  const [keepThis, setKeepThis] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function find(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const page = await customersApi.contacts({ search: search.trim() || undefined });
      setFound(page.items.filter((c) => c.id !== contact.id));
    } catch (x) {
      setError(errorMessage(x));
    }
  }

  const keep = keepThis ? contact : other;
  const gone = keepThis ? other : contact;

  return (
    <div class="merge" role="group" aria-labelledby="merge-title">
      <h3 id="merge-title">Merge with a duplicate</h3>
      <form class="search-row" onSubmit={(e) => void find(e)}>
        <label for="merge-search" class="visually-hidden">Find the duplicate contact</label>
        <input id="merge-search" type="search" value={search} placeholder="Find the duplicate: name, email or phone" onInput={(e) => setSearch(e.currentTarget.value)} />
        <button type="submit" class="btn">Find duplicates</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      {found && (found.length === 0 ? <p class="muted">No other contact matches.</p> : (
        <fieldset class="admin-group">
          <legend>The duplicate</legend>
          {found.map((c) => (
            <label key={c.id} class="choice">
              <input type="radio" name="merge-other" checked={other?.id === c.id} onChange={() => setOther(c)} /> {describe(c)}
            </label>
          ))}
        </fieldset>
      ))}
      {other && (
        <fieldset class="admin-group">
          <legend>Which one to keep</legend>
          <label class="choice"><input type="radio" name="merge-keep" checked={keepThis} onChange={() => setKeepThis(true)} /> Keep {describe(contact)} (this one)</label>
          <label class="choice"><input type="radio" name="merge-keep" checked={!keepThis} onChange={() => setKeepThis(false)} /> Keep {describe(other)}</label>
        </fieldset>
      )}
      {other && <div><button type="button" class="btn danger-outline" onClick={() => setConfirming(true)}>Merge contacts</button></div>}
      {confirming && keep && gone && (
        <ConfirmDialog title={`Merge ${label(gone)} into ${label(keep)}?`} confirm="Merge" onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const merged = await customersApi.merge(keep.id, gone.id);
            setOther(null);
            setFound(null);
            onMerged(merged);
          }}>
          <p>{label(gone)}’s channel identities, cases and messages move to {label(keep)}, then {label(gone)} is deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
