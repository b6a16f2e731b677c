import type { Db, Tx } from '../../store/db.ts';
import { inboundMessageOf } from '../../store/interaction.repository.ts';
import * as interactions from '../../store/interaction.repository.ts';
import { resolveContact, setOptOut, type ResolvedContact } from '../../store/contact.repository.ts';
import { candidateById, latestCaseOfContact, parseJsonArray } from '../../store/case.repository.ts';
import { enqueueOutbound, markOutboundFailed } from '../../store/outbound.repository.ts';
import { resolveThread, type ThreadCandidates, type ThreadDecision } from '../../routing/thread.ts';
import { formatCaseNumber, parseCaseNumber } from '../../routing/case-number.ts';
import type { InboundMessage } from '../../channels/channel.types.ts';
import type { GatewayEvent } from '../events.ts';
import type { RoutingEngine } from '../routing-engine.ts';
import { DEFAULT_QUEUE } from '../../routing/evaluate-rules.ts';
import { renderTemplate } from '../../routing/render-template.ts';
import type { CaseState, Priority } from '../../routing/rule.types.ts';

export interface PipelineDeps {
  db: Db;
  routing: RoutingEngine;
  now: () => Date;
  reopenDays: number;
  continuityHours: number;
}

export interface ProcessOutcome {
  status: 'processed' | 'ignored' | 'already-done' | 'missing';
  caseId?: number;
  decision?: ThreadDecision | { action: 'none'; reason: string };
  events: GatewayEvent[];
}

/**
 * Takes one stored inbound interaction through contact resolution, threading, scoring and routing,
 * in one transaction: either all of it is recorded or none, and a crash before the commit leaves the
 * interaction `received` for the next start to pick up.
 */
export async function processInbound(deps: PipelineDeps, interactionId: string): Promise<ProcessOutcome> {
  return deps.db.write(async (tx) => {
    const row = await tx.interaction.findUnique({ where: { id: interactionId } });
    if (!row) return { status: 'missing', events: [] };
    if (row.status !== 'received') return { status: 'already-done', caseId: row.caseId ?? undefined, events: [] };
    const msg = inboundMessageOf(row);
    const now = deps.now();
    const events: GatewayEvent[] = [];

    if (msg.kind === 'bounce') return handleBounce(tx, row.id, msg, now, events);

    const contact = await resolveContact(tx, msg.channel, msg.from);
    const decision = await decideThread(deps, tx, msg, contact, now);

    if (msg.kind !== 'message') {
      // Auto-replies, opt-outs and HELP are recorded on a case they belong to but never open or reopen one.
      if (msg.kind === 'opt_out' || msg.kind === 'opt_in') await setOptOut(tx, msg.channel, msg.from.address, msg.kind === 'opt_out');
      const fallback = decision.action === 'new' ? await latestCaseOfContact(tx, contact.contactId, {}) : null;
      const caseId = decision.action === 'new' ? fallback?.id : decision.caseId;
      await tx.interaction.update({
        where: { id: row.id },
        data: { status: 'ignored', caseId: caseId ?? null, contactId: contact.contactId, processedAt: now, error: `not a customer message: ${msg.kind}` },
      });
      if (caseId) events.push({ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: msg.kind });
      return { status: 'ignored', caseId, decision: { action: 'none', reason: `${msg.kind}: never opens a case` }, events };
    }

    const existing = decision.action === 'new' ? null : await tx.case.findUniqueOrThrow({ where: { id: decision.caseId } });
    // customer messages on the case, this one included
    const inboundCount = existing ? (await tx.interaction.count({ where: { caseId: existing.id, direction: 'inbound', kind: 'message' } })) + 1 : 1;
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
    const routing = (queue: string | null) =>
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
      });

    let caseId: number;
    if (!existing) {
      const queue = (await tx.queue.findUnique({ where: { name: routed.queue } })) ?? (await fallbackQueue(tx));
      const created = await tx.case.create({
        data: {
          channel: msg.channel,
          subject: subjectOf(msg),
          state: 'new',
          priority: routed.priority,
          queueId: queue?.id ?? null,
          category: routed.category,
          sentiment: routed.sentiment,
          frustrated: routed.frustrated,
          tags: JSON.stringify(routed.tags),
          requiredSkills: JSON.stringify(routed.requiredSkills),
          contactId: contact.contactId,
          accountId: contact.accountId,
          linkedCaseId: decision.action === 'new' ? decision.linkedCaseId ?? null : null,
          routing: routing(queue?.name ?? null),
          lastInboundAt: now,
        },
      });
      caseId = created.id;
      events.push({ type: 'case.created', caseId });
      // the rules' auto-reply wins over the queue's plain acknowledgement
      const template = routed.autoReplyText ?? queue?.ackTemplate;
      if (template) {
        const ack = await enqueueOutbound(tx, {
          caseId,
          replyTo: row,
          text: renderTemplate(template, { caseNumber: formatCaseNumber(caseId), name: contact.name ?? '', queue: queue?.name ?? '', subject: subjectOf(msg) }),
          kind: 'auto_reply',
          agentId: null,
          now,
        });
        await tx.case.update({ where: { id: caseId }, data: { ackSentAt: now } });
        events.push({ type: 'interaction.added', caseId, interactionId: ack.id, direction: 'outbound', channel: msg.channel, kind: 'auto_reply' });
      }
    } else {
      caseId = existing.id;
      const reopened = decision.action === 'reopen';
      const state = reopened || existing.state === 'awaiting_customer' ? 'open' : existing.state;
      // A follow-up never moves the case (an agent may have) but is scored again: the rules' priority
      // already keeps the more urgent of the case's and the message's (see routing/priority.ts).
      const tags = [...new Set([...parseJsonArray(existing.tags), ...routed.tags])];
      const skills = [...new Set([...parseJsonArray(existing.requiredSkills), ...routed.requiredSkills])];
      const queue = existing.queueId ? await tx.queue.findUnique({ where: { id: existing.queueId }, select: { name: true } }) : null;
      await tx.case.update({
        where: { id: caseId },
        data: {
          state,
          priority: routed.priority,
          sentiment: routed.sentiment,
          frustrated: existing.frustrated || routed.frustrated,
          category: existing.category ?? routed.category,
          tags: JSON.stringify(tags),
          requiredSkills: JSON.stringify(skills),
          routing: routing(queue?.name ?? null),
          lastInboundAt: now,
          resolvedAt: reopened ? null : existing.resolvedAt,
          // a reopened case is offered again, first to the agent who had it
          ...(reopened
            ? { previousAgentId: existing.assigneeId ?? existing.previousAgentId, assigneeId: null, offeredToId: null, offeredAt: null, declinedBy: '[]' }
            : {}),
        },
      });
      const changes = ['lastInboundAt'];
      if (state !== existing.state) changes.push('state');
      if (routed.priority !== existing.priority) changes.push('priority');
      if (tags.length !== parseJsonArray(existing.tags).length) changes.push('tags');
      if (reopened && existing.assigneeId) changes.push('assignee');
      if (reopened && existing.offeredToId) changes.push('offeredTo');
      events.push({ type: 'case.updated', caseId, changes });
    }

    await tx.interaction.update({
      where: { id: row.id },
      data: { status: 'processed', caseId, contactId: contact.contactId, processedAt: now },
    });
    events.unshift({ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: 'message' });
    return { status: 'processed', caseId, decision, events };
  });
}

async function decideThread(deps: PipelineDeps, tx: Tx, msg: InboundMessage, contact: ResolvedContact, now: Date): Promise<ThreadDecision> {
  const hints = msg.thread;
  const trustedId = hints.trustedCaseNumber ? parseCaseNumber(hints.trustedCaseNumber) : null;
  const claimedId = hints.claimedCaseNumber ? parseCaseNumber(hints.claimedCaseNumber) : null;
  return resolveThread(
    {
      trusted: await candidateById(tx, trustedId),
      conversation: await candidateById(tx, await interactions.caseOfConversation(tx, hints.conversationKey)),
      referenced: await candidateById(tx, await interactions.caseOfMessageIds(tx, hints.references ?? [])),
      claimed: await candidateById(tx, claimedId),
      // a contact created from this very message has no cases to look for
      ...(hints.byContact && !contact.isNew ? await casesOfContact(tx, contact.contactId, msg.channel) : {}),
    },
    { contactId: contact.contactId, accountId: contact.accountId, now, reopenDays: deps.reopenDays, continuityHours: deps.continuityHours },
  );
}

/**
 * The contact's newest open case anywhere, and its open case on this channel (else its newest one there).
 * The first often answers the second: the newest open case is on this channel, or there is no open case.
 */
async function casesOfContact(tx: Tx, contactId: string, channel: string): Promise<Pick<ThreadCandidates, 'sameChannel' | 'anyChannel'>> {
  const anyChannel = await latestCaseOfContact(tx, contactId, { activeOnly: true });
  if (anyChannel?.channel === channel) return { anyChannel, sameChannel: anyChannel };
  if (!anyChannel) return { anyChannel, sameChannel: await latestCaseOfContact(tx, contactId, { channel }) };
  const sameChannel =
    (await latestCaseOfContact(tx, contactId, { channel, activeOnly: true })) ?? (await latestCaseOfContact(tx, contactId, { channel }));
  return { anyChannel, sameChannel };
}

async function handleBounce(tx: Tx, id: string, msg: InboundMessage, now: Date, events: GatewayEvent[]): Promise<ProcessOutcome> {
  const failed = msg.failedOutbound
    ? await markOutboundFailed(tx, msg.channel, msg.failedOutbound, now)
    : null;
  await tx.interaction.update({
    where: { id },
    data: { status: 'ignored', caseId: failed?.caseId ?? null, processedAt: now, error: failed ? `bounce for ${failed.id}` : 'bounce matching no message of ours' },
  });
  if (failed) {
    events.push({ type: 'interaction.status', caseId: failed.caseId, interactionId: failed.id, status: 'failed', error: msg.failedOutbound?.reason });
  }
  return { status: 'ignored', caseId: failed?.caseId ?? undefined, decision: { action: 'none', reason: 'bounce' }, events };
}

function subjectOf(msg: InboundMessage): string {
  const s = msg.subject?.trim() || msg.text.trim().split('\n')[0] || '';
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The queue of last resort when the rules name one that no longer exists: General, else the oldest. */
async function fallbackQueue(tx: Tx) {
  return (await tx.queue.findUnique({ where: { name: DEFAULT_QUEUE } })) ?? (await tx.queue.findFirst({ orderBy: { createdAt: 'asc' } }));
}
