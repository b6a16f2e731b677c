import type { Db } from '../../store/db.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { accountById, insertAccount, listAccounts, setAccountDomains, syncOpenCasesAccount, updateAccount, type AccountFields, type AccountView } from '../../store/account.repository.ts';
import { accountOfEmail, contactById, contactHolding, insertContact, listContacts, mergeContacts, updateContact, type ContactFields, type ContactView } from '../../store/contact.repository.ts';
import { insertAudit, listAudit } from '../../store/audit.repository.ts';
import { addCaseEvent } from '../../store/interaction.repository.ts';
import { listCases, toCaseView } from '../../store/case.repository.ts';
import type { Executor } from '../../store/executor.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';
import { actorName, type Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { requireCalendar } from '../directory/directory.service.ts';
import type { EventBus, GatewayEvent } from '../events.ts';

export type AccountInput = Partial<AccountFields> & { name?: string; domains?: string[] };
export type ContactInput = Partial<ContactFields>;

/** What a conflict on a unique column means to the caller. */
async function refuseDuplicates<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new GatewayError('CONFLICT', `${what} already belongs to another record`);
    throw err;
  }
}

const normalizeDomains = (domains: string[]) => [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))].sort();

/**
 * The customers behind the cases: accounts (organisations, with their email domains, tier and VIP flag
 * that routing reads) and contacts (people, with their addresses on each channel). Every change is audited
 * in the same transaction; a merge of two contacts also writes on each case it moves.
 */
export class CustomerService {
  constructor(private readonly deps: { db: Db; events: EventBus; now: () => Date }) {}

  listAccounts(f: { search?: string; limit: number; beforeId?: string }) {
    return listAccounts(this.deps.db.read, f);
  }

  async account(id: string): Promise<AccountView> {
    const found = await accountById(this.deps.db.read, id);
    if (!found) throw new GatewayError('ACCOUNT_NOT_FOUND', `no account ${id}`);
    return found;
  }

  async createAccount(actor: Actor, input: AccountInput & { name: string }): Promise<AccountView> {
    const now = this.deps.now();
    const domains = normalizeDomains(input.domains ?? []);
    const id = await refuseDuplicates('a domain or external id', () =>
      this.deps.db.transaction(async (tx) => {
        await requireCalendar(tx, input.calendarId);
        const fields: AccountFields = { name: input.name, tier: input.tier ?? 'standard', vip: input.vip ?? false, externalId: input.externalId ?? null, notes: input.notes ?? null, calendarId: input.calendarId ?? null };
        const created = await insertAccount(tx, fields, now);
        await setAccountDomains(tx, created, domains);
        await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'account.created', target: `account:${created}`, after: { ...fields, domains } }, now);
        return created;
      }),
    );
    return this.account(id);
  }

  async updateAccount(actor: Actor, id: string, input: AccountInput): Promise<AccountView> {
    const now = this.deps.now();
    const { domains, ...fields } = input;
    const events = await refuseDuplicates('a domain or external id', () =>
      this.deps.db.transaction(async (tx) => {
        const before = await accountById(tx, id);
        if (!before) throw new GatewayError('ACCOUNT_NOT_FOUND', `no account ${id}`);
        await requireCalendar(tx, fields.calendarId);
        await updateAccount(tx, id, fields, now);
        if (domains) await setAccountDomains(tx, id, normalizeDomains(domains));
        const changed = Object.keys(input);
        await insertAudit(
          tx,
          {
            actor: actorName(actor),
            actorRole: actor.role,
            action: 'account.updated',
            target: `account:${id}`,
            before: Object.fromEntries(changed.map((k) => [k, before[k as keyof AccountView]])),
            after: input,
          },
          now,
        );
        // what SLA policies and routing look at (tier, VIP, calendar): the account's open cases are worked out again
        const matters = ['tier', 'vip', 'calendarId'].some((k) => k in fields);
        return matters ? await this.openAccountCaseEvents(tx, id) : [];
      }),
    );
    for (const e of events) this.deps.events.emit(e);
    return this.account(id);
  }

  listContacts(f: { search?: string; accountId?: string; limit: number; beforeId?: string }) {
    return listContacts(this.deps.db.read, f);
  }

  /** A contact with its cases on every channel, newest first (the 50 latest). */
  async contact(id: string) {
    const x = this.deps.db.read;
    const found = await contactById(x, id);
    if (!found) throw new GatewayError('CONTACT_NOT_FOUND', `no contact ${id}`);
    const { rows } = await listCases(x, { contactId: id, limit: 50 });
    return { ...found, cases: rows.map((r) => toCaseView(r, this.deps.now())) };
  }

  async createContact(actor: Actor, input: ContactInput): Promise<ContactView> {
    const now = this.deps.now();
    const fields: ContactFields = {
      name: input.name ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      externalId: input.externalId ?? null,
      accountId: input.accountId ?? null,
    };
    const id = await refuseDuplicates('the external id', () =>
      this.deps.db.transaction(async (tx) => {
        await this.refuseTakenAddress(tx, fields);
        if (fields.accountId) await this.requireAccount(tx, fields.accountId);
        // a new contact writing from an account's domain joins it
        fields.accountId ??= await accountOfEmail(tx, fields.email);
        const created = await insertContact(tx, fields, now);
        await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'contact.created', target: `contact:${created}`, after: fields }, now);
        return created;
      }),
    );
    return (await contactById(this.deps.db.read, id))!;
  }

  async updateContact(actor: Actor, id: string, input: ContactInput): Promise<ContactView> {
    const now = this.deps.now();
    const fields: Partial<ContactFields> = { ...input, ...(input.email ? { email: input.email.toLowerCase() } : {}) };
    const events = await refuseDuplicates('the external id', () =>
      this.deps.db.transaction(async (tx) => {
        const before = await contactById(tx, id);
        if (!before) throw new GatewayError('CONTACT_NOT_FOUND', `no contact ${id}`);
        await this.refuseTakenAddress(tx, fields, id);
        if (fields.accountId) await this.requireAccount(tx, fields.accountId);
        await updateContact(tx, id, fields, now);
        if (fields.accountId !== undefined) await syncOpenCasesAccount(tx, { contactId: id });
        const beforeFields: Record<string, unknown> = { ...before, accountId: before.account?.id ?? null };
        await insertAudit(
          tx,
          {
            actor: actorName(actor),
            actorRole: actor.role,
            action: 'contact.updated',
            target: `contact:${id}`,
            before: Object.fromEntries(Object.keys(fields).map((k) => [k, beforeFields[k]])),
            after: fields,
          },
          now,
        );
        return fields.accountId !== undefined ? await this.openCaseEvents(tx, id, 'account') : [];
      }),
    );
    for (const e of events) this.deps.events.emit(e);
    return (await contactById(this.deps.db.read, id))!;
  }

  /**
   * Merges contact `from` into contact `into`: its channel identities, cases and messages move, what `into`
   * lacks is filled from it, `from` is deleted. Audited, and written on every case that moved.
   */
  async mergeContacts(actor: Actor, into: string, from: string): Promise<ContactView & { moved: { identities: number; cases: string[] } }> {
    if (into === from) throw new GatewayError('BAD_REQUEST', 'a contact cannot be merged into itself');
    const now = this.deps.now();
    const { moved, events } = await this.deps.db.transaction(async (tx) => {
      // one after another: a transaction's connection runs one statement at a time
      const a = await contactById(tx, into);
      const b = await contactById(tx, from);
      if (!a) throw new GatewayError('CONTACT_NOT_FOUND', `no contact ${into}`);
      if (!b) throw new GatewayError('CONTACT_NOT_FOUND', `no contact ${from}`);
      const result = await mergeContacts(tx, into, from, now);
      await syncOpenCasesAccount(tx, { contactId: into });
      const label = (c: ContactView) => c.name ?? c.email ?? c.phone ?? c.id;
      for (const c of result.cases) {
        await addCaseEvent(tx, { caseId: c.id, channel: c.channel, agentId: actor.agentId, text: `contact ${label(b)} merged into ${label(a)} by ${actorName(actor)}`, now });
      }
      const moved = { identities: result.identities, cases: result.cases.map((c) => formatCaseNumber(c.id)) };
      await insertAudit(tx, { actor: actorName(actor), actorRole: actor.role, action: 'contact.merged', target: `contact:${into}`, before: { merged: b, into: a }, after: moved }, now);
      const events: GatewayEvent[] = result.cases.map((c) => ({ type: 'case.updated', caseId: c.id, changes: ['contact'], actor: actorName(actor), origin: 'api' }));
      return { moved, events };
    });
    for (const e of events) this.deps.events.emit(e);
    return { ...(await contactById(this.deps.db.read, into))!, moved };
  }

  audit(f: { target?: string; limit: number; beforeId?: string }) {
    return listAudit(this.deps.db.read, f);
  }

  private async refuseTakenAddress(tx: Executor, f: Partial<ContactFields>, except?: string): Promise<void> {
    const taken = await contactHolding(tx, { email: f.email, phone: f.phone }, except);
    if (taken) throw new GatewayError('CONFLICT', `contact ${taken.id} already has this ${taken.by}: merge the two instead`);
  }

  private async requireAccount(tx: Executor, accountId: string): Promise<void> {
    if (!(await accountById(tx, accountId))) throw new GatewayError('ACCOUNT_NOT_FOUND', `no account ${accountId}`);
  }

  private async openAccountCaseEvents(tx: Executor, accountId: string): Promise<GatewayEvent[]> {
    const events: GatewayEvent[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const { rows, next } = await listCases(tx, { accountId, limit: 500, ...(beforeId ? { beforeId } : {}) });
      for (const r of rows) if (r.state !== 'resolved' && r.state !== 'closed') events.push({ type: 'case.updated', caseId: r.id, changes: ['account'], origin: 'api' });
      if (!next) return events;
      beforeId = next.id;
    }
  }

  private async openCaseEvents(tx: Executor, contactId: string, change: string): Promise<GatewayEvent[]> {
    const { rows } = await listCases(tx, { contactId, limit: 200 });
    return rows.filter((r) => r.state !== 'resolved' && r.state !== 'closed').map((r) => ({ type: 'case.updated', caseId: r.id, changes: [change], origin: 'api' }));
  }
}
