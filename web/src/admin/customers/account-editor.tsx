/** One account (or a new one): name, tier, VIP, email domains, external id, notes, calendar; and its contacts. */
import { useState } from 'preact/hooks';
import type { Calendar } from '../sla/calendar-types.ts';
import { changedFields } from '../team/changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../team/form-errors.ts';
import { FormField } from '../team/form-field.tsx';
import { useLoad } from '../team/use-load.ts';
import { customersApi } from './customers-api.ts';
import type { Account, AccountInput } from './customer-types.ts';

const FIELDS = ['name', 'domains', 'tier', 'vip', 'externalId', 'notes', 'calendarId'];

interface Props {
  account: Account | null;
  calendars: readonly Calendar[];
  onSaved(a: Account): void;
  onPickContact(id: string): void;
}

export function AccountEditor({ account, calendars, onSaved, onPickContact }: Props) {
  const [name, setName] = useState(account?.name ?? '');
  const [tier, setTier] = useState(account?.tier ?? 'standard');
  const [vip, setVip] = useState(account?.vip ?? false);
  const [domains, setDomains] = useState((account?.domains ?? []).join('\n'));
  const [externalId, setExternalId] = useState(account?.externalId ?? '');
  const [notes, setNotes] = useState(account?.notes ?? '');
  const [calendarId, setCalendarId] = useState(account?.calendarId ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const contacts = useLoad(() => (account ? customersApi.contacts({ accountId: account.id }) : Promise.resolve(null)), [account?.id]);
  const err = errors.fields;

  async function save(e: Event) {
    e.preventDefault();
    const input: AccountInput = {
      name: name.trim(),
      tier: tier.trim(),
      vip,
      domains: domains.split(/[\s,]+/u).map((d) => d.trim()).filter(Boolean),
      externalId: externalId.trim() || null,
      notes: notes.trim() ? notes : null,
      calendarId: calendarId || null,
    };
    const body = account ? changedFields(account, input) : input;
    if (account && Object.keys(body).length === 0) return setNotice('Nothing changed.');
    setBusy(true);
    setErrors(NO_ERRORS);
    setNotice('');
    try {
      const saved = account ? await customersApi.patchAccount(account.id, body) : await customersApi.createAccount(body);
      setNotice('Account saved.');
      onSaved(saved);
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="admin-section" aria-labelledby="account-title">
      <h2 id="account-title">{account ? `Account: ${account.name}` : 'New account'}</h2>
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>{(c) => <input {...c} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />}</FormField>
          <FormField label="Tier" error={err.tier} hint="Lower case, e.g. standard, gold, enterprise.">
            {(c) => <input {...c} type="text" list="tier-names" value={tier} onInput={(e) => setTier(e.currentTarget.value)} />}
          </FormField>
          <FormField label="External id" error={err.externalId} hint="Its id in your CRM; unique.">
            {(c) => <input {...c} type="text" value={externalId} onInput={(e) => setExternalId(e.currentTarget.value)} />}
          </FormField>
          <FormField label="Calendar" error={err.calendarId} hint="Its cases' SLA clocks run in these hours, over their queue's.">
            {(c) => (
              <select {...c} value={calendarId} onChange={(e) => setCalendarId(e.currentTarget.value)}>
                <option value="">The queue's calendar</option>
                {calendars.map((cal) => <option key={cal.id} value={cal.id}>{cal.name}</option>)}
              </select>
            )}
          </FormField>
        </div>
        <datalist id="tier-names"><option value="standard" /><option value="gold" /><option value="enterprise" /></datalist>
        <label class="choice"><input type="checkbox" checked={vip} onChange={(e) => setVip(e.currentTarget.checked)} /> VIP</label>
        {err.vip && <p class="field-error" role="alert">{err.vip}</p>}
        <FormField label="Email domains" error={err.domains} hint="One per line; new contacts writing from these domains join the account.">
          {(c) => <textarea {...c} rows={3} value={domains} onInput={(e) => setDomains(e.currentTarget.value)} />}
        </FormField>
        <FormField label="Notes" error={err.notes}>{(c) => <textarea {...c} rows={3} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />}</FormField>
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={busy}>{account ? 'Save account' : 'Create account'}</button>
          <p class="notice" role="status">{notice}</p>
        </div>
      </form>
      {account && (
        <div>
          <h3>Its contacts ({account.contacts})</h3>
          {contacts.error && <p class="form-error" role="alert">{contacts.error}</p>}
          <ul class="plain-list">
            {(contacts.data?.items ?? []).map((c) => (
              <li key={c.id}><button type="button" class="btn link" onClick={() => onPickContact(c.id)}>{c.name ?? c.email ?? c.phone ?? 'Unnamed contact'}</button> <span class="muted">{c.email}</span></li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
