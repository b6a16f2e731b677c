import { inStore } from '../../support/store-rows.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import type { Executor } from '../../../store/executor.ts';
import { insertCase, latestCaseOfContact, markAnswered, type NewCase } from '../../../store/case.repository.ts';
import { claimCase, offerCase } from '../../../store/assignment.repository.ts';
import { resolveContact } from '../../../store/contact.repository.ts';
import { resolveThread } from '../../../routing/thread.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

// far from the machine's clock, so a time taken from it cannot pass for one of these
const now = new Date('2031-03-10T12:00:00Z');
const hoursAgo = (n: number) => new Date(now.getTime() - n * 3_600_000);
const ctx = { accountId: null, now, reopenDays: 7, continuityHours: 24 };

let db: Db;
let agentId: string;
beforeEach(async () => {
  db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
  agentId = (await inStore(db).agent.create({ data: { name: 'Ola Agent' } })).id;
});
afterEach(() => db.close());

function openCase(tx: Executor, contactId: string, at: Date): Promise<number> {
  const c: NewCase = {
    channel: 'chat', subject: 'Help', priority: 3, queueId: null, category: null, sentiment: 0, frustrated: false, tags: [], requiredSkills: [],
    contactId, accountId: null, linkedCaseId: null, routing: '{}', acknowledged: false, now: at,
  };
  return insertCase(tx, c);
}

async function times(tx: Executor, id: number): Promise<{ updatedAt: string; lastActivityAt: string }> {
  const row = (await tx.firstOf((qb) => qb.selectFrom('Case').select(['updatedAt', 'lastActivityAt']).where('id', '=', id)))!;
  return { updatedAt: row.updatedAt.toISOString(), lastActivityAt: row.lastActivityAt.toISOString() };
}

describe('a case’s last activity', () => {
  it('continuity runs from the last customer or agent message, not from a later assignment', async () => {
    await db.transaction(async (tx) => {
      const contact = await resolveContact(tx, 'chat', { address: 'session-1', email: 'pia@example.com' }, hoursAgo(72));
      const id = await openCase(tx, contact.contactId, hoursAgo(72));
      expect(await times(tx, id)).toEqual({ updatedAt: '2031-03-07T12:00:00.000Z', lastActivityAt: '2031-03-07T12:00:00.000Z' });

      // an hour ago the case was offered and claimed: it changed, but nobody wrote
      expect(await offerCase(tx, id, agentId, hoursAgo(1.5), hoursAgo(1.4))).not.toBeNull();
      expect(await claimCase(tx, id, agentId, hoursAgo(1))).toBe(true);
      expect(await times(tx, id)).toEqual({ updatedAt: '2031-03-10T11:00:00.000Z', lastActivityAt: '2031-03-07T12:00:00.000Z' });
      const quiet = await latestCaseOfContact(tx, contact.contactId, { activeOnly: true });
      expect(quiet).toMatchObject({ id, lastActivityAt: hoursAgo(72) });
      expect(resolveThread({ anyChannel: quiet }, { ...ctx, contactId: contact.contactId }).action).toBe('new');

      // an agent's answer two hours ago is activity: the case continues
      await markAnswered(tx, id, { state: 'awaiting_customer', claimBy: null, agentId, now: hoursAgo(2) });
      expect(await times(tx, id)).toEqual({ updatedAt: '2031-03-10T10:00:00.000Z', lastActivityAt: '2031-03-10T10:00:00.000Z' });
      const answered = await latestCaseOfContact(tx, contact.contactId, { activeOnly: true });
      expect(resolveThread({ anyChannel: answered }, { ...ctx, contactId: contact.contactId })).toMatchObject({ action: 'append', caseId: id });
    });
  });

  it('an answer sent with a token of no agent (an integration) is not an agent’s activity', async () => {
    await db.transaction(async (tx) => {
      const contact = await resolveContact(tx, 'chat', { address: 'session-2' }, hoursAgo(30));
      const id = await openCase(tx, contact.contactId, hoursAgo(30));
      await markAnswered(tx, id, { state: 'awaiting_customer', claimBy: null, agentId: null, now: hoursAgo(1) });
      expect(await times(tx, id)).toEqual({ updatedAt: '2031-03-10T11:00:00.000Z', lastActivityAt: '2031-03-09T06:00:00.000Z' });
    });
  });

  it('an agent’s answer to a case nobody has takes it and ends its offer; one to a taken case leaves the assignee', async () => {
    const other = (await inStore(db).agent.create({ data: { name: 'Per Agent' } })).id;
    await db.transaction(async (tx) => {
      const contact = await resolveContact(tx, 'chat', { address: 'session-4' }, hoursAgo(3));
      const id = await openCase(tx, contact.contactId, hoursAgo(3));
      expect(await offerCase(tx, id, other, hoursAgo(2), hoursAgo(1.9))).not.toBeNull();
      await markAnswered(tx, id, { state: 'awaiting_customer', claimBy: agentId, agentId, now: hoursAgo(1) });
      const owner = () => tx.firstOf((qb) => qb.selectFrom('Case').select(['state', 'assigneeId', 'offeredToId', 'offeredAt']).where('id', '=', id));
      expect(await owner()).toEqual({ state: 'awaiting_customer', assigneeId: agentId, offeredToId: null, offeredAt: null });
      expect(await times(tx, id)).toEqual({ updatedAt: '2031-03-10T11:00:00.000Z', lastActivityAt: '2031-03-10T11:00:00.000Z' });

      // a colleague answering later keeps the case with its assignee
      await markAnswered(tx, id, { state: 'pending', claimBy: other, agentId: other, now: hoursAgo(0.5) });
      expect(await owner()).toEqual({ state: 'pending', assigneeId: agentId, offeredToId: null, offeredAt: null });
    });
  });

  it('the contact’s latest case is the one last written in, not the one last touched', async () => {
    await db.transaction(async (tx) => {
      const contact = await resolveContact(tx, 'chat', { address: 'session-3' }, hoursAgo(5));
      const older = await openCase(tx, contact.contactId, hoursAgo(5));
      const newer = await openCase(tx, contact.contactId, hoursAgo(2));
      expect(await claimCase(tx, older, agentId, hoursAgo(0.1))).toBe(true);
      expect((await latestCaseOfContact(tx, contact.contactId, { activeOnly: true }))?.id).toBe(newer);
      expect((await latestCaseOfContact(tx, contact.contactId, { channel: 'chat' }))?.id).toBe(newer);
    });
  });
});
