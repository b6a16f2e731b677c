/** One contact: its details to keep current, how it is reached, its cases, and merging a duplicate into it. */
import { useState } from 'preact/hooks';
import { changedFields } from '../team/changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../team/form-errors.ts';
import { FormField } from '../team/form-field.tsx';
import { AccountPicker } from './account-picker.tsx';
import { ContactMerge } from './contact-merge.tsx';
import { customersApi } from './customers-api.ts';
import type { ContactDetail, ContactInput, MergedContact } from './customer-types.ts';

const FIELDS = ['name', 'email', 'phone', 'externalId', 'accountId'];

interface Props {
  contact: ContactDetail;
  canMerge: boolean;
  onSaved(): void;
  /** after a merge: show the contact kept */
  onMerged(merged: MergedContact): void;
}

export function ContactEditor({ contact, canMerge, onSaved, onMerged }: Props) {
  const [name, setName] = useState(contact.name ?? '');
  const [email, setEmail] = useState(contact.email ?? '');
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [externalId, setExternalId] = useState(contact.externalId ?? '');
  const [accountId, setAccountId] = useState<string | null>(contact.account?.id ?? null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const err = errors.fields;

  async function save(e: Event) {
    e.preventDefault();
    const input: ContactInput = { name: name.trim() || null, email: email.trim() || null, phone: phone.trim() || null, externalId: externalId.trim() || null, accountId };
    const body = changedFields({ ...contact, accountId: contact.account?.id ?? null }, input);
    if (Object.keys(body).length === 0) return setNotice('Nothing changed.');
    setBusy(true);
    setErrors(NO_ERRORS);
    setNotice('');
    try {
      await customersApi.patchContact(contact.id, body);
      setNotice('Contact saved.');
      onSaved();
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  const title = contact.name ?? contact.email ?? contact.phone ?? 'Unnamed contact';
  return (
    <section class="admin-section" aria-labelledby="contact-title">
      <h2 id="contact-title">Contact: {title}</h2>
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>{(c) => <input {...c} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />}</FormField>
          <FormField label="Email" error={err.email}>{(c) => <input {...c} type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}</FormField>
          <FormField label="Phone" error={err.phone} hint="E.164, e.g. +14155550123">{(c) => <input {...c} type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />}</FormField>
          <FormField label="External id" error={err.externalId} hint="Its id in your CRM; unique.">{(c) => <input {...c} type="text" value={externalId} onInput={(e) => setExternalId(e.currentTarget.value)} />}</FormField>
        </div>
        <AccountPicker value={accountId} current={contact.account} error={err.accountId} onChange={setAccountId} />
        <div class="form-actions">
          <button type="submit" class="btn primary" disabled={busy}>Save contact</button>
          <p class="notice" role="status">{notice}</p>
        </div>
      </form>
      <div class="contact-facts">
        <div>
          <h3>Reached on</h3>
          {contact.identities.length === 0 ? <p class="muted">No channel identities.</p> : (
            <ul class="plain-list">
              {contact.identities.map((i) => (
                <li key={`${i.channel}:${i.address}`}><strong>{i.channel}</strong> {i.address}{i.optedOut && <span class="badge off">opted out</span>}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Cases</h3>
          {contact.cases.length === 0 ? <p class="muted">No cases.</p> : (
            <ul class="plain-list">
              {contact.cases.slice(0, 10).map((c) => (
                <li key={c.number}><a href={`#/case/${c.number}`}>{c.number}</a> {c.subject} <span class="muted">({c.state.replace('_', ' ')}, {c.channel})</span></li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {canMerge && <ContactMerge contact={contact} onMerged={onMerged} />}
    </section>
  );
}
