import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import type { Sql } from '../../../store/sql.ts';
import { insertCase, latestCaseOfContact, markAnswered, type NewCase } from '../../../store/case.repository.ts';
import { claimCase, offerCase } from '../../../store/assignment.repository.ts';
import { resolveContact } from '../../../store/contact.repository.ts';
import { resolveThread } from '../../../routing/thread.ts';
import { tempDir } from '../../support/test-app.ts';

// far from the machine's clock, so a time taken from it cannot pass for one of these
const now = new Date('2031-03-10T12:00:00Z');
const hoursAgo = (n: number) => new Date(now.getTime() - n * 3_600_000);
const ctx = { accountId: null, now, reopenDays: 7, continuityHours: 24 };

let db: Db;
let agentId: string;
beforeEach(async () => {
  db = await Db.open({ url: `file:${path.join(tempDir(), 'c.db')}` });
  agentId = (await db.prisma.agent.create({ data: { name: 'Ola Agent' } })).id;
});
afterEach(() => db.close());

function openCase(sql: Sql, contactId: string, at: Date): number {
  const c: NewCase = {
    channel: 'chat', subject: 'Help', priority: 3, queueId: null, category: null, sentiment: 0, frustrated: false, tags: [], requiredSkills: [],
    contactId, accountId: null, linkedCaseId: null, routing: '{}', acknowledged: false, now: at,
  };
  return insertCase(sql, c);
}

function times(sql: Sql, id: number): { updatedAt: string; lastActivityAt: string } {
  return sql.get('SELECT "updatedAt", "lastActivityAt" FROM "Case" WHERE "id" = ?', id)!;
}

describe('a case’s last activity', () => {
  it('continuity runs from the last customer or agent message, not from a later assignment', async () => {
    await db.writeNow((sql) => {
      const contact = resolveContact(sql, 'chat', { address: 'session-1', email: 'pia@example.com' }, hoursAgo(72));
      const id = openCase(sql, contact.contactId, hoursAgo(72));
      expect(times(sql, id)).toEqual({ updatedAt: '2031-03-07T12:00:00.000+00:00', lastActivityAt: '2031-03-07T12:00:00.000+00:00' });

      // an hour ago the case was offered and claimed: it changed, but nobody wrote
      expect(offerCase(sql, id, agentId, hoursAgo(1.5))).toBe(true);
      expect(claimCase(sql, id, agentId, hoursAgo(1))).toBe(true);
      expect(times(sql, id)).toEqual({ updatedAt: '2031-03-10T11:00:00.000+00:00', lastActivityAt: '2031-03-07T12:00:00.000+00:00' });
      const quiet = latestCaseOfContact(sql, contact.contactId, { activeOnly: true });
      expect(quiet).toMatchObject({ id, lastActivityAt: hoursAgo(72) });
      expect(resolveThread({ anyChannel: quiet }, { ...ctx, contactId: contact.contactId }).action).toBe('new');

      // an agent's answer two hours ago is activity: the case continues
      markAnswered(sql, id, { state: 'awaiting_customer', claimBy: null, agentId, now: hoursAgo(2) });
      expect(times(sql, id)).toEqual({ updatedAt: '2031-03-10T10:00:00.000+00:00', lastActivityAt: '2031-03-10T10:00:00.000+00:00' });
      const answered = latestCaseOfContact(sql, contact.contactId, { activeOnly: true });
      expect(resolveThread({ anyChannel: answered }, { ...ctx, contactId: contact.contactId })).toMatchObject({ action: 'append', caseId: id });
    });
  });

  it('an answer sent with a token of no agent (an integration) is not an agent’s activity', async () => {
    await db.writeNow((sql) => {
      const contact = resolveContact(sql, 'chat', { address: 'session-2' }, hoursAgo(30));
      const id = openCase(sql, contact.contactId, hoursAgo(30));
      markAnswered(sql, id, { state: 'awaiting_customer', claimBy: null, agentId: null, now: hoursAgo(1) });
      expect(times(sql, id)).toEqual({ updatedAt: '2031-03-10T11:00:00.000+00:00', lastActivityAt: '2031-03-09T06:00:00.000+00:00' });
    });
  });

  it('the contact’s latest case is the one last written in, not the one last touched', async () => {
    await db.writeNow((sql) => {
      const contact = resolveContact(sql, 'chat', { address: 'session-3' }, hoursAgo(5));
      const older = openCase(sql, contact.contactId, hoursAgo(5));
      const newer = openCase(sql, contact.contactId, hoursAgo(2));
      expect(claimCase(sql, older, agentId, hoursAgo(0.1))).toBe(true);
      expect(latestCaseOfContact(sql, contact.contactId, { activeOnly: true })?.id).toBe(newer);
      expect(latestCaseOfContact(sql, contact.contactId, { channel: 'chat' })?.id).toBe(newer);
    });
  });
});
