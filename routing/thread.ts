/**
 * resolveThread: decides which case an inbound message belongs to. Pure: the caller looks up the
 * candidate cases named by the message's hints and passes them in; this returns the decision and why.
 */
import { isActiveState, type CaseState } from './case-state.ts';

export type { CaseState } from './case-state.ts';

export interface CandidateCase {
  id: number;
  state: CaseState;
  contactId: string;
  accountId: string | null;
  channel: string;
  /** the case's last message from the customer or an agent: automatic messages, notes and other changes do not count */
  lastActivityAt: Date;
  resolvedAt: Date | null;
}

export interface ThreadCandidates {
  /** from a hint only we could have produced (plus address, our Message-ID) */
  trusted?: CandidateCase | null;
  /** the case of the conversation this message belongs to (chat session, Slack thread) */
  conversation?: CandidateCase | null;
  /** the case of a stored message this one refers to (In-Reply-To / References) */
  referenced?: CandidateCase | null;
  /** a case number the sender typed (subject token): only for the case's own contact or account */
  claimed?: CandidateCase | null;
  /** the contact's open case on this channel (else its latest), when the channel threads by contact */
  sameChannel?: CandidateCase | null;
  /** the contact's latest open case on any channel, when the channel threads by contact */
  anyChannel?: CandidateCase | null;
}

export interface ThreadContext {
  contactId: string;
  accountId: string | null;
  now: Date;
  reopenDays: number;
  continuityHours: number;
}

export type ThreadDecision =
  | { action: 'append'; caseId: number; reason: string }
  | { action: 'reopen'; caseId: number; reason: string }
  | { action: 'new'; linkedCaseId?: number; reason: string };

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function resolveThread(c: ThreadCandidates, ctx: ThreadContext): ThreadDecision {
  const claimedAllowed =
    c.claimed &&
    (c.claimed.contactId === ctx.contactId || (ctx.accountId !== null && c.claimed.accountId === ctx.accountId));

  const found: Array<[CandidateCase | null | undefined, string]> = [
    [c.trusted, 'case named by our own address or Message-ID'],
    [c.conversation, 'same conversation'],
    [c.referenced, 'replies to a message of the case'],
    [claimedAllowed ? c.claimed : null, 'case number in the subject, sender is the case contact or of its account'],
    [c.sameChannel && c.sameChannel.state !== 'closed' ? c.sameChannel : null, "contact's case on this channel"],
  ];
  // A hint naming a case too old to reopen gives way to a later hint naming a live one: the customer
  // replying in the old thread after it was continued in a new case must reach the new case.
  let linked: ThreadDecision | null = null;
  for (const [candidate, why] of found) {
    if (!candidate) continue;
    const decision = joinOrReopen(candidate, why, ctx);
    if (decision.action !== 'new') return decision;
    linked ??= decision;
  }

  const other = c.anyChannel;
  if (other && isActiveState(other.state) && ctx.now.getTime() - other.lastActivityAt.getTime() <= ctx.continuityHours * HOUR) {
    const after = linked ? ` (${linked.reason})` : '';
    return { action: 'append', caseId: other.id, reason: `contact's open case on ${other.channel}, active within ${ctx.continuityHours} h${after}` };
  }
  if (linked) return linked;
  const refused = c.claimed && !claimedAllowed ? '; subject case number ignored: sender is not its contact' : '';
  return { action: 'new', reason: `no matching case${refused}` };
}

function joinOrReopen(target: CandidateCase, why: string, ctx: ThreadContext): ThreadDecision {
  if (isActiveState(target.state)) return { action: 'append', caseId: target.id, reason: why };
  if (target.state === 'resolved') {
    const since = target.resolvedAt ?? target.lastActivityAt;
    if (ctx.now.getTime() - since.getTime() <= ctx.reopenDays * DAY) {
      return { action: 'reopen', caseId: target.id, reason: `${why}; resolved within ${ctx.reopenDays} days` };
    }
    return { action: 'new', linkedCaseId: target.id, reason: `${why}; resolved more than ${ctx.reopenDays} days ago` };
  }
  return { action: 'new', linkedCaseId: target.id, reason: `${why}; that case is closed` };
}
