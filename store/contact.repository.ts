import type { PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import type { Sender } from '../channels/channel.types.ts';

type Client = PrismaClient | Tx;

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

/**
 * Finds the contact behind a channel identity, or creates both. A new identity joins an existing
 * contact with the same email address or phone number, so one person keeps one history across
 * channels; the account is the one registered for the email's domain, if any.
 */
export async function resolveContact(tx: Tx, channel: string, from: Sender): Promise<ResolvedContact> {
  const email = from.email?.toLowerCase() ?? null;
  const phone = from.phone ?? null;
  const found = await findContactId(tx, channel, from.address, email, phone);
  if (!found) {
    const domain = email?.split('@')[1];
    const account = domain ? await tx.account.findUnique({ where: { domain }, select: { id: true, name: true, tier: true, vip: true } }) : null;
    const created = await tx.contact.create({
      data: { name: from.name ?? null, email, phone, accountId: account?.id ?? null },
      select: { id: true },
    });
    await tx.channelIdentity.create({ data: { channel, address: from.address, contactId: created.id } });
    // everything about a contact made just now is known here: no need to read it back
    return { contactId: created.id, accountId: account?.id ?? null, ...accountFacts(account), name: from.name ?? null, email, phone, isNew: true };
  }
  const contactId = found.contactId;
  // a known person writing from a new address: the address joins their contact
  if (!found.viaIdentity) await tx.channelIdentity.create({ data: { channel, address: from.address, contactId } });
  const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId } });
  // most contacts have no account: ask for it only when there is one
  const account = contact.accountId ? await tx.account.findUnique({ where: { id: contact.accountId } }) : null;
  // Fill what the contact lacks; never overwrite what a person may have corrected.
  const fill: { name?: string; email?: string; phone?: string } = {};
  if (!contact.name && from.name) fill.name = from.name;
  if (!contact.email && email) fill.email = email;
  if (!contact.phone && phone) fill.phone = phone;
  if (Object.keys(fill).length) await tx.contact.update({ where: { id: contactId }, data: fill });
  return {
    contactId,
    accountId: contact.accountId,
    ...accountFacts(account),
    name: fill.name ?? contact.name,
    email: fill.email ?? contact.email,
    phone: fill.phone ?? contact.phone,
    isNew: false,
  };
}

export async function setOptOut(tx: Tx, channel: string, address: string, optedOut: boolean): Promise<void> {
  await tx.channelIdentity.updateMany({ where: { channel, address }, data: { optedOut } });
}

/** The address a contact is reached at on a channel, and whether they asked not to be. */
export async function identityFor(db: Client, contactId: string, channel: string, address?: string) {
  return db.channelIdentity.findFirst({
    where: { contactId, channel, ...(address ? { address } : {}) },
    orderBy: { createdAt: 'desc' },
  });
}

/**
 * Sets the phone number (E.164) of a contact, which links SMS from that number to this contact's cases.
 * Refused (returns false) when the number already belongs to another contact: as its phone, or as
 * the address it writes from; merging two people's histories is not something a typo should do.
 */
export async function setContactPhone(tx: Tx, contactId: string, phone: string): Promise<boolean> {
  const otherIdentity = await tx.channelIdentity.findFirst({ where: { address: phone, contactId: { not: contactId } }, select: { id: true } });
  const otherContact = await tx.contact.findFirst({ where: { phone, id: { not: contactId } }, select: { id: true } });
  if (otherIdentity || otherContact) return false;
  await tx.contact.update({ where: { id: contactId }, data: { phone } });
  return true;
}

/**
 * The contact a sender belongs to, found the way `resolveContact` finds it: by the channel identity, else
 * by the email address, else by the phone number. Reads only.
 */
async function findContactId(db: Client, channel: string, address: string, email: string | null, phone: string | null) {
  const identity = await db.channelIdentity.findUnique({ where: { channel_address: { channel, address } }, select: { contactId: true } });
  if (identity) return { contactId: identity.contactId, viaIdentity: true };
  const match =
    (email && (await db.contact.findFirst({ where: { email }, select: { id: true } }))) ||
    (phone && (await db.contact.findFirst({ where: { phone }, select: { id: true } }))) ||
    null;
  return match ? { contactId: match.id, viaIdentity: false } : null;
}

/** What routing needs to know of a contact's account. */
function accountFacts(account: { tier: string; vip: boolean; name: string } | null) {
  return { tier: account?.tier ?? 'standard', vip: account?.vip ?? false, accountName: account?.name ?? null };
}

/** Read-only: the routing facts of whoever writes from this address (for simulations; creates nothing). */
export async function findRoutingContact(db: Client, channel: string, address: string) {
  const email = address.includes('@') ? address.toLowerCase() : null;
  const phone = address.startsWith('+') ? address : null;
  const found = await findContactId(db, channel, address, email, phone);
  const contact = found ? await db.contact.findUnique({ where: { id: found.contactId }, include: { account: true } }) : null;
  if (!contact) return null;
  return { name: contact.name, email: contact.email, phone: contact.phone, ...accountFacts(contact.account) };
}
