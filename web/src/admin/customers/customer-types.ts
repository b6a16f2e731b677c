/** Accounts, contacts and the audit of changes to them (gateway/schemas/customer.schema.ts). */
import type { CaseView, ContactDetail } from '../../types.ts';

export interface Account {
  id: string;
  name: string;
  domains: string[];
  tier: string;
  vip: boolean;
  externalId: string | null;
  notes: string | null;
  calendarId: string | null;
  contacts: number;
  createdAt: string;
  updatedAt: string;
}

export type AccountInput = Partial<Pick<Account, 'name' | 'domains' | 'tier' | 'vip' | 'externalId' | 'notes' | 'calendarId'>>;

export type Contact = Omit<ContactDetail, 'cases'>;

export interface ContactInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  accountId?: string | null;
}

export interface MergedContact extends Contact {
  moved: { identities: number; cases: string[] };
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type { CaseView, ContactDetail };
