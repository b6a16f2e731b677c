/** Accounts, contacts, merges and the customers' audit. */
import { request } from '../../api-client.ts';
import type { Account, AccountInput, AuditEntry, Contact, ContactDetail, ContactInput, MergedContact, Page } from './customer-types.ts';

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export const customersApi = {
  accounts: (search?: string, cursor?: string | null, limit = 20) => request<Page<Account>>('GET', `/api/v1/accounts${query({ search, cursor, limit })}`),
  account: (id: string) => request<Account>('GET', `/api/v1/accounts/${enc(id)}`),
  createAccount: (body: AccountInput) => request<Account>('POST', '/api/v1/accounts', body),
  patchAccount: (id: string, body: AccountInput) => request<Account>('PATCH', `/api/v1/accounts/${enc(id)}`, body),

  contacts: (p: { search?: string; accountId?: string; cursor?: string | null }) => request<Page<Contact>>('GET', `/api/v1/contacts${query({ ...p, limit: 20 })}`),
  contact: (id: string) => request<ContactDetail>('GET', `/api/v1/contacts/${enc(id)}`),
  createContact: (body: ContactInput) => request<Contact>('POST', '/api/v1/contacts', body),
  patchContact: (id: string, body: ContactInput) => request<Contact>('PATCH', `/api/v1/contacts/${enc(id)}`, body),
  /** `from` moves into `keep`, then is deleted */
  merge: (keep: string, from: string) => request<MergedContact>('POST', `/api/v1/contacts/${enc(keep)}/merge`, { from }),

  audit: (target?: string, cursor?: string | null) => request<Page<AuditEntry>>('GET', `/api/v1/audit${query({ target, cursor, limit: 25 })}`),
};
