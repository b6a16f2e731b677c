import { sql } from 'kysely';
import type { InboundMessage } from '../channels/channel.types.ts';
import type { Interaction } from './generated/database.types.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { ONE, inList, list, query } from './query.ts';
import type { Selectable } from 'kysely';

/**
 * The kind of an internal notice: an email about a case to a team address (an SLA escalation's), sent
 * through the outbox like an answer but never an answer: the clocks do not count it, it is no part of the
 * customer's thread, and a reply to it is not threaded into the case.
 */
export const NOTICE_KIND = 'notice';

export type InteractionRow = Selectable<Interaction>;

const insertEventQuery = query((qb, p: { id: string; caseId: number; channel: string; kind: string; agentId: string | null; text: string; attachments: string; now: Date }) =>
  qb.insertInto('Interaction').values({
    id: p.id, caseId: p.caseId, channel: p.channel, direction: p.kind, kind: p.kind, agentId: p.agentId, text: p.text, attachments: p.attachments, status: 'stored', createdAt: p.now,
  }),
);

/**
 * Writes an entry on a case's timeline, in the caller's transaction: an event (a claim, a state change…)
 * or an agent's internal note.
 */
export async function addCaseEvent(
  x: Executor,
  e: { caseId: number; channel: string; agentId: string | null; text: string; now: Date; kind?: 'event' | 'note'; attachments?: readonly object[] },
): Promise<{ id: string; channel: string }> {
  const id = newId(e.now.getTime());
  await x.run(insertEventQuery, { id, caseId: e.caseId, channel: e.channel, kind: e.kind ?? 'event', agentId: e.agentId, text: e.text, attachments: JSON.stringify(e.attachments ?? []), now: e.now });
  return { id, channel: e.channel };
}

export interface InteractionView {
  id: string;
  direction: string;
  channel: string;
  kind: string;
  text: string;
  subject: string | null;
  status: string;
  error: string | null;
  agentId: string | null;
  attachments: unknown[];
  createdAt: string;
}

export function toInteractionView(row: InteractionRow): InteractionView {
  let attachments: unknown[] = [];
  try {
    attachments = JSON.parse(row.attachments) as unknown[];
  } catch {
    attachments = [];
  }
  return {
    id: row.id,
    direction: row.direction,
    channel: row.channel,
    kind: row.kind,
    text: row.text,
    subject: row.subject,
    status: row.status,
    error: row.error,
    agentId: row.agentId,
    attachments,
    createdAt: row.createdAt.toISOString(),
  };
}

const storeInboundQuery = query(
  (qb, p: { id: string; channel: string; externalId: string; messageId: string | null; conversationKey: string | null; fromAddress: string; kind: string;
    subject: string | null; text: string; fullText: string | null; html: string | null; attachments: string; meta: string; createdAt: Date }) =>
    qb
      .insertInto('Interaction')
      .values({
        id: p.id, channel: p.channel, direction: 'inbound', externalId: p.externalId, messageId: p.messageId, conversationKey: p.conversationKey,
        fromAddress: p.fromAddress, kind: p.kind, subject: p.subject, text: p.text, fullText: p.fullText, html: p.html, attachments: p.attachments,
        meta: p.meta, status: 'received', createdAt: p.createdAt,
      })
      .onConflict((oc) => oc.columns(['channel', 'externalId']).doNothing()),
);
const byExternalIdQuery = query((qb, p: { channel: string; externalId: string }) =>
  qb.selectFrom('Interaction').select('id').where('channel', '=', p.channel).where('externalId', '=', p.externalId),
);

/**
 * Stores an inbound message once per (channel, externalId). Returns the existing row's id for a
 * repeat, so provider retries are harmless: the unique index decides, in one statement for the usual,
 * new message.
 */
export async function storeInbound(x: Executor, msg: InboundMessage, now: Date): Promise<{ id: string; duplicate: boolean }> {
  const id = newId(now.getTime());
  const changes = await x.run(storeInboundQuery, {
    id, channel: msg.channel, externalId: msg.externalId, messageId: msg.messageId ?? null, conversationKey: msg.thread.conversationKey ?? null,
    fromAddress: msg.from.address, kind: msg.kind, subject: msg.subject ?? null, text: msg.text, fullText: msg.fullText ?? null, html: msg.html ?? null,
    attachments: JSON.stringify(msg.attachments ?? []), meta: JSON.stringify({ message: msg }), createdAt: msg.receivedAt ?? now,
  });
  if (changes === 1) return { id, duplicate: false };
  const again = await x.first(byExternalIdQuery, { channel: msg.channel, externalId: msg.externalId });
  if (!again) throw new Error('an inbound message was neither stored nor found');
  return { id: again.id, duplicate: true };
}

const forProcessingQuery = query((qb, p: { id: string }) =>
  qb.selectFrom('Interaction').select(['id', 'status', 'caseId', 'channel', 'fromAddress', 'conversationKey', 'meta']).where('id', '=', p.id),
);

/** A stored inbound message as processing reads it. */
export function inboundForProcessing(x: Executor, id: string) {
  return x.first(forProcessingQuery, { id });
}

const markInboundQuery = query((qb, p: { id: string; status: string; caseId: number | null; contactId: string | null; now: Date; error: string | null }) =>
  qb
    .updateTable('Interaction')
    .set((eb) => ({
      status: p.status, caseId: p.caseId, contactId: eb.fn.coalesce(sql<string | null>`${p.contactId}`, 'contactId'), processedAt: p.now, error: p.error, retryAt: null,
    }))
    .where('id', '=', p.id),
);

/** Records what processing made of an inbound message; a null contact leaves the one recorded. */
export async function markInbound(x: Executor, id: string, m: { status: 'processed' | 'ignored'; caseId: number | null; contactId: string | null; now: Date; error: string | null }): Promise<void> {
  await x.run(markInboundQuery, { id, ...m });
}

const customerMessagesQuery = query((qb, p: { caseId: number }) =>
  qb.selectFrom('Interaction').select((eb) => eb.fn.countAll<number>().as('n')).where('caseId', '=', p.caseId).where('direction', '=', 'inbound').where('kind', '=', 'message'),
);

/** Customer messages on a case (not their auto-replies or keywords). */
export async function customerMessageCount(x: Executor, caseId: number): Promise<number> {
  return Number((await x.first(customerMessagesQuery, { caseId }))!.n);
}

/** The normalized message an inbound interaction was stored from. */
export function inboundMessageOf(row: { meta: string }): InboundMessage {
  const meta = JSON.parse(row.meta) as { message: InboundMessage };
  const msg = meta.message;
  if (msg.receivedAt) msg.receivedAt = new Date(msg.receivedAt);
  return msg;
}

const dueInboundQuery = query((qb, p: { now: Date; skip: string[]; limit: number }, d) =>
  qb
    .selectFrom('Interaction')
    .select('id')
    .where('status', '=', 'received')
    .where('direction', '=', 'inbound')
    .where((eb) => eb.or([eb('retryAt', 'is', null), eb('retryAt', '<=', p.now)]))
    .where(inList('id', list(p.skip), d, true))
    .orderBy('createdAt')
    .orderBy('id')
    .limit(p.limit),
);

/**
 * Stored inbound messages waiting to be processed and due (not backing off after a failed attempt), oldest
 * first, leaving out `skip` (those already in the worker's window). The store is the pipeline's queue.
 */
export async function dueInboundIds(x: Executor, now: Date, limit: number, skip: readonly string[] = []): Promise<string[]> {
  return (await x.all(dueInboundQuery, { now, skip: [...skip], limit })).map((r) => r.id);
}

const nextRetryQuery = query((qb, p: { after: Date }) =>
  qb
    .selectFrom('Interaction')
    .select('retryAt')
    .where('status', '=', 'received')
    .where('direction', '=', 'inbound')
    .where('retryAt', '>', p.after)
    .orderBy('retryAt')
    .limit(ONE),
);

/** When the next message backing off after a failed attempt (due later than `after`) is due again. */
export async function nextInboundRetry(x: Executor, after: Date): Promise<Date | null> {
  return (await x.first(nextRetryQuery, { after }))?.retryAt ?? null;
}

const attemptsQuery = query((qb, p: { id: string }) => qb.selectFrom('Interaction').select('attempts').where('id', '=', p.id).where('status', '=', 'received'));
const givenUpQuery = query((qb, p: { id: string; attempts: number; error: string; now: Date }) =>
  qb.updateTable('Interaction').set({ status: 'failed', attempts: p.attempts, error: p.error, retryAt: null, processedAt: p.now }).where('id', '=', p.id),
);
const backOffQuery = query((qb, p: { id: string; attempts: number; error: string; retryAt: Date }) =>
  qb.updateTable('Interaction').set({ attempts: p.attempts, error: p.error, retryAt: p.retryAt }).where('id', '=', p.id),
);

/**
 * Records a failed processing attempt: the message backs off until `retryAt(attempts)`, or after
 * `maxAttempts` is `failed` with the reason, for a supervisor to look at. Null when it is no longer waiting.
 */
export async function recordInboundFailure(
  x: Executor,
  id: string,
  f: { reason: string; maxAttempts: number; retryAt: (attempts: number) => Date; now: Date },
): Promise<{ attempts: number; failed: boolean } | null> {
  const row = await x.first(attemptsQuery, { id });
  if (!row) return null;
  const attempts = row.attempts + 1;
  if (attempts >= f.maxAttempts) {
    await x.run(givenUpQuery, { id, attempts, error: f.reason, now: f.now });
    return { attempts, failed: true };
  }
  await x.run(backOffQuery, { id, attempts, error: `retrying: ${f.reason}`, retryAt: f.retryAt(attempts) });
  return { attempts, failed: false };
}

export interface FailedInboundRow {
  id: string;
  channel: string;
  fromAddress: string | null;
  kind: string;
  subject: string | null;
  text: string;
  attempts: number;
  error: string | null;
  createdAt: Date;
  processedAt: Date | null;
}

/** Inbound messages given up on, newest first, for supervisors; `before` (an id) pages on. */
export function failedInbound(x: Executor, limit: number, before?: string): Promise<FailedInboundRow[]> {
  return x.allOf((qb) => {
    let q = qb
      .selectFrom('Interaction')
      .select(['id', 'channel', 'fromAddress', 'kind', 'subject', 'text', 'attempts', 'error', 'createdAt', 'processedAt'])
      .where('status', '=', 'failed')
      .where('direction', '=', 'inbound');
    if (before !== undefined) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit);
  });
}

/** Puts a failed inbound message back in the pipeline's queue with a fresh count of attempts. */
export async function retryFailedInbound(x: Executor, id: string): Promise<'retried' | 'not-found' | 'not-failed'> {
  const row = await x.firstOf((qb) => qb.selectFrom('Interaction').select('status').where('id', '=', id).where('direction', '=', 'inbound'));
  if (!row) return 'not-found';
  if (row.status !== 'failed') return 'not-failed';
  await x.runOf((qb) => qb.updateTable('Interaction').set({ status: 'received', attempts: 0, retryAt: null, error: null, processedAt: null }).where('id', '=', id));
  return 'retried';
}

const unprocessedQuery = query((qb) =>
  qb
    .selectFrom('Interaction')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['received', 'failed'])
    .where('direction', '=', 'inbound')
    .groupBy('status'),
);

/** Inbound messages not processed: waiting (`received`, backing off included) and given up on (`failed`). */
export async function unprocessedInboundCounts(x: Executor): Promise<{ received: number; failed: number }> {
  const counts = { received: 0, failed: 0 };
  for (const r of await x.all(unprocessedQuery, {})) counts[r.status as 'received' | 'failed'] = Number(r.n);
  return counts;
}

const caseOfMessageIdsQuery = query((qb, p: { ids: string[] }, d) =>
  qb
    .selectFrom('Interaction')
    .select('caseId')
    .where(inList('messageId', list(p.ids), d))
    .where('caseId', 'is not', null)
    // a reply to an internal notice is not the customer's message
    .where('kind', '!=', NOTICE_KIND)
    .orderBy('createdAt', 'desc')
    .limit(ONE),
);

/** The case of the newest stored message among `messageIds`. */
export async function caseOfMessageIds(x: Executor, messageIds: string[]): Promise<number | null> {
  const ids = messageIds.slice(-50);
  if (ids.length === 0) return null;
  return (await x.first(caseOfMessageIdsQuery, { ids }))?.caseId ?? null;
}

const caseOfConversationQuery = query((qb, p: { key: string }) =>
  qb.selectFrom('Interaction').select('caseId').where('conversationKey', '=', p.key).where('caseId', 'is not', null).orderBy('createdAt', 'desc').limit(ONE),
);

export async function caseOfConversation(x: Executor, key: string | undefined): Promise<number | null> {
  if (!key) return null;
  return (await x.first(caseOfConversationQuery, { key }))?.caseId ?? null;
}

const caseInteractionsQuery = query((qb, p: { caseId: number }) =>
  qb.selectFrom('Interaction').selectAll().where('caseId', '=', p.caseId).orderBy('createdAt').orderBy('id'),
);

export function listCaseInteractions(x: Executor, caseId: number): Promise<InteractionRow[]> {
  return x.all(caseInteractionsQuery, { caseId });
}

const interactionsByIdsQuery = query((qb, p: { ids: string[] }, d) => qb.selectFrom('Interaction').selectAll().where(inList('id', list(p.ids), d)));

/** The interactions named, as they are now; rows that are gone are absent. */
export async function interactionsByIds(x: Executor, ids: readonly string[]): Promise<InteractionRow[]> {
  if (ids.length === 0) return [];
  return x.all(interactionsByIdsQuery, { ids: [...ids] });
}

const conversationQuery = query((qb, p: { key: string; limit: number }) =>
  qb
    .selectFrom('Interaction')
    .select(['id', 'direction', 'text', 'createdAt', 'status', 'caseId', 'attachments', 'meta'])
    .where('conversationKey', '=', p.key)
    .where('direction', 'in', ['inbound', 'outbound'])
    .where('kind', '=', 'message')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(p.limit),
);

/** Customer-visible messages of one conversation (chat history), oldest first. */
export async function conversationMessages(x: Executor, key: string, limit: number) {
  return (await x.all(conversationQuery, { key, limit })).reverse();
}

const STATUS_RANK: Record<string, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 4,
  failed: 4,
  read: 5,
};

/** Whether a status report may replace the current one: reports can arrive out of order. */
export function statusAdvances(current: string, next: string): boolean {
  return (STATUS_RANK[next] ?? -1) > (STATUS_RANK[current] ?? -1);
}

/** One interaction of a case, as the API shows it; null when the case has no such interaction. */
export async function caseInteraction(x: Executor, caseId: number, id: string): Promise<InteractionView | null> {
  const row = await x.firstOf((qb) => qb.selectFrom('Interaction').selectAll().where('id', '=', id).where('caseId', '=', caseId));
  return row ? toInteractionView(row) : null;
}

const sentFilesQuery = query((qb, p: { id: string }) =>
  qb.selectFrom('Interaction').select(['id', 'attachments', 'meta', 'createdAt']).where('id', '=', p.id).where('direction', '=', 'outbound'),
);

/** An answer's files and the secret of their links (meta.mediaToken), for the public media route; null for anything else. */
export async function sentFiles(x: Executor, interactionId: string): Promise<{ attachments: string; mediaToken: string | undefined; createdAt: Date } | null> {
  const row = await x.first(sentFilesQuery, { id: interactionId });
  if (!row) return null;
  return { attachments: row.attachments, mediaToken: mediaTokenOf(row.meta), createdAt: row.createdAt };
}

/** The secret of an answer's file links, kept in its meta. */
export function mediaTokenOf(meta: string): string | undefined {
  try {
    const token = (JSON.parse(meta) as { mediaToken?: unknown }).mediaToken;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** A stored customer message as a routing replay reads it: the message, and its case as it is now. */
export interface ReplayableMessage {
  id: string;
  channel: string;
  fromAddress: string | null;
  subject: string | null;
  text: string;
  createdAt: Date;
  caseId: number;
  caseState: string;
  casePriority: number;
  caseTags: string;
  caseSubject: string | null;
  caseCreatedAt: Date;
  /** the case's first customer message: routed as a new case; later ones as follow-ups */
  opener: boolean;
}

function replayableQuery(paged: boolean) {
  return query((qb, p: { limit: number; beforeId: string }) => {
    const q = qb
      .selectFrom('Interaction as i')
      .innerJoin('Case as c', 'c.id', 'i.caseId')
      .select((eb) => [
        'i.id', 'i.channel', 'i.fromAddress', 'i.subject', 'i.text', 'i.createdAt', 'c.id as caseId', 'c.state as caseState', 'c.priority as casePriority',
        'c.tags as caseTags', 'c.subject as caseSubject', 'c.createdAt as caseCreatedAt',
        eb
          .selectFrom('Interaction as first')
          .select((f) => f.fn.min('first.id').as('id'))
          .whereRef('first.caseId', '=', 'i.caseId')
          .where('first.direction', '=', 'inbound')
          .where('first.kind', '=', 'message')
          .as('openerId'),
      ])
      .where('i.direction', '=', 'inbound')
      .where('i.kind', '=', 'message');
    return (paged ? q.where('i.id', '<', p.beforeId) : q).orderBy('i.id', 'desc').limit(p.limit);
  });
}
const REPLAYABLE = { first: replayableQuery(false), next: replayableQuery(true) };

/** Customer messages that reached a case, newest first, a page at a time (`beforeId`: the last id of the page before). */
export async function replayableMessages(x: Executor, limit: number, beforeId: string | null): Promise<ReplayableMessage[]> {
  const rows = await x.all(beforeId === null ? REPLAYABLE.first : REPLAYABLE.next, { limit, beforeId: beforeId ?? '' });
  return rows.map(({ openerId, ...r }) => ({ ...r, caseId: r.caseId, opener: openerId === r.id }));
}
