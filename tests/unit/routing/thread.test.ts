import { describe, expect, it } from 'vitest';
import { resolveThread, type CandidateCase } from '../../../routing/thread.ts';

const now = new Date('2026-11-20T12:00:00Z');
const ctx = { contactId: 'me', accountId: 'acme', now, reopenDays: 7, continuityHours: 24 };
const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
const hours = (n: number) => new Date(now.getTime() - n * 3_600_000);

function kase(id: number, over: Partial<CandidateCase> = {}): CandidateCase {
  return { id, state: 'open', contactId: 'me', accountId: 'acme', channel: 'email', lastActivityAt: hours(1), resolvedAt: null, ...over };
}

describe('resolveThread', () => {
  it('opens a new case when nothing matches', () => {
    expect(resolveThread({}, ctx)).toEqual({ action: 'new', reason: 'no matching case' });
  });

  it('follows hints in order: trusted, conversation, referenced, claimed', () => {
    const all = { trusted: kase(1), conversation: kase(2), referenced: kase(3), claimed: kase(4) };
    expect(resolveThread(all, ctx)).toMatchObject({ action: 'append', caseId: 1 });
    expect(resolveThread({ ...all, trusted: null }, ctx)).toMatchObject({ action: 'append', caseId: 2 });
    expect(resolveThread({ referenced: kase(3), claimed: kase(4) }, ctx)).toMatchObject({ action: 'append', caseId: 3 });
    expect(resolveThread({ claimed: kase(4) }, ctx)).toMatchObject({ action: 'append', caseId: 4 });
  });

  it('a stranger quoting a case number does not get into that case', () => {
    const foreign = kase(9, { contactId: 'someone-else', accountId: 'other-co' });
    const d = resolveThread({ claimed: foreign }, ctx);
    expect(d.action).toBe('new');
    expect(d.reason).toContain('not its contact');
  });

  it('a colleague of the same account may continue the case by number', () => {
    expect(resolveThread({ claimed: kase(9, { contactId: 'colleague' }) }, ctx)).toMatchObject({ action: 'append', caseId: 9 });
    // without an account, only the contact itself
    expect(resolveThread({ claimed: kase(9, { contactId: 'colleague', accountId: null }) }, { ...ctx, accountId: null }).action).toBe('new');
  });

  it('a resolved case reopens within REOPEN_DAYS, later a linked new case', () => {
    expect(resolveThread({ trusted: kase(5, { state: 'resolved', resolvedAt: days(6) }) }, ctx)).toMatchObject({ action: 'reopen', caseId: 5 });
    expect(resolveThread({ trusted: kase(5, { state: 'resolved', resolvedAt: days(8) }) }, ctx)).toMatchObject({ action: 'new', linkedCaseId: 5 });
  });

  it('a resolved case with no resolution time counts REOPEN_DAYS from its last message', () => {
    expect(resolveThread({ trusted: kase(5, { state: 'resolved', lastActivityAt: days(6) }) }, ctx)).toMatchObject({ action: 'reopen', caseId: 5 });
    expect(resolveThread({ trusted: kase(5, { state: 'resolved', lastActivityAt: days(8) }) }, ctx)).toMatchObject({ action: 'new', linkedCaseId: 5 });
  });

  it('a closed case is never reopened: a new case links to it', () => {
    expect(resolveThread({ referenced: kase(6, { state: 'closed' }) }, ctx)).toMatchObject({ action: 'new', linkedCaseId: 6 });
  });

  it('by-contact channels: the case on the same channel, then an active one elsewhere within CONTINUITY_HOURS', () => {
    expect(resolveThread({ sameChannel: kase(7, { channel: 'sms' }) }, ctx)).toMatchObject({ action: 'append', caseId: 7 });
    expect(resolveThread({ sameChannel: kase(7, { state: 'closed' }), anyChannel: kase(8, { lastActivityAt: hours(23) }) }, ctx)).toMatchObject({
      action: 'append',
      caseId: 8,
    });
    expect(resolveThread({ anyChannel: kase(8, { lastActivityAt: hours(25) }) }, ctx).action).toBe('new');
    expect(resolveThread({ anyChannel: kase(8, { state: 'resolved', lastActivityAt: hours(1) }) }, ctx).action).toBe('new');
  });

  it('a hint naming a case too old to reopen gives way to a later hint naming the live case that continued it', () => {
    // the customer answers in the old thread (our tagged address of CS1, closed) and references the
    // message that opened CS2, its continuation
    const d = resolveThread({ trusted: kase(1, { state: 'closed' }), referenced: kase(2) }, ctx);
    expect(d).toMatchObject({ action: 'append', caseId: 2 });
    // with nothing live, the new case still links to the first hint's case
    expect(resolveThread({ trusted: kase(1, { state: 'closed' }), referenced: kase(2, { state: 'closed' }) }, ctx)).toMatchObject({
      action: 'new',
      linkedCaseId: 1,
    });
  });

  it('a stale case on the same channel gives way to an active one elsewhere within CONTINUITY_HOURS', () => {
    const stale = kase(7, { channel: 'sms', state: 'resolved', resolvedAt: days(30) });
    expect(resolveThread({ sameChannel: stale, anyChannel: kase(8, { channel: 'chat', lastActivityAt: hours(2) }) }, ctx)).toMatchObject({
      action: 'append',
      caseId: 8,
    });
    expect(resolveThread({ sameChannel: stale, anyChannel: kase(8, { channel: 'chat', lastActivityAt: hours(30) }) }, ctx)).toMatchObject({
      action: 'new',
      linkedCaseId: 7,
    });
  });
});
