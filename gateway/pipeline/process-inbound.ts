import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import { inboundMessageOf } from '../../store/interaction.repository.ts';
import * as interactions from '../../store/interaction.repository.ts';
import { loadContact, saveContact, setOptOut } from '../../store/contact.repository.ts';
import { newId } from '../../store/ids.ts';
import { planContact } from '../../routing/contact-plan.ts';
import { applyFollowUp, candidateById, caseForFollowUp, insertCase, latestCaseOfContact, parseJsonArray } from '../../store/case.repository.ts';
import { queueForNewCase } from '../../store/directory.repository.ts';
import { autoReplySentSince, enqueueOutbound, markOutboundFailed } from '../../store/outbound.repository.ts';
import { resolveThread, type ThreadCandidates, type ThreadDecision } from '../../routing/thread.ts';
import { formatCaseNumber, parseCaseNumber } from '../../routing/case-number.ts';
import type { InboundMessage } from '../../channels/channel.types.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import { attachViewsIfWanted } from '../event-views.ts';
import type { RoutingEngine } from '../routing-engine.ts';
import type { TraceEntry } from '../../routing/evaluate-rules.ts';
import { renderTemplate } from '../../routing/render-template.ts';
import type { CaseState, Priority } from '../../routing/rule.types.ts';

export interface PipelineDeps {
  db: Db;
  routing: RoutingEngine;
  now: () => Date;
  reopenDays: number;
  continuityHours: number;
  /** AUTO_REPLY_LIMIT_MINUTES: at most one automatic message per recipient address within this many minutes; 0 = no limit */
  autoReplyLimitMinutes: number;
  /** told whether anyone renders the events (then they carry their case and interaction) */
  events?: EventBus;
}

export interface ProcessOutcome {
  status: 'processed' | 'ignored' | 'already-done' | 'missing';
  /** the message's channel, once it was processed or ignored */
  channel?: string;
  caseId?: number;
  decision?: ThreadDecision | { action: 'none'; reason: string };
  events: GatewayEvent[];
  /** a routed message: its routing trace and when it was routed (for the rules' match counts) */
  routed?: { trace: TraceEntry[]; at: Date };
}

/**
 * Takes one stored inbound interaction through contact resolution, threading, scoring and routing, in
 * one transaction (a savepoint of the commit it shares with the writes asked for at the same moment):
 * either all of it is recorded or none, and a crash before the commit leaves the interaction `received`
 * for the next start to pick up. Inside, it loads what the decisions need, asks routing/ for them (pure
 * functions), then saves every change.
 */
export function processInbound(deps: PipelineDeps, interactionId: string): Promise<ProcessOutcome> {
  return deps.db.transaction(async (tx) => {
    const outcome = await processInboundIn(tx, deps, interactionId);
    await attachViewsIfWanted(tx, outcome.events, deps.events);
    return outcome;
  });
}

async function processInboundIn(tx: Executor, deps: PipelineDeps, interactionId: string): Promise<ProcessOutcome> {
  const row = await interactions.inboundForProcessing(tx, interactionId);
  if (!row) return { status: 'missing', events: [] };
  if (row.status !== 'received') return { status: 'already-done', caseId: row.caseId ?? undefined, events: [] };
  const msg = inboundMessageOf(row);
  const now = deps.now();
  if (msg.kind === 'bounce') return handleBounce(tx, row.id, msg, now);

  // load: who wrote, and the cases the message may belong to
  const snapshot = await loadSnapshot(tx, msg);
  // decide: the contact, then the thread
  const { contact, writes } = planContact(msg.channel, msg.from, snapshot.known, snapshot.domainAccount, newId(now.getTime()));
  const decision = resolveThread(snapshot.candidates, {
    contactId: contact.contactId,
    accountId: contact.accountId,
    now,
    reopenDays: deps.reopenDays,
    continuityHours: deps.continuityHours,
  });

  if (msg.kind !== 'message') {
    // Auto-replies, opt-outs and HELP are recorded on a case they belong to but never open or reopen one.
    const fallback = decision.action === 'new' && !contact.isNew ? await latestCaseOfContact(tx, contact.contactId, {}) : null;
    const caseId = decision.action === 'new' ? fallback?.id : decision.caseId;
    await saveContact(tx, writes, now);
    if (msg.kind === 'opt_out' || msg.kind === 'opt_in') await setOptOut(tx, msg.channel, msg.from.address, msg.kind === 'opt_out');
    await interactions.markInbound(tx, row.id, { status: 'ignored', caseId: caseId ?? null, contactId: contact.contactId, now, error: `not a customer message: ${msg.kind}` });
    const events: GatewayEvent[] = caseId ? [{ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: msg.kind }] : [];
    return { status: 'ignored', channel: msg.channel, caseId, decision: { action: 'none', reason: `${msg.kind}: never opens a case` }, events };
  }

  // load the case the message joins; decide its routing
  const existing = decision.action === 'new' ? null : await caseForFollowUp(tx, decision.caseId);
  // customer messages on the case, this one included
  const inboundCount = existing ? (await interactions.customerMessageCount(tx, existing.id)) + 1 : 1;
  const routed = deps.routing.route({
    channel: msg.channel,
    from: msg.from.address,
    subject: msg.subject ?? existing?.subject,
    text: msg.text,
    contact,
    case: existing
      ? { number: formatCaseNumber(existing.id), state: existing.state as CaseState, priority: existing.priority as Priority, tags: parseJsonArray(existing.tags), inboundCount, createdAt: existing.createdAt }
      : undefined,
    now,
  });
  const explanation = (queue: string | null, acknowledgement?: { sent: boolean; reason?: string }) =>
    JSON.stringify({
      version: routed.version,
      at: now.toISOString(),
      thread: decision,
      decision: {
        queue,
        queueRuleId: routed.queueRuleId,
        priority: routed.priority,
        category: routed.category,
        sentiment: routed.sentiment,
        frustrated: routed.frustrated,
        tags: routed.tags,
        requiredSkills: routed.requiredSkills,
        autoReplyTemplate: routed.autoReplyTemplate ?? null,
      },
      trace: routed.trace,
      ...(acknowledgement ? { acknowledgement } : {}),
    });

  const events: GatewayEvent[] = [];
  let caseId: number;
  if (!existing) {
    // load where the case goes and whether an acknowledgement may go out; then save it all
    const queue = await queueForNewCase(tx, routed.queue);
    // the rules' auto-reply wins over the queue's plain acknowledgement
    const template = routed.autoReplyText ?? queue?.ackTemplate;
    const held = template ? await autoReplyHeld(tx, deps, msg.channel, row.fromAddress ?? msg.from.address, now) : null;
    const acknowledgement = template ? (held ? { sent: false, reason: held } : { sent: true }) : undefined;
    await saveContact(tx, writes, now);
    caseId = await insertCase(tx, {
      channel: msg.channel,
      subject: subjectOf(msg),
      priority: routed.priority,
      queueId: queue?.id ?? null,
      category: routed.category,
      sentiment: routed.sentiment,
      frustrated: routed.frustrated,
      tags: routed.tags,
      requiredSkills: routed.requiredSkills,
      contactId: contact.contactId,
      accountId: contact.accountId,
      linkedCaseId: decision.action === 'new' ? decision.linkedCaseId ?? null : null,
      routing: explanation(queue?.name ?? null, acknowledgement),
      acknowledged: acknowledgement?.sent === true,
      now,
    });
    events.push({ type: 'case.created', caseId });
    if (template && acknowledgement?.sent) {
      const ack = await enqueueOutbound(tx, {
        caseId,
        replyTo: row,
        text: renderTemplate(template, { caseNumber: formatCaseNumber(caseId), name: contact.name ?? '', queue: queue?.name ?? '', subject: subjectOf(msg), backAt: routed.backAt ?? 'soon' }),
        kind: 'auto_reply',
        agentId: null,
        now,
      });
      events.push({ type: 'interaction.added', caseId, interactionId: ack.id, direction: 'outbound', channel: msg.channel, kind: 'auto_reply' });
    }
  } else {
    caseId = existing.id;
    const reopened = decision.action === 'reopen';
    const state = reopened || existing.state === 'awaiting_customer' ? 'open' : existing.state;
    // A follow-up never moves the case (an agent may have) but is scored again: the rules' priority
    // already keeps the more urgent of the case's and the message's (see routing/priority.ts).
    const tags = [...new Set([...parseJsonArray(existing.tags), ...routed.tags])];
    // skills an overflow step dropped stay dropped while the case waits on; a reopen is a new wait
    const relaxed = existing.skillsRelaxed && !reopened;
    const skills = relaxed ? parseJsonArray(existing.requiredSkills) : [...new Set([...parseJsonArray(existing.requiredSkills), ...routed.requiredSkills])];
    await saveContact(tx, writes, now);
    // a reopened case is offered again, first to the agent who had it
    await applyFollowUp(tx, caseId, {
      state,
      priority: routed.priority,
      sentiment: routed.sentiment,
      frustrated: existing.frustrated || routed.frustrated,
      category: existing.category ?? routed.category,
      tags,
      requiredSkills: skills,
      routing: explanation(existing.queueName),
      reopen: reopened,
      now,
    });
    const changes = ['lastInboundAt'];
    if (state !== existing.state) changes.push('state');
    if (routed.priority !== existing.priority) changes.push('priority');
    if (tags.length !== parseJsonArray(existing.tags).length) changes.push('tags');
    // an offer made before may go to an agent who lacks a skill the case needs now
    if (skills.length !== parseJsonArray(existing.requiredSkills).length) changes.push('requiredSkills');
    if (reopened && existing.assigneeId) changes.push('assignee');
    if (reopened && existing.offeredToId) changes.push('offeredTo');
    events.push({ type: 'case.updated', caseId, changes });
  }

  await interactions.markInbound(tx, row.id, { status: 'processed', caseId, contactId: contact.contactId, now, error: null });
  events.unshift({ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: 'message' });
  return { status: 'processed', channel: msg.channel, caseId, decision, events, routed: { trace: routed.trace, at: now } };
}

/** What threading decides on: the sender's contact (if known) and every case the message may belong to. */
async function loadSnapshot(tx: Executor, msg: InboundMessage) {
  const { known, domainAccount } = await loadContact(tx, msg.channel, msg.from);
  const hints = msg.thread;
  const trustedId = hints.trustedCaseNumber ? parseCaseNumber(hints.trustedCaseNumber) : null;
  const claimedId = hints.claimedCaseNumber ? parseCaseNumber(hints.claimedCaseNumber) : null;
  const candidates: ThreadCandidates = {
    trusted: await candidateById(tx, trustedId),
    conversation: await candidateById(tx, await interactions.caseOfConversation(tx, hints.conversationKey)),
    referenced: await candidateById(tx, await interactions.caseOfMessageIds(tx, hints.references ?? [])),
    claimed: await candidateById(tx, claimedId),
    // a sender not known yet has no cases to look for
    ...(hints.byContact && known ? await casesOfContact(tx, known.contactId, msg.channel) : {}),
  };
  return { known, domainAccount, candidates };
}

/**
 * The contact's newest open case anywhere, and its open case on this channel (else its newest one there).
 * The first often answers the second: the newest open case is on this channel, or there is no open case.
 */
async function casesOfContact(tx: Executor, contactId: string, channel: string): Promise<Pick<ThreadCandidates, 'sameChannel' | 'anyChannel'>> {
  const anyChannel = await latestCaseOfContact(tx, contactId, { activeOnly: true });
  if (anyChannel?.channel === channel) return { anyChannel, sameChannel: anyChannel };
  if (!anyChannel) return { anyChannel, sameChannel: await latestCaseOfContact(tx, contactId, { channel }) };
  const sameChannel = (await latestCaseOfContact(tx, contactId, { channel, activeOnly: true })) ?? (await latestCaseOfContact(tx, contactId, { channel }));
  return { anyChannel, sameChannel };
}

async function handleBounce(tx: Executor, id: string, msg: InboundMessage, now: Date): Promise<ProcessOutcome> {
  const failed = msg.failedOutbound ? await markOutboundFailed(tx, msg.channel, msg.failedOutbound, now) : null;
  await interactions.markInbound(tx, id, {
    status: 'ignored',
    caseId: failed?.caseId ?? null,
    contactId: null,
    now,
    error: failed ? `bounce for ${failed.id}` : 'bounce matching no message of ours',
  });
  const events: GatewayEvent[] = failed
    ? [{ type: 'interaction.status', caseId: failed.caseId, interactionId: failed.id, status: 'failed', error: msg.failedOutbound?.reason }]
    : [];
  return { status: 'ignored', channel: msg.channel, caseId: failed?.caseId ?? undefined, decision: { action: 'none', reason: 'bounce' }, events };
}

/**
 * Why no automatic message may go to `address` now, or null: one already went there within the limit's
 * window. Whatever answers our acknowledgements (a receipt, a responder without headers) then cannot
 * keep a loop going, and a forged sender cannot aim a stream of them at someone else's address.
 */
async function autoReplyHeld(tx: Executor, deps: PipelineDeps, channel: string, address: string, now: Date): Promise<string | null> {
  const minutes = deps.autoReplyLimitMinutes;
  if (minutes <= 0) return null;
  const since = new Date(now.getTime() - minutes * 60_000);
  return (await autoReplySentSince(tx, channel, address, since)) ? `an automatic message went to ${address} within ${minutes} minutes; no acknowledgement sent` : null;
}

function subjectOf(msg: InboundMessage): string {
  const s = msg.subject?.trim() || msg.text.trim().split('\n')[0] || '';
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
