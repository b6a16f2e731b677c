import type { Sender } from '../channels/channel.types.ts';

/** A contact as stored, with its account's routing facts. */
export interface KnownContact {
  contactId: string;
  /** found by this very channel address (else by email or phone: the address is new to the contact) */
  viaIdentity: boolean;
  name: string | null;
  email: string | null;
  phone: string | null;
  accountId: string | null;
  account: { name: string; tier: string; vip: boolean } | null;
}

/** What routing and threading know of whoever wrote. */
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

/** The writes a contact needs: a new contact, a new address for a known one, details it lacked. */
export interface ContactWrites {
  create: { contactId: string; name: string | null; email: string | null; phone: string | null; accountId: string | null } | null;
  /** the channel address joins the contact */
  addIdentity: { channel: string; address: string; contactId: string } | null;
  /** details filled in (never overwriting what a person may have corrected) */
  fill: { contactId: string; name: string | null; email: string | null; phone: string | null } | null;
}

/**
 * Decides who wrote: the contact found (by channel address, else email, else phone), filled with what it
 * lacked; or a new contact, in the account registered for the email's domain. One person keeps one
 * history across channels. Pure: the caller loads `known` and `domainAccount`, and writes the result.
 */
export function planContact(
  channel: string,
  from: Sender,
  known: KnownContact | null,
  domainAccount: { id: string; name: string; tier: string; vip: boolean } | null,
  newContactId: string,
): { contact: ResolvedContact; writes: ContactWrites } {
  const email = from.email?.toLowerCase() ?? null;
  const phone = from.phone ?? null;
  if (!known) {
    const account = domainAccount;
    return {
      contact: { contactId: newContactId, accountId: account?.id ?? null, ...accountFacts(account), name: from.name ?? null, email, phone, isNew: true },
      writes: {
        create: { contactId: newContactId, name: from.name ?? null, email, phone, accountId: account?.id ?? null },
        addIdentity: { channel, address: from.address, contactId: newContactId },
        fill: null,
      },
    };
  }
  const fill = <T>(stored: T | null, offered: T | null | undefined) => (!stored && offered ? offered : stored);
  const merged = { name: fill(known.name, from.name), email: fill(known.email, email), phone: fill(known.phone, phone) };
  const changed = merged.name !== known.name || merged.email !== known.email || merged.phone !== known.phone;
  return {
    contact: { contactId: known.contactId, accountId: known.accountId, ...accountFacts(known.account), ...merged, isNew: false },
    writes: {
      create: null,
      addIdentity: known.viaIdentity ? null : { channel, address: from.address, contactId: known.contactId },
      fill: changed ? { contactId: known.contactId, ...merged } : null,
    },
  };
}

/** What routing needs to know of a contact's account. */
export function accountFacts(account: { tier: string; vip: boolean; name: string } | null) {
  return { tier: account?.tier ?? 'standard', vip: Boolean(account?.vip), accountName: account?.name ?? null };
}
