/** Which account a contact belongs to: a search over accounts, the choice among what it finds. */
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { FormField } from '../team/form-field.tsx';
import { customersApi } from './customers-api.ts';

interface Option { id: string; name: string }

interface Props {
  value: string | null;
  /** the current account, shown though the search may not find it */
  current: Option | null;
  error?: string | undefined;
  onChange(id: string | null): void;
}

export function AccountPicker({ value, current, error, onChange }: Props) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Option[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      customersApi.accounts(search.trim() || undefined, null, 50).then(
        (p) => { if (live) { setFound(p.items.map((a) => ({ id: a.id, name: a.name }))); setFailure(null); } },
        (e: unknown) => { if (live) setFailure(errorMessage(e)); },
      );
    }, 250);
    return () => { live = false; clearTimeout(t); };
  }, [search]);

  const options = current && !found.some((o) => o.id === current.id) ? [current, ...found] : found;
  return (
    <div class="account-picker">
      <FormField label="Find an account" hint="Type part of its name or domain to narrow the list.">
        {(c) => <input {...c} type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />}
      </FormField>
      <FormField label="Account" error={error ?? failure ?? undefined}>
        {(c) => (
          <select {...c} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value || null)}>
            <option value="">No account</option>
            {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        )}
      </FormField>
    </div>
  );
}
