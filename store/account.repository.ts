import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { containsPattern, escapeLike } from './query.ts';

export interface AccountFields {
  name: string;
  tier: string;
  vip: boolean;
  externalId: string | null;
  notes: string | null;
  /** the business calendar of its cases, over their queue's; null: the queue's */
  calendarId: string | null;
}

export interface AccountView extends AccountFields {
  id: string;
  /** email domains whose new contacts join the account, lower case */
  domains: string[];
  /** contacts that belong to it */
  contacts: number;
  createdAt: string;
  updatedAt: string;
}

/** Accounts, newest first; `search` matches the name (anywhere, any case), a domain or the external id exactly. */
export async function listAccounts(x: Executor, f: { search?: string; limit: number; beforeId?: string }): Promise<{ items: AccountView[]; nextBeforeId: string | null }> {
  const rows = await x.allOf((qb) => {
    let q = qb.selectFrom('Account as a').selectAll('a');
    if (f.search) {
      const search = f.search;
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`lower(${sql.ref('a.name')}) LIKE ${containsPattern(search)} ESCAPE '\\'`,
          eb('a.externalId', '=', search),
          eb.exists(eb.selectFrom('AccountDomain as d').select('d.domain').whereRef('d.accountId', '=', 'a.id').where('d.domain', '=', search.toLowerCase())),
        ]),
      );
    }
    if (f.beforeId) q = q.where('a.id', '<', f.beforeId);
    return q.orderBy('a.id', 'desc').limit(f.limit + 1);
  });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const views = await withDomainsAndCounts(x, page);
  return { items: views, nextBeforeId: more ? page.at(-1)!.id : null };
}

export async function accountById(x: Executor, id: string): Promise<AccountView | null> {
  const row = await x.firstOf((qb) => qb.selectFrom('Account').selectAll().where('id', '=', id));
  return row ? ((await withDomainsAndCounts(x, [row]))[0] ?? null) : null;
}

type AccountRow = { id: string; name: string; tier: string; vip: boolean; externalId: string | null; notes: string | null; calendarId: string | null; createdAt: Date; updatedAt: Date };

async function withDomainsAndCounts(x: Executor, rows: AccountRow[]): Promise<AccountView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const domains = await x.allOf((qb) => qb.selectFrom('AccountDomain').select(['domain', 'accountId']).where('accountId', 'in', ids).orderBy('domain'));
  const counts = await x.allOf((qb) =>
    qb.selectFrom('Contact').select(['accountId', (eb) => eb.fn.countAll<number>().as('n')]).where('accountId', 'in', ids).groupBy('accountId'),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    tier: r.tier,
    vip: r.vip,
    externalId: r.externalId,
    notes: r.notes,
    calendarId: r.calendarId,
    domains: domains.filter((d) => d.accountId === r.id).map((d) => d.domain),
    contacts: Number(counts.find((c) => c.accountId === r.id)?.n ?? 0),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function insertAccount(tx: Executor, fields: AccountFields, now: Date): Promise<string> {
  const id = newId(now.getTime());
  await tx.runOf((qb) => qb.insertInto('Account').values({ id, ...fields, createdAt: now, updatedAt: now }));
  return id;
}

export async function updateAccount(tx: Executor, id: string, fields: Partial<AccountFields>, now: Date): Promise<boolean> {
  return (await tx.runOf((qb) => qb.updateTable('Account').set({ ...fields, updatedAt: now }).where('id', '=', id))) > 0;
}

/**
 * Gives the account exactly these domains (a unique violation when another account has one of them), and
 * brings in the contacts without an account who write from one of them.
 */
export async function setAccountDomains(tx: Executor, accountId: string, domains: readonly string[]): Promise<void> {
  await tx.runOf((qb) => qb.deleteFrom('AccountDomain').where('accountId', '=', accountId));
  for (const domain of domains) {
    await tx.runOf((qb) => qb.insertInto('AccountDomain').values({ domain, accountId }));
    await tx.runOf((qb) =>
      qb
        .updateTable('Contact')
        .set({ accountId })
        .where('accountId', 'is', null)
        .where(sql<boolean>`lower(${sql.ref('email')}) LIKE ${`%@${escapeLike(domain)}`} ESCAPE '\\'`),
    );
  }
  // their cases still open count for the account too (routing, SLAs)
  await syncOpenCasesAccount(tx, { accountId });
}

/**
 * Open cases follow their contact's account (routing and SLAs read it from the case); resolved and closed
 * ones keep the account they were worked under. For the contacts of one account, or one contact.
 */
export async function syncOpenCasesAccount(tx: Executor, of: { accountId: string } | { contactId: string }): Promise<void> {
  await tx.runOf((qb) => {
    const q = qb
      .updateTable('Case')
      .set((eb) => ({ accountId: eb.selectFrom('Contact').select('Contact.accountId').whereRef('Contact.id', '=', 'Case.contactId') }))
      .where('state', 'not in', ['resolved', 'closed']);
    return 'contactId' in of
      ? q.where('contactId', '=', of.contactId)
      : q.where('contactId', 'in', (eb) => eb.selectFrom('Contact').select('Contact.id').where('Contact.accountId', '=', of.accountId));
  });
}
