import type { Db } from '../../store/db.ts';
import type { Sql } from '../../store/sql.ts';
import { sqlDate } from '../../store/sql.ts';
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

interface InboundRow {
  id: string;
  status: string;
  caseId: number | null;
  channel: string;
  fromAddress: string | null;
  conversationKey: string | null;
  meta: string;
}

interface CaseRow {
  id: number;
  subject: string;
  state: string;
  priority: number;
  queueId: string | null;
  queueName: string | null;
  category: string | null;
  frustrated: number;
  tags: string;
  requiredSkills: string;
  assigneeId: string | null;
  previousAgentId: string | null;
  offeredToId: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

interface QueueRow {
  id: string;
  name: string;
  ackTemplate: string | null;
}

/**
 * Takes one stored inbound interaction through contact resolution, threading, scoring and routing,
 * in one transaction: either all of it is recorded or none, and a crash before the commit leaves the
 * interaction `received` for the next start to pick up.
 */
export function processInbound(deps: PipelineDeps, interactionId: string): Promise<ProcessOutcome> {
  return deps.db.writeNow((sql) => processInboundIn(sql, deps, interactionId));
}

function processInboundIn(sql: Sql, deps: PipelineDeps, interactionId: string): ProcessOutcome {
  const row = sql.get<InboundRow>(
    'SELECT "id", "status", "caseId", "channel", "fromAddress", "conversationKey", "meta" FROM "Interaction" WHERE "id" = ?',
    interactionId,
  );
  if (!row) return { status: 'missing', events: [] };
  if (row.status !== 'received') return { status: 'already-done', caseId: row.caseId ?? undefined, events: [] };
  const msg = inboundMessageOf(row);
  const now = deps.now();
  const events: GatewayEvent[] = [];

  if (msg.kind === 'bounce') return handleBounce(sql, row.id, msg, now, events);

  const contact = resolveContact(sql, msg.channel, msg.from, now);
  const decision = decideThread(deps, sql, msg, contact, now);

  if (msg.kind !== 'message') {
    // Auto-replies, opt-outs and HELP are recorded on a case they belong to but never open or reopen one.
    if (msg.kind === 'opt_out' || msg.kind === 'opt_in') setOptOut(sql, msg.channel, msg.from.address, msg.kind === 'opt_out');
    const fallback = decision.action === 'new' ? latestCaseOfContact(sql, contact.contactId, {}) : null;
    const caseId = decision.action === 'new' ? fallback?.id : decision.caseId;
    markInteraction(sql, row.id, { status: 'ignored', caseId: caseId ?? null, contactId: contact.contactId, now, error: `not a customer message: ${msg.kind}` });
    if (caseId) events.push({ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: msg.kind });
    return { status: 'ignored', caseId, decision: { action: 'none', reason: `${msg.kind}: never opens a case` }, events };
  }

  const existing = decision.action === 'new' ? null : caseRow(sql, decision.caseId);
  // customer messages on the case, this one included
  const inboundCount = existing
    ? sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "Interaction" WHERE "caseId" = ? AND "direction" = 'inbound' AND "kind" = 'message'`, existing.id)!.n + 1
    : 1;
  const routed = deps.routing.route({
    channel: msg.channel,
    from: msg.from.address,
    subject: msg.subject ?? existing?.subject,
    text: msg.text,
    contact,
    case: existing
      ? { number: formatCaseNumber(existing.id), state: existing.state as CaseState, priority: existing.priority as Priority, tags: parseJsonArray(existing.tags), inboundCount, createdAt: new Date(existing.createdAt) }
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
    const queue = queueNamed(sql, routed.queue) ?? fallbackQueue(sql);
    // the rules' auto-reply wins over the queue's plain acknowledgement
    const template = routed.autoReplyText ?? queue?.ackTemplate;
    const at = sqlDate(now);
    caseId = sql.run(
      `INSERT INTO "Case" ("channel", "subject", "state", "priority", "queueId", "category", "sentiment", "frustrated", "tags", "requiredSkills",
         "contactId", "accountId", "linkedCaseId", "routing", "lastInboundAt", "ackSentAt", "declinedBy", "createdAt", "updatedAt")
       VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`,
      msg.channel, subjectOf(msg), routed.priority, queue?.id ?? null, routed.category, routed.sentiment, routed.frustrated ? 1 : 0,
      JSON.stringify(routed.tags), JSON.stringify(routed.requiredSkills), contact.contactId, contact.accountId,
      decision.action === 'new' ? decision.linkedCaseId ?? null : null, routing(queue?.name ?? null), at, template ? at : null, at, sqlDate(new Date()),
    ).lastInsertRowid;
    events.push({ type: 'case.created', caseId });
    if (template) {
      const ack = enqueueOutbound(sql, {
        caseId,
        replyTo: row,
        text: renderTemplate(template, { caseNumber: formatCaseNumber(caseId), name: contact.name ?? '', queue: queue?.name ?? '', subject: subjectOf(msg) }),
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
    const skills = [...new Set([...parseJsonArray(existing.requiredSkills), ...routed.requiredSkills])];
    const previous = reopened ? { previousAgentId: existing.assigneeId ?? existing.previousAgentId } : null;
    // a reopened case is offered again, first to the agent who had it
    sql.run(
      `UPDATE "Case" SET "state" = ?, "priority" = ?, "sentiment" = ?, "frustrated" = ?, "category" = ?, "tags" = ?, "requiredSkills" = ?,
         "routing" = ?, "lastInboundAt" = ?, "resolvedAt" = ?, "updatedAt" = ?,
         "previousAgentId" = ?, "assigneeId" = ?, "offeredToId" = ?, "offeredAt" = CASE WHEN ? THEN NULL ELSE "offeredAt" END,
         "declinedBy" = CASE WHEN ? THEN '[]' ELSE "declinedBy" END
       WHERE "id" = ?`,
      state, routed.priority, routed.sentiment, existing.frustrated || routed.frustrated ? 1 : 0, existing.category ?? routed.category,
      JSON.stringify(tags), JSON.stringify(skills), routing(existing.queueName), sqlDate(now), reopened ? null : existing.resolvedAt, sqlDate(new Date()),
      previous ? previous.previousAgentId : existing.previousAgentId, previous ? null : existing.assigneeId, previous ? null : existing.offeredToId,
      reopened ? 1 : 0, reopened ? 1 : 0, caseId,
    );
    const changes = ['lastInboundAt'];
    if (state !== existing.state) changes.push('state');
    if (routed.priority !== existing.priority) changes.push('priority');
    if (tags.length !== parseJsonArray(existing.tags).length) changes.push('tags');
    if (reopened && existing.assigneeId) changes.push('assignee');
    if (reopened && existing.offeredToId) changes.push('offeredTo');
    events.push({ type: 'case.updated', caseId, changes });
  }

  markInteraction(sql, row.id, { status: 'processed', caseId, contactId: contact.contactId, now, error: null });
  events.unshift({ type: 'interaction.added', caseId, interactionId: row.id, direction: 'inbound', channel: msg.channel, kind: 'message' });
  return { status: 'processed', caseId, decision, events };
}

function caseRow(sql: Sql, id: number): CaseRow {
  const row = sql.get<CaseRow>(
    `SELECT c."id", c."subject", c."state", c."priority", c."queueId", q."name" AS "queueName", c."category", c."frustrated", c."tags",
       c."requiredSkills", c."assigneeId", c."previousAgentId", c."offeredToId", c."resolvedAt", c."createdAt"
     FROM "Case" c LEFT JOIN "Queue" q ON q."id" = c."queueId" WHERE c."id" = ?`,
    id,
  );
  if (!row) throw new Error(`case ${id} not found`);
  return row;
}

function markInteraction(sql: Sql, id: string, m: { status: string; caseId: number | null; contactId: string | null; now: Date; error: string | null }): void {
  sql.run(
    'UPDATE "Interaction" SET "status" = ?, "caseId" = ?, "contactId" = COALESCE(?, "contactId"), "processedAt" = ?, "error" = ? WHERE "id" = ?',
    m.status, m.caseId, m.contactId, sqlDate(m.now), m.error, id,
  );
}

function decideThread(deps: PipelineDeps, sql: Sql, msg: InboundMessage, contact: ResolvedContact, now: Date): ThreadDecision {
  const hints = msg.thread;
  const trustedId = hints.trustedCaseNumber ? parseCaseNumber(hints.trustedCaseNumber) : null;
  const claimedId = hints.claimedCaseNumber ? parseCaseNumber(hints.claimedCaseNumber) : null;
  return resolveThread(
    {
      trusted: candidateById(sql, trustedId),
      conversation: candidateById(sql, interactions.caseOfConversation(sql, hints.conversationKey)),
      referenced: candidateById(sql, interactions.caseOfMessageIds(sql, hints.references ?? [])),
      claimed: candidateById(sql, claimedId),
      // a contact created from this very message has no cases to look for
      ...(hints.byContact && !contact.isNew ? casesOfContact(sql, contact.contactId, msg.channel) : {}),
    },
    { contactId: contact.contactId, accountId: contact.accountId, now, reopenDays: deps.reopenDays, continuityHours: deps.continuityHours },
  );
}

/**
 * The contact's newest open case anywhere, and its open case on this channel (else its newest one there).
 * The first often answers the second: the newest open case is on this channel, or there is no open case.
 */
function casesOfContact(sql: Sql, contactId: string, channel: string): Pick<ThreadCandidates, 'sameChannel' | 'anyChannel'> {
  const anyChannel = latestCaseOfContact(sql, contactId, { activeOnly: true });
  if (anyChannel?.channel === channel) return { anyChannel, sameChannel: anyChannel };
  if (!anyChannel) return { anyChannel, sameChannel: latestCaseOfContact(sql, contactId, { channel }) };
  const sameChannel = latestCaseOfContact(sql, contactId, { channel, activeOnly: true }) ?? latestCaseOfContact(sql, contactId, { channel });
  return { anyChannel, sameChannel };
}

function handleBounce(sql: Sql, id: string, msg: InboundMessage, now: Date, events: GatewayEvent[]): ProcessOutcome {
  const failed = msg.failedOutbound ? markOutboundFailed(sql, msg.channel, msg.failedOutbound, now) : null;
  markInteraction(sql, id, {
    status: 'ignored',
    caseId: failed?.caseId ?? null,
    contactId: null,
    now,
    error: failed ? `bounce for ${failed.id}` : 'bounce matching no message of ours',
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

function queueNamed(sql: Sql, name: string): QueueRow | null {
  return sql.get<QueueRow>('SELECT "id", "name", "ackTemplate" FROM "Queue" WHERE "name" = ?', name) ?? null;
}

/** The queue of last resort when the rules name one that no longer exists: General, else the oldest. */
function fallbackQueue(sql: Sql): QueueRow | null {
  return queueNamed(sql, DEFAULT_QUEUE) ?? sql.get<QueueRow>('SELECT "id", "name", "ackTemplate" FROM "Queue" ORDER BY "createdAt" LIMIT 1') ?? null;
}
