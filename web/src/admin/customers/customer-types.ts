/** Accounts, contacts and the audit of changes to them, as gateway/schemas/customer.schema.ts declares them. */
import type { Static } from 'typebox';
import type {
  AccountPatchBody,
  AccountSchema,
  AuditPage,
  ContactPatchBody,
  ContactSchema,
  MergedContact as MergedContactSchema,
} from '../../../../gateway/schemas/customer.schema.ts';
import type { CaseView, ContactDetail } from '../../types.ts';

export type Account = Static<typeof AccountSchema>;

export type AccountInput = Static<typeof AccountPatchBody>;

export type Contact = Static<typeof ContactSchema>;

export type ContactInput = Static<typeof ContactPatchBody>;

export type MergedContact = Static<typeof MergedContactSchema>;

export type AuditEntry = Static<typeof AuditPage>['items'][number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type { CaseView, ContactDetail };
