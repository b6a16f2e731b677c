/**
 * The customer beside the case: the contact (name, email, phone, every channel identity), its account (tier,
 * VIP) and its other cases; the agent can correct the name, email and phone. Without a contact id (an older
 * gateway) it shows what the case itself says.
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { Field } from './field.tsx';
import { channelLabel, stateLabel } from './format.ts';
import { useContact } from './use-contact.ts';
import type { CaseView, ContactDetail } from './types.ts';

interface Props {
  kase: CaseView;
  /** narrow screens: shown only when toggled */
  open: boolean;
  id: string;
}

export function CustomerPanel({ kase: c, open, id }: Props) {
  const state = useContact(c.contactId);
  const contact = state.contact;
  const [editing, setEditing] = useState(false);

  const name = contact?.name ?? c.contact.name;
  const email = contact?.email ?? c.contact.email;
  const phone = contact?.phone ?? c.contact.phone;
  const others = contact?.cases.filter((x) => x.number !== c.number) ?? [];

  return (
    <aside id={id} class={`customer${open ? ' open' : ''}`} aria-label="Customer">
      <h3 class="customer-title">Customer</h3>
      {state.error && (
        <p class="list-error" role="alert">{state.error} <button type="button" class="btn link" onClick={state.reload}>Try again</button></p>
      )}
      {editing && contact ? (
        <ContactForm contact={contact} onDone={(updated) => { if (updated) state.replace(updated); setEditing(false); }} />
      ) : (
        <>
          <dl class="customer-facts">
            <div><dt>Name</dt><dd>{name || <span class="muted">Not known</span>}</dd></div>
            <div><dt>Email</dt><dd>{email ? <a href={`mailto:${email}`}>{email}</a> : <span class="muted">—</span>}</dd></div>
            <div><dt>Phone</dt><dd>{phone || <span class="muted">—</span>}</dd></div>
          </dl>
          {contact && <button type="button" class="btn small" onClick={() => setEditing(true)}>Edit contact</button>}
        </>
      )}
      {contact && contact.identities.length > 0 && (
        <section class="customer-block" aria-label="Channels">
          <h4>Channels</h4>
          <ul class="identities">
            {contact.identities.map((i) => (
              <li key={`${i.channel}:${i.address}`}>
                <span class="identity-channel">{channelLabel(i.channel)}</span> <span class="identity-address">{i.address}</span>
                {i.optedOut && <span class="badge opted-out">Opted out</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {contact?.account && (
        <section class="customer-block" aria-label="Account">
          <h4>Account</h4>
          <p class="account">
            <span class="account-name">{contact.account.name}</span>{' '}
            <span class="badge tier">{contact.account.tier}</span>
            {contact.account.vip && <> <span class="badge vip">VIP</span></>}
          </p>
        </section>
      )}
      {contact && (
        <section class="customer-block" aria-label="Other cases">
          <h4>Other cases</h4>
          {others.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="other-cases">
              {others.map((o) => (
                <li key={o.number}>
                  <a href={`#/case/${o.number}`}>{o.number}</a>{' '}
                  <span class={`badge state state-${o.state}`}>{stateLabel(o.state)}</span>{' '}
                  <span class="muted">{channelLabel(o.channel)}</span>
                  <span class="other-subject">{o.subject || '(no subject)'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {!c.contactId && !state.loading && <p class="muted small">The gateway gives no contact record for this case.</p>}
    </aside>
  );
}

function ContactForm({ contact, onDone }: { contact: ContactDetail; onDone(updated: Omit<ContactDetail, 'cases'> | null): void }) {
  const [name, setName] = useState(contact.name ?? '');
  const [email, setEmail] = useState(contact.email ?? '');
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    const patch: { name?: string | null; email?: string | null; phone?: string | null } = {};
    const norm = (s: string) => s.trim() || null;
    if (norm(name) !== contact.name) patch.name = norm(name);
    if (norm(email) !== contact.email) patch.email = norm(email);
    if (norm(phone) !== contact.phone) patch.phone = norm(phone)?.replace(/[\s().-]/g, '') ?? null;
    if (!Object.keys(patch).length) { onDone(null); return; }
    setBusy(true);
    setError(null);
    try {
      onDone(await api.patchContact(contact.id, patch));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form class="contact-form" onSubmit={(e) => void save(e)} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onDone(null); } }}>
      {error && <p class="form-error" role="alert">{error}</p>}
      <Field label="Name">{(id) => <input id={id} type="text" maxLength={200} value={name} autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />}</Field>
      <Field label="Email">{(id) => <input id={id} type="email" maxLength={320} value={email} autoComplete="off" onInput={(e) => setEmail(e.currentTarget.value)} />}</Field>
      <Field label="Phone">{(id) => <input id={id} type="tel" value={phone} autoComplete="off" placeholder="+14155550123" onInput={(e) => setPhone(e.currentTarget.value)} />}</Field>
      <div class="form-actions">
        <button type="submit" class="btn primary small" disabled={busy}>Save</button>
        <button type="button" class="btn small" disabled={busy} onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  );
}
