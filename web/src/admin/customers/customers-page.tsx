/** #/admin/customers: find contacts and accounts, keep them current, merge duplicates, and the audit of changes. */
import { useState } from 'preact/hooks';
import type { SectionProps } from '../admin-app.tsx';
import { calendarsApi } from '../sla/calendars-api.ts';
import { useLoad } from '../team/use-load.ts';
import { AccountEditor } from './account-editor.tsx';
import { AuditLog } from './audit-log.tsx';
import { mergeSummary } from './contact-merge.tsx';
import { ContactEditor } from './contact-editor.tsx';
import { CustomerSearch, type Picked } from './customer-search.tsx';
import { customersApi } from './customers-api.ts';
import '../team/admin-common.css';
import './customers.css';

function PickedContact({ id, version, onSaved, onMerged }: { id: string; version: number; onSaved(): void; onMerged(keptId: string, summary: string): void }) {
  const contact = useLoad(() => customersApi.contact(id), [id, version]);
  if (contact.error) return <p class="form-error" role="alert">The contact could not be loaded: {contact.error}</p>;
  if (!contact.data || contact.data.id !== id) return <p class="muted">Loading…</p>;
  return <ContactEditor key={id} contact={contact.data} canMerge onSaved={onSaved} onMerged={(m) => onMerged(m.id, mergeSummary(m))} />;
}

function PickedAccount({ id, version, onSaved, onPickContact }: { id: string; version: number; onSaved(): void; onPickContact(id: string): void }) {
  const account = useLoad(() => customersApi.account(id), [id, version]);
  const calendars = useLoad(() => calendarsApi.list());
  if (account.error) return <p class="form-error" role="alert">The account could not be loaded: {account.error}</p>;
  if (!account.data || account.data.id !== id) return <p class="muted">Loading…</p>;
  return <AccountEditor key={id} account={account.data} calendars={calendars.data?.items ?? []} onSaved={onSaved} onPickContact={onPickContact} />;
}

export function CustomersPage(_: SectionProps) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  const calendars = useLoad(() => calendarsApi.list());
  const saved = () => setVersion((v) => v + 1);

  return (
    <div class="admin-page">
      <div class="section-head">
        <h1>Customers</h1>
        <button type="button" class="btn" onClick={() => { setPicked(null); setCreating(true); }}>New account</button>
      </div>
      <p class="notice" role="status">{notice}</p>
      <CustomerSearch picked={picked} version={version} onPick={(p) => { setCreating(false); setNotice(''); setPicked(p); }} />
      {creating && (
        <AccountEditor account={null} calendars={calendars.data?.items ?? []} onPickContact={() => undefined}
          onSaved={(a) => { setCreating(false); saved(); setPicked({ kind: 'account', id: a.id }); }} />
      )}
      {picked?.kind === 'contact' && (
        <PickedContact id={picked.id} version={version} onSaved={saved}
          onMerged={(keptId, summary) => { setNotice(summary); saved(); setPicked({ kind: 'contact', id: keptId }); }} />
      )}
      {picked?.kind === 'account' && <PickedAccount id={picked.id} version={version} onSaved={saved} onPickContact={(id) => setPicked({ kind: 'contact', id })} />}
      <AuditLog version={version} />
    </div>
  );
}
