import type { Sender } from '../channels/channel.types.ts';
import { accountFacts, planContact, type ContactWrites, type KnownContact, type ResolvedContact } from '../routing/contact-plan.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { containsPattern, ONE, query } from './query.ts';
import { sql } from 'kysely';

export type { ResolvedContact } from '../routing/contact-plan.ts';

interface AccountRow {
  id: string;
  name: string;
  tier: string;
  vip: boolean;
}

const accountByDomainQuery = query((qb, p: { domain: string }) =>
  qb.selectFrom('AccountDomain as d').innerJoin('Account as a', 'a.id', 'd.accountId').select(['a.id', 'a.name', 'a.tier', 'a.vip']).where('d.domain', '=', p.domain),
);
const insertContactQuery = query((qb, p: { id: string; name: string | null; email: string | null; phone: string | null; accountId: string | null; now: Date }) =>
  qb.insertInto('Contact').values({ id: p.id, name: p.name, email: p.email, phone: p.phone, accountId: p.accountId, createdAt: p.now, updatedAt: p.now }),
);
const updateContactQuery = query((qb, p: { id: string; name: string | null; email: string | null; phone: string | null; now: Date }) =>
  qb.updateTable('Contact').set({ name: p.name, email: p.email, phone: p.phone, updatedAt: p.now }).where('id', '=', p.id),
);

/** The contact behind a sender, if any, and (for a sender not known) the account of the email's domain. Reads only. */
export async function loadContact(x: Executor, channel: string, from: Sender): Promise<{ known: KnownContact | null; domainAccount: AccountRow | null }> {
  const email = from.email?.toLowerCase() ?? null;
  const found = await findContactId(x, channel, from.address, email, from.phone ?? null);
  if (found) {
    const contact = await contactWithAccount(x, found.contactId);
    if (!contact) throw new Error(`contact ${found.contactId} vanished`);
    return { known: { contactId: found.contactId, viaIdentity: found.viaIdentity, ...contact }, domainAccount: null };
  }
  const domain = email?.split('@')[1];
  return { known: null, domainAccount: domain ? ((await x.first(accountByDomainQuery, { domain })) ?? null) : null };
}

/** Writes what `planContact` decided. */
export async function saveContact(x: Executor, w: ContactWrites, now: Date): Promise<void> {
  if (w.create) await x.run(insertContactQuery, { id: w.create.contactId, name: w.create.name, email: w.create.email, phone: w.create.phone, accountId: w.create.accountId, now });
  if (w.addIdentity) await addIdentity(x, w.addIdentity.channel, w.addIdentity.address, w.addIdentity.contactId, now);
  if (w.fill) await x.run(updateContactQuery, { id: w.fill.contactId, name: w.fill.name, email: w.fill.email, phone: w.fill.phone, now });
}

/**
 * Finds the contact behind a channel identity, or creates both (load, plan, save in one call). A new
 * identity joins an existing contact with the same email address or phone number.
 */
export async function resolveContact(x: Executor, channel: string, from: Sender, now: Date): Promise<ResolvedContact> {
  const { known, domainAccount } = await loadContact(x, channel, from);
  const { contact, writes } = planContact(channel, from, known, domainAccount, newId(now.getTime()));
  await saveContact(x, writes, now);
  return contact;
}

const contactWithAccountQuery = query((qb, p: { id: string }) =>
  qb
    .selectFrom('Contact as c')
    .leftJoin('Account as a', 'a.id', 'c.accountId')
    .select(['c.name', 'c.email', 'c.phone', 'c.accountId', 'a.name as accName', 'a.tier', 'a.vip'])
    .where('c.id', '=', p.id),
);

/** A contact with its account (null when it has none), in one query. */
async function contactWithAccount(x: Executor, contactId: string) {
  const row = await x.first(contactWithAccountQuery, { id: contactId });
  if (!row) return undefined;
  const account = row.accountId && row.tier !== null ? { name: row.accName ?? '', tier: row.tier, vip: row.vip ?? false } : null;
  return { name: row.name, email: row.email, phone: row.phone, accountId: row.accountId, account };
}

const insertIdentityQuery = query((qb, p: { id: string; channel: string; address: string; contactId: string; now: Date }) =>
  qb.insertInto('ChannelIdentity').values({ id: p.id, channel: p.channel, address: p.address, contactId: p.contactId, optedOut: false, createdAt: p.now }),
);

async function addIdentity(x: Executor, channel: string, address: string, contactId: string, now: Date): Promise<void> {
  await x.run(insertIdentityQuery, { id: newId(now.getTime()), channel, address, contactId, now });
}

const optOutQuery = query((qb, p: { channel: string; address: string; optedOut: boolean }) =>
  qb.updateTable('ChannelIdentity').set({ optedOut: p.optedOut }).where('channel', '=', p.channel).where('address', '=', p.address),
);

export async function setOptOut(x: Executor, channel: string, address: string, optedOut: boolean): Promise<void> {
  await x.run(optOutQuery, { channel, address, optedOut });
}

/**
 * Sets the phone number (E.164) of a contact, which links SMS from that number to this contact's cases.
 * Refused (returns false) when the number already belongs to another contact: as its phone, or as
 * the address it writes from; merging two people's histories is not something a typo should do.
 */
export async function setContactPhone(x: Executor, contactId: string, phone: string, now: Date): Promise<boolean> {
  const otherIdentity = await x.firstOf((qb) => qb.selectFrom('ChannelIdentity').select('id').where('address', '=', phone).where('contactId', '!=', contactId).limit(ONE));
  const otherContact = await x.firstOf((qb) => qb.selectFrom('Contact').select('id').where('phone', '=', phone).where('id', '!=', contactId).limit(ONE));
  if (otherIdentity || otherContact) return false;
  await x.runOf((qb) => qb.updateTable('Contact').set({ phone, updatedAt: now }).where('id', '=', contactId));
  return true;
}

const identityQuery = query((qb, p: { channel: string; address: string }) =>
  qb.selectFrom('ChannelIdentity').select('contactId').where('channel', '=', p.channel).where('address', '=', p.address),
);
const contactByEmailQuery = query((qb, p: { email: string }) => qb.selectFrom('Contact').select('id').where('email', '=', p.email).limit(ONE));
const contactByPhoneQuery = query((qb, p: { phone: string }) => qb.selectFrom('Contact').select('id').where('phone', '=', p.phone).limit(ONE));

/**
 * The contact a sender belongs to, found the way `resolveContact` finds it: by the channel identity, else
 * by the email address, else by the phone number. Reads only.
 */
async function findContactId(x: Executor, channel: string, address: string, email: string | null, phone: string | null) {
  const identity = await x.first(identityQuery, { channel, address });
  if (identity) return { contactId: identity.contactId, viaIdentity: true };
  const match =
    (email && ((await x.first(contactByEmailQuery, { email })) ?? (await addressOwner(x, 'email', email)))) ||
    (phone && ((await x.first(contactByPhoneQuery, { phone })) ?? (await addressOwner(x, 'sms', phone)))) ||
    null;
  return match ? { contactId: match.id, viaIdentity: false } : null;
}

/** The contact an address was kept for as an identity (a merged contact's email or phone). */
async function addressOwner(x: Executor, channel: string, address: string): Promise<{ id: string } | undefined> {
  const found = await x.first(identityQuery, { channel, address });
  return found ? { id: found.contactId } : undefined;
}

/** Read-only: the routing facts of whoever writes from this address (for simulations; creates nothing). */
export async function findRoutingContact(x: Executor, channel: string, address: string) {
  const email = address.includes('@') ? address.toLowerCase() : null;
  const phone = address.startsWith('+') ? address : null;
  const found = await findContactId(x, channel, address, email, phone);
  const contact = found ? await contactWithAccount(x, found.contactId) : undefined;
  if (!contact) return null;
  return { name: contact.name, email: contact.email, phone: contact.phone, ...accountFacts(contact.account) };
}

export interface ContactFields {
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  accountId: string | null;
}

export interface ContactView extends Omit<ContactFields, 'accountId'> {
  id: string;
  account: { id: string; name: string; tier: string; vip: boolean } | null;
  /** how the contact is reached on each channel, and whether it opted out there */
  identities: Array<{ channel: string; address: string; optedOut: boolean }>;
  createdAt: string;
  updatedAt: string;
}

/** Contacts, newest first; `search` matches the name, email or phone (anywhere, any case) or the external id exactly. */
export async function listContacts(
  x: Executor,
  f: { search?: string; accountId?: string; limit: number; beforeId?: string },
): Promise<{ items: ContactView[]; nextBeforeId: string | null }> {
  const rows = await x.allOf((qb) => {
    let q = selectContacts(qb);
    if (f.search) {
      const pattern = containsPattern(f.search);
      const search = f.search;
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`lower(${sql.ref('c.name')}) LIKE ${pattern} ESCAPE '\\'`,
          sql<boolean>`lower(${sql.ref('c.email')}) LIKE ${pattern} ESCAPE '\\'`,
          sql<boolean>`${sql.ref('c.phone')} LIKE ${pattern} ESCAPE '\\'`,
          eb('c.externalId', '=', search),
        ]),
      );
    }
    if (f.accountId) q = q.where('c.accountId', '=', f.accountId);
    if (f.beforeId) q = q.where('c.id', '<', f.beforeId);
    return q.orderBy('c.id', 'desc').limit(f.limit + 1);
  });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { items: await toContactViews(x, page), nextBeforeId: more ? page.at(-1)!.id : null };
}

export async function contactById(x: Executor, id: string): Promise<ContactView | null> {
  const row = await x.firstOf((qb) => selectContacts(qb).where('c.id', '=', id));
  return row ? (await toContactViews(x, [row]))[0]! : null;
}

function selectContacts(qb: Parameters<Parameters<Executor['allOf']>[0]>[0]) {
  return qb
    .selectFrom('Contact as c')
    .leftJoin('Account as a', 'a.id', 'c.accountId')
    .select(['c.id', 'c.name', 'c.email', 'c.phone', 'c.externalId', 'c.accountId', 'c.createdAt', 'c.updatedAt', 'a.name as accountName', 'a.tier', 'a.vip']);
}

type ContactListRow = {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  accountId: string | null;
  createdAt: Date;
  updatedAt: Date;
  accountName: string | null;
  tier: string | null;
  vip: boolean | null;
};

async function toContactViews(x: Executor, rows: ContactListRow[]): Promise<ContactView[]> {
  if (rows.length === 0) return [];
  const identities = await x.allOf((qb) =>
    qb
      .selectFrom('ChannelIdentity')
      .select(['contactId', 'channel', 'address', 'optedOut'])
      .where('contactId', 'in', rows.map((r) => r.id))
      .orderBy('createdAt'),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    externalId: r.externalId,
    account: r.accountId ? { id: r.accountId, name: r.accountName ?? '', tier: r.tier ?? 'standard', vip: Boolean(r.vip) } : null,
    identities: identities.filter((i) => i.contactId === r.id).map(({ channel, address, optedOut }) => ({ channel, address, optedOut })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Another contact with this email address or phone number, if any: one person, one contact. */
export async function contactHolding(x: Executor, f: { email?: string | null; phone?: string | null }, except?: string): Promise<{ id: string; by: 'email' | 'phone' } | null> {
  for (const by of ['email', 'phone'] as const) {
    const value = f[by];
    if (!value) continue;
    const row = await x.firstOf((qb) => {
      let q = qb.selectFrom('Contact').select('id').where(by, '=', value);
      if (except) q = q.where('id', '!=', except);
      return q.limit(ONE);
    });
    if (row) return { id: row.id, by };
    const kept = await addressOwner(x, by === 'email' ? 'email' : 'sms', value);
    if (kept && kept.id !== except) return { id: kept.id, by };
  }
  return null;
}

/** The account a new contact writing from this address joins, by its email domain. */
export async function accountOfEmail(x: Executor, email: string | null): Promise<string | null> {
  const domain = email?.split('@')[1];
  return domain ? ((await x.first(accountByDomainQuery, { domain }))?.id ?? null) : null;
}

export async function insertContact(tx: Executor, fields: ContactFields, now: Date): Promise<string> {
  const id = newId(now.getTime());
  await tx.runOf((qb) => qb.insertInto('Contact').values({ id, ...fields, createdAt: now, updatedAt: now }));
  return id;
}

export async function updateContact(tx: Executor, id: string, fields: Partial<ContactFields>, now: Date): Promise<boolean> {
  return (await tx.runOf((qb) => qb.updateTable('Contact').set({ ...fields, updatedAt: now }).where('id', '=', id))) > 0;
}

/**
 * Moves everything of contact `from` to contact `into` (its channel identities, cases and messages), fills
 * what `into` lacks from it, and deletes it. Returns what moved.
 */
export async function mergeContacts(tx: Executor, into: string, from: string, now: Date): Promise<{ identities: number; cases: Array<{ id: number; channel: string }> }> {
  // one after another: a transaction's connection runs one statement at a time
  const a = await contactRow(tx, into);
  const b = await contactRow(tx, from);
  if (!a || !b) throw new Error('both contacts must exist');
  const cases = await tx.allOf((qb) => qb.selectFrom('Case').select(['id', 'channel']).where('contactId', '=', from).orderBy('id'));
  const identities = await tx.runOf((qb) => qb.updateTable('ChannelIdentity').set({ contactId: into }).where('contactId', '=', from));
  await tx.runOf((qb) => qb.updateTable('Case').set({ contactId: into }).where('contactId', '=', from));
  await tx.runOf((qb) => qb.updateTable('Interaction').set({ contactId: into }).where('contactId', '=', from));
  // the merged contact's address the kept one does not have stays findable: as an identity of its channel
  if (b.email && b.email !== (a.email ?? b.email)) await keepAddress(tx, 'email', b.email, into, now);
  if (b.phone && b.phone !== (a.phone ?? b.phone)) await keepAddress(tx, 'sms', b.phone, into, now);
  await tx.runOf((qb) => qb.deleteFrom('Contact').where('id', '=', from));
  await tx.runOf((qb) =>
    qb
      .updateTable('Contact')
      .set({
        name: a.name ?? b.name,
        email: a.email ?? b.email,
        phone: a.phone ?? b.phone,
        externalId: a.externalId ?? b.externalId,
        accountId: a.accountId ?? b.accountId,
        updatedAt: now,
      })
      .where('id', '=', into),
  );
  return { identities, cases };
}

async function keepAddress(tx: Executor, channel: string, address: string, contactId: string, now: Date): Promise<void> {
  if (await tx.first(identityQuery, { channel, address })) return;
  await addIdentity(tx, channel, address, contactId, now);
}

async function contactRow(x: Executor, id: string) {
  return x.firstOf((qb) => qb.selectFrom('Contact').select(['name', 'email', 'phone', 'externalId', 'accountId']).where('id', '=', id));
}
