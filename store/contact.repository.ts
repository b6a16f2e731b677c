import type { Tx } from './db.ts';
import type { Sender } from '../channels/channel.types.ts';
import { newId, sqlDate, type Sql } from './sql.ts';

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
export function resolveContact(sql: Sql, channel: string, from: Sender, now: Date): ResolvedContact {
  const email = from.email?.toLowerCase() ?? null;
  const phone = from.phone ?? null;
  const at = sqlDate(now);
  const found = findContactId(sql, channel, from.address, email, phone);
  if (!found) {
    const domain = email?.split('@')[1];
    const account = domain ? (sql.get<AccountRow>('SELECT "id", "name", "tier", "vip" FROM "Account" WHERE "domain" = ?', domain) ?? null) : null;
    const contactId = newId();
    sql.run(
      'INSERT INTO "Contact" ("id", "name", "email", "phone", "accountId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
      contactId, from.name ?? null, email, phone, account?.id ?? null, at, at,
    );
    addIdentity(sql, channel, from.address, contactId, at);
    // everything about a contact made just now is known here: no need to read it back
    return { contactId, accountId: account?.id ?? null, ...accountFacts(account), name: from.name ?? null, email, phone, isNew: true };
  }
  const contactId = found.contactId;
  // a known person writing from a new address: the address joins their contact
  if (!found.viaIdentity) addIdentity(sql, channel, from.address, contactId, at);
  const contact = contactWithAccount(sql, contactId);
  if (!contact) throw new Error(`contact ${contactId} vanished`);
  // Fill what the contact lacks; never overwrite what a person may have corrected.
  const fill = <T>(stored: T | null, offered: T | null | undefined) => (!stored && offered ? offered : stored);
  const merged = { name: fill(contact.name, from.name), email: fill(contact.email, email), phone: fill(contact.phone, phone) };
  if (merged.name !== contact.name || merged.email !== contact.email || merged.phone !== contact.phone) {
    sql.run('UPDATE "Contact" SET "name" = ?, "email" = ?, "phone" = ?, "updatedAt" = ? WHERE "id" = ?', merged.name, merged.email, merged.phone, at, contactId);
  }
  return { contactId, accountId: contact.accountId, ...accountFacts(contact.account), ...merged, isNew: false };
}

interface AccountRow {
  id: string;
  name: string;
  tier: string;
  vip: number | boolean;
}

/** A contact with its account (null when it has none), in one query. */
function contactWithAccount(sql: Sql, contactId: string) {
  const row = sql.get<{ name: string | null; email: string | null; phone: string | null; accountId: string | null; accName: string | null; tier: string | null; vip: number | null }>(
    `SELECT c."name", c."email", c."phone", c."accountId", a."name" AS "accName", a."tier", a."vip"
     FROM "Contact" c LEFT JOIN "Account" a ON a."id" = c."accountId" WHERE c."id" = ?`,
    contactId,
  );
  if (!row) return undefined;
  const account = row.accountId && row.tier !== null ? { name: row.accName ?? '', tier: row.tier, vip: row.vip ?? 0 } : null;
  return { name: row.name, email: row.email, phone: row.phone, accountId: row.accountId, account };
}

function addIdentity(sql: Sql, channel: string, address: string, contactId: string, at: string): void {
  sql.run(
    'INSERT INTO "ChannelIdentity" ("id", "channel", "address", "contactId", "optedOut", "createdAt") VALUES (?, ?, ?, ?, 0, ?)',
    newId(), channel, address, contactId, at,
  );
}

export function setOptOut(sql: Sql, channel: string, address: string, optedOut: boolean): void {
  sql.run('UPDATE "ChannelIdentity" SET "optedOut" = ? WHERE "channel" = ? AND "address" = ?', optedOut ? 1 : 0, channel, address);
}

/**
 * Sets the phone number (E.164) of a contact, which links SMS from that number to this contact's cases.
 * Refused (returns false) when the number already belongs to another contact: as its phone, or as
 * the address it writes from; merging two people's histories is not something a typo should do.
 */
export async function setContactPhone(tx: Tx, contactId: string, phone: string, now: Date): Promise<boolean> {
  const otherIdentity = await tx.channelIdentity.findFirst({ where: { address: phone, contactId: { not: contactId } }, select: { id: true } });
  const otherContact = await tx.contact.findFirst({ where: { phone, id: { not: contactId } }, select: { id: true } });
  if (otherIdentity || otherContact) return false;
  await tx.contact.update({ where: { id: contactId }, data: { phone, updatedAt: now } });
  return true;
}

/**
 * The contact a sender belongs to, found the way `resolveContact` finds it: by the channel identity, else
 * by the email address, else by the phone number. Reads only.
 */
function findContactId(sql: Sql, channel: string, address: string, email: string | null, phone: string | null) {
  const identity = sql.get<{ contactId: string }>('SELECT "contactId" FROM "ChannelIdentity" WHERE "channel" = ? AND "address" = ?', channel, address);
  if (identity) return { contactId: identity.contactId, viaIdentity: true };
  const match =
    (email && sql.get<{ id: string }>('SELECT "id" FROM "Contact" WHERE "email" = ? LIMIT 1', email)) ||
    (phone && sql.get<{ id: string }>('SELECT "id" FROM "Contact" WHERE "phone" = ? LIMIT 1', phone)) ||
    null;
  return match ? { contactId: match.id, viaIdentity: false } : null;
}

/** What routing needs to know of a contact's account. */
function accountFacts(account: { tier: string; vip: number | boolean; name: string } | null) {
  return { tier: account?.tier ?? 'standard', vip: Boolean(account?.vip), accountName: account?.name ?? null };
}

/** Read-only: the routing facts of whoever writes from this address (for simulations; creates nothing). */
export function findRoutingContact(sql: Sql, channel: string, address: string) {
  const email = address.includes('@') ? address.toLowerCase() : null;
  const phone = address.startsWith('+') ? address : null;
  const found = findContactId(sql, channel, address, email, phone);
  const contact = found ? contactWithAccount(sql, found.contactId) : undefined;
  if (!contact) return null;
  return { name: contact.name, email: contact.email, phone: contact.phone, ...accountFacts(contact.account) };
}
