import type { Sender } from '../channels/channel.types.ts';
import { accountFacts, planContact, type ContactWrites, type KnownContact, type ResolvedContact } from '../routing/contact-plan.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { ONE, query } from './query.ts';

export type { ResolvedContact } from '../routing/contact-plan.ts';

interface AccountRow {
  id: string;
  name: string;
  tier: string;
  vip: boolean;
}

const accountByDomainQuery = query((qb, p: { domain: string }) => qb.selectFrom('Account').select(['id', 'name', 'tier', 'vip']).where('domain', '=', p.domain));
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
  const match = (email && (await x.first(contactByEmailQuery, { email }))) || (phone && (await x.first(contactByPhoneQuery, { phone }))) || null;
  return match ? { contactId: match.id, viaIdentity: false } : null;
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
