/** One search over contacts (name, email, phone, external id) and accounts (name, domain, external id). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { customersApi } from './customers-api.ts';
import type { Account, Contact, Page } from './customer-types.ts';

export type Picked = { kind: 'contact'; id: string } | { kind: 'account'; id: string };

interface Props {
  picked: Picked | null;
  /** bumps after a save, to show the new names */
  version: number;
  onPick(p: Picked): void;
}

export function CustomerSearch({ picked, version, onPick }: Props) {
  const [text, setText] = useState('');
  const [contacts, setContacts] = useState<Page<Contact> | null>(null);
  const [accounts, setAccounts] = useState<Page<Account> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [searched, setSearched] = useState<string | null>(null);

  async function run(search: string) {
    setBusy(true);
    setError(null);
    try {
      const q = search.trim() || undefined;
      const [c, a] = await Promise.all([customersApi.contacts({ search: q }), customersApi.accounts(q)]);
      setContacts(c);
      setAccounts(a);
      setSearched(search.trim());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function more(kind: 'contacts' | 'accounts') {
    try {
      const q = searched || undefined;
      if (kind === 'contacts' && contacts?.nextCursor) {
        const next = await customersApi.contacts({ search: q, cursor: contacts.nextCursor });
        setContacts({ items: [...contacts.items, ...next.items], nextCursor: next.nextCursor });
      } else if (kind === 'accounts' && accounts?.nextCursor) {
        const next = await customersApi.accounts(q, accounts.nextCursor);
        setAccounts({ items: [...accounts.items, ...next.items], nextCursor: next.nextCursor });
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  // a saved change shows in the results at once
  const last = useRef<string | null>(null);
  last.current = searched;
  useEffect(() => {
    if (version > 0 && last.current !== null) void run(last.current);
  }, [version]);

  const isPicked = (kind: Picked['kind'], id: string) => picked?.kind === kind && picked.id === id;

  return (
    <section class="admin-section" aria-labelledby="find-title">
      <h2 id="find-title">Find customers</h2>
      <form class="search-row" role="search" onSubmit={(e) => { e.preventDefault(); void run((e.currentTarget.elements.namedItem('q') as HTMLInputElement).value); }}>
        <label for="customer-search" class="visually-hidden">Search contacts and accounts</label>
        <input id="customer-search" name="q" type="search" value={text} placeholder="Name, email, phone, domain or external id" onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" class="btn primary" disabled={busy}>Search</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      {contacts && accounts && (
        <div class="results" aria-live="polite">
          <div class="result-group">
            <h3>Contacts <span class="muted">({contacts.items.length}{contacts.nextCursor ? '+' : ''})</span></h3>
            {contacts.items.length === 0 ? <p class="muted">No contact matches.</p> : (
              <ul class="plain-list result-list" aria-label="Contacts found">
                {contacts.items.map((c) => (
                  <li key={c.id}>
                    <button type="button" class="result" aria-pressed={isPicked('contact', c.id)} onClick={() => onPick({ kind: 'contact', id: c.id })}>
                      <span class="result-name">{c.name ?? c.email ?? c.phone ?? 'Unnamed contact'}</span>
                      <span class="result-meta">{[c.email, c.phone, c.account?.name].filter(Boolean).join(' · ')}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {contacts.nextCursor && <button type="button" class="btn small" onClick={() => void more('contacts')}>More contacts</button>}
          </div>
          <div class="result-group">
            <h3>Accounts <span class="muted">({accounts.items.length}{accounts.nextCursor ? '+' : ''})</span></h3>
            {accounts.items.length === 0 ? <p class="muted">No account matches.</p> : (
              <ul class="plain-list result-list" aria-label="Accounts found">
                {accounts.items.map((a) => (
                  <li key={a.id}>
                    <button type="button" class="result" aria-pressed={isPicked('account', a.id)} onClick={() => onPick({ kind: 'account', id: a.id })}>
                      <span class="result-name">{a.name}{a.vip && <span class="badge vip">VIP</span>}</span>
                      <span class="result-meta">{[a.tier, a.domains.join(', '), `${a.contacts} contact${a.contacts === 1 ? '' : 's'}`].filter(Boolean).join(' · ')}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {accounts.nextCursor && <button type="button" class="btn small" onClick={() => void more('accounts')}>More accounts</button>}
          </div>
        </div>
      )}
    </section>
  );
}
