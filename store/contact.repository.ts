import type { Sender } from '../channels/channel.types.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { query } from './query.ts';

export interface ResolvedContact {
  contactId: string;
  accountId: string | null;
  tier: string;
  vip: boolean;
  accountName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** created from this very message: it has no cases yet */
  isNew: boolean;
}

const accountByDomainQuery = query((qb, p: { domain: string }) => qb.selectFrom('Account').select(['id', 'name', 'tier', 'vip']).where('domain', '=', p.domain));
const insertContactQuery = query((qb, p: { id: string; name: string | null; email: string | null; phone: string | null; accountId: string | null; now: Date }) =>
  qb.insertInto('Contact').values({ id: p.id, name: p.name, email: p.email, phone: p.phone, accountId: p.accountId, createdAt: p.now, updatedAt: p.now }),
);
const updateContactQuery = query((qb, p: { id: string; name: string | null; email: string | null; phone: string | null; now: Date }) =>
  qb.updateTable('Contact').set({ name: p.name, email: p.email, phone: p.phone, updatedAt: p.now }).where('id', '=', p.id),
);

/**
 * Finds the contact behind a channel identity, or creates both. A new identity joins an existing
 * contact with the same email address or phone number, so one person keeps one history across
 * channels; the account is the one registered for the email's domain, if any.
 */
export async function resolveContact(x: Executor, channel: string, from: Sender, now: Date): Promise<ResolvedContact> {
  const email = from.email?.toLowerCase() ?? null;
  const phone = from.phone ?? null;
  const found = await findContactId(x, channel, from.address, email, phone);
  if (!found) {
    const domain = email?.split('@')[1];
    const account = domain ? ((await x.first(accountByDomainQuery, { domain })) ?? null) : null;
    const contactId = newId(now.getTime());
    await x.run(insertContactQuery, { id: contactId, name: from.name ?? null, email, phone, accountId: account?.id ?? null, now });
    await addIdentity(x, channel, from.address, contactId, now);
    // everything about a contact made just now is known here: no need to read it back
    return { contactId, accountId: account?.id ?? null, ...accountFacts(account), name: from.name ?? null, email, phone, isNew: true };
  }
  const contactId = found.contactId;
  // a known person writing from a new address: the address joins their contact
  if (!found.viaIdentity) await addIdentity(x, channel, from.address, contactId, now);
  const contact = await contactWithAccount(x, contactId);
  if (!contact) throw new Error(`contact ${contactId} vanished`);
  // Fill what the contact lacks; never overwrite what a person may have corrected.
  const fill = <T>(stored: T | null, offered: T | null | undefined) => (!stored && offered ? offered : stored);
  const merged = { name: fill(contact.name, from.name), email: fill(contact.email, email), phone: fill(contact.phone, phone) };
  if (merged.name !== contact.name || merged.email !== contact.email || merged.phone !== contact.phone) {
    await x.run(updateContactQuery, { id: contactId, ...merged, now });
  }
  return { contactId, accountId: contact.accountId, ...accountFacts(contact.account), ...merged, isNew: false };
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
  const otherIdentity = await x.firstOf((qb) => qb.selectFrom('ChannelIdentity').select('id').where('address', '=', phone).where('contactId', '!=', contactId).limit(1));
  const otherContact = await x.firstOf((qb) => qb.selectFrom('Contact').select('id').where('phone', '=', phone).where('id', '!=', contactId).limit(1));
  if (otherIdentity || otherContact) return false;
  await x.runOf((qb) => qb.updateTable('Contact').set({ phone, updatedAt: now }).where('id', '=', contactId));
  return true;
}

const identityQuery = query((qb, p: { channel: string; address: string }) =>
  qb.selectFrom('ChannelIdentity').select('contactId').where('channel', '=', p.channel).where('address', '=', p.address),
);
const contactByEmailQuery = query((qb, p: { email: string }) => qb.selectFrom('Contact').select('id').where('email', '=', p.email).limit(1));
const contactByPhoneQuery = query((qb, p: { phone: string }) => qb.selectFrom('Contact').select('id').where('phone', '=', p.phone).limit(1));

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

/** What routing needs to know of a contact's account. */
function accountFacts(account: { tier: string; vip: boolean; name: string } | null) {
  return { tier: account?.tier ?? 'standard', vip: Boolean(account?.vip), accountName: account?.name ?? null };
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
