/** Accounts, contacts and the audit of changes to them: what the API shows and what it takes. */
import { Type, type Static } from 'typebox';
import type { AccountView } from '../../store/account.repository.ts';
import type { ContactView } from '../../store/contact.repository.ts';
import { CaseSchema } from './case.schema.ts';
import { LimitQuery, Nullable, OpenObject, Page, Ref, type Assert, type SameShape } from './common.schema.ts';

const Domain = Type.String({ minLength: 3, maxLength: 253, pattern: '^@?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$', description: 'an email domain, e.g. acme.com' });
const Tier = Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$', description: 'lower case, e.g. standard, gold, enterprise' });
const ExternalId = Type.String({ minLength: 1, maxLength: 200, description: 'the id in your own systems (CRM); unique' });
const Timestamp = Type.String({ format: 'date-time' });

export const AccountSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    domains: Type.Array(Type.String(), { description: 'new contacts writing from these domains join the account' }),
    tier: Type.String(),
    vip: Type.Boolean(),
    externalId: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    calendarId: Nullable(Type.String({ description: 'the business calendar of its cases, over their queue’s' })),
    contacts: Type.Integer({ description: 'contacts that belong to it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Account' },
);

const Identity = Type.Object({ channel: Type.String(), address: Type.String(), optedOut: Type.Boolean() });

const contactProperties = {
  id: Type.String(),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  externalId: Nullable(Type.String()),
  account: Nullable(Type.Object({ id: Type.String(), name: Type.String(), tier: Type.String(), vip: Type.Boolean() })),
  identities: Type.Array(Identity, { description: 'how the contact is reached on each channel' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
export const ContactSchema = Type.Object(contactProperties, { $id: 'Contact' });

export type AccountSchemaMatchesView = Assert<SameShape<Static<typeof AccountSchema>, AccountView>>;
export type ContactSchemaMatchesView = Assert<SameShape<Static<typeof ContactSchema>, ContactView>>;

export const ContactDetail = Type.Object({ ...contactProperties, cases: Type.Array(Ref(CaseSchema), { description: 'its cases on every channel, newest first (50 at most)' }) });
export const MergedContact = Type.Object({
  ...contactProperties,
  moved: Type.Object({ identities: Type.Integer(), cases: Type.Array(Type.String({ description: 'case number' })) }),
});

const accountFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  domains: Type.Optional(Type.Array(Domain, { maxItems: 100, description: 'replaces the list' })),
  tier: Type.Optional(Tier),
  vip: Type.Optional(Type.Boolean()),
  externalId: Type.Optional(Nullable(ExternalId)),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  calendarId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
};
export const AccountCreateBody = Type.Object(accountFields, { additionalProperties: false });
export const AccountPatchBody = Type.Object({ ...accountFields, name: Type.Optional(accountFields.name) }, { additionalProperties: false, minProperties: 1 });

const contactFields = {
  name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', description: 'an email address' }))),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, e.g. +14155550123' }))),
  externalId: Type.Optional(Nullable(ExternalId)),
  accountId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
};
export const ContactCreateBody = Type.Object(contactFields, { additionalProperties: false, minProperties: 1 });
export const ContactPatchBody = Type.Object(contactFields, { additionalProperties: false, minProperties: 1 });
export const MergeBody = Type.Object({ from: Type.String({ minLength: 1, maxLength: 100, description: 'the contact merged into this one, then deleted' }) }, { additionalProperties: false });

const Cursor = Type.String({ description: 'pass back as `cursor` for the next page' });
const paging = { limit: Type.Optional(LimitQuery), cursor: Type.Optional(Type.String({ maxLength: 100, description: '`nextCursor` of the previous page' })) };
export const AccountListQuery = Type.Object({ search: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a part of the name, a domain or an external id' })), ...paging }, { additionalProperties: false });
export const ContactListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a part of the name, email or phone, or an external id' })),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    ...paging,
  },
  { additionalProperties: false },
);
export const AuditListQuery = Type.Object({ target: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'e.g. contact:<id>, account:<id>' })), ...paging }, { additionalProperties: false });

export const AccountPage = Page(Ref(AccountSchema), Cursor);
export const ContactPage = Page(Ref(ContactSchema), Cursor);
export const AuditPage = Page(
  Type.Object({
    id: Type.String(),
    at: Timestamp,
    actor: Type.String(),
    actorRole: Type.String(),
    action: Type.String(),
    target: Type.String(),
    before: OpenObject<Record<string, unknown> | null>('the changed fields before', { nullable: true }),
    after: OpenObject<Record<string, unknown> | null>('the changed fields after', { nullable: true }),
  }),
  Cursor,
);

export const SHARED_CUSTOMER_SCHEMAS = [AccountSchema, ContactSchema];
