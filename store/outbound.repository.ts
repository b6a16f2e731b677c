import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import { NOTICE_KIND, statusAdvances } from './interaction.repository.ts';
import type { DeliveryUpdate } from '../channels/channel.types.ts';
import type { DB } from './generated/database.types.ts';
import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { ONE, inList, jsonText, list, query } from './query.ts';

export interface OutboundDraft {
  caseId: number;
  /** the inbound message being answered: its channel, sender and conversation say where the answer goes */
  replyTo: { id: string; channel: string; fromAddress: string | null; conversationKey: string | null };
  text: string;
  kind: 'message' | 'auto_reply';
  agentId: string | null;
  now: Date;
  /** files sent with it, and the secret of their links (meta.mediaToken) */
  files?: { attachments: readonly object[]; mediaToken: string };
}

const insertOutboundQuery = query(
  (qb, p: { id: string; caseId: number; channel: string; kind: string; agentId: string | null; subject: string | null; text: string; conversationKey: string | null; meta: string; attachments: string; now: Date }) =>
    qb.insertInto('Interaction').values({
      id: p.id, caseId: p.caseId, channel: p.channel, direction: 'outbound', kind: p.kind, agentId: p.agentId, subject: p.subject, text: p.text,
      conversationKey: p.conversationKey, meta: p.meta, attachments: p.attachments, status: 'queued', createdAt: p.now,
    }),
);
const insertOutboxQuery = query((qb, p: { id: string; interactionId: string; channel: string; conversation: string; now: Date }) =>
  qb.insertInto('OutboxItem').values({
    id: p.id, interactionId: p.interactionId, channel: p.channel, conversation: p.conversation, status: 'pending', attempts: 0,
    nextAttemptAt: p.now, createdAt: p.now, updatedAt: p.now,
  }),
);

/** Stores an answer and its outbox entry in the caller's transaction: nothing is sent before it is stored. */
export async function enqueueOutbound(x: Executor, d: OutboundDraft): Promise<{ id: string }> {
  const id = newId(d.now.getTime());
  await x.run(insertOutboundQuery, {
    id, caseId: d.caseId, channel: d.replyTo.channel, kind: d.kind, agentId: d.agentId, subject: null, text: d.text, conversationKey: d.replyTo.conversationKey,
    meta: JSON.stringify({ to: d.replyTo.fromAddress, replyTo: d.replyTo.id, ...(d.files ? { mediaToken: d.files.mediaToken } : {}) }),
    attachments: JSON.stringify(d.files?.attachments ?? []), now: d.now,
  });
  await x.run(insertOutboxQuery, {
    id: newId(d.now.getTime()), interactionId: id, channel: d.replyTo.channel, conversation: outboxConversation(d.caseId, d.replyTo.channel, d.replyTo.fromAddress), now: d.now,
  });
  return { id };
}

export interface NoticeDraft {
  caseId: number;
  /** an email address */
  to: string;
  subject: string;
  text: string;
  now: Date;
}

/** Stores an internal notice (NOTICE_KIND, by email) and its outbox entry in the caller's transaction. */
export async function enqueueNotice(x: Executor, d: NoticeDraft): Promise<{ id: string }> {
  const id = newId(d.now.getTime());
  await x.run(insertOutboundQuery, {
    id, caseId: d.caseId, channel: 'email', kind: NOTICE_KIND, agentId: null, subject: d.subject, text: d.text, conversationKey: null,
    meta: JSON.stringify({ to: d.to }), attachments: '[]', now: d.now,
  });
  // ordered apart from the customer's answers: a notice never waits behind them, nor they behind it
  await x.run(insertOutboxQuery, { id: newId(d.now.getTime()), interactionId: id, channel: 'email', conversation: `${d.caseId}:notice:${d.to}`, now: d.now });
  return { id };
}

/** What orders an answer among others: its case, channel and recipient. */
function outboxConversation(caseId: number, channel: string, to: string | null): string {
  return `${caseId}:${channel}:${to ?? ''}`;
}

const autoReplySinceQuery = query(
  (_qb, p: { channel: string; address: string; since: Date }, d) =>
    // CROSS JOIN keeps SQLite to this order; left to itself it walks every message of the channel
    sql<{ found: number }>`SELECT 1 AS "found" FROM "ChannelIdentity" ci CROSS JOIN "Case" c CROSS JOIN "Interaction" i
      WHERE ci."channel" = ${p.channel} AND ci."address" = ${p.address} AND c."contactId" = ci."contactId" AND i."caseId" = c."id"
        AND i."createdAt" >= ${p.since} AND i."direction" = 'outbound' AND i."kind" = 'auto_reply' AND i."channel" = ${p.channel}
        AND ${jsonText('i.meta', 'to', d)} = ${p.address}
      LIMIT 1`,
);

/**
 * Whether an automatic message (kind `auto_reply`) went to `address` on `channel` at or after `since`.
 * Read through the address's contact and that contact's cases, on their indexes: the messages of
 * other contacts are never scanned.
 */
export async function autoReplySentSince(x: Executor, channel: string, address: string, since: Date): Promise<boolean> {
  return (await x.first(autoReplySinceQuery, { channel, address, since })) !== undefined;
}

const latestInboundQuery = query((qb, p: { caseId: number }) =>
  qb
    .selectFrom('Interaction')
    .select(['id', 'channel', 'fromAddress', 'conversationKey'])
    .where('caseId', '=', p.caseId)
    .where('direction', '=', 'inbound')
    .where('kind', '=', 'message')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(ONE),
);

/** The newest customer message of a case, which an agent's answer replies to. */
export async function latestInboundMessage(x: Executor, caseId: number): Promise<OutboundDraft['replyTo'] | null> {
  return (await x.first(latestInboundQuery, { caseId })) ?? null;
}

const answerQuery = query((qb, p: { id: string }) =>
  qb
    .selectFrom('Interaction as i')
    .leftJoin('Case as c', 'c.id', 'i.caseId')
    .leftJoin('Contact as ct', 'ct.id', 'c.contactId')
    .leftJoin('Agent as a', 'a.id', 'i.agentId')
    .select(['i.id', 'i.channel', 'i.text', 'i.kind', 'i.meta', 'i.attachments', 'i.subject as ownSubject', 'a.name as agentName', 'i.conversationKey', 'i.caseId', 'c.subject', 'ct.name', 'ct.email', 'ct.phone'])
    .where('i.id', '=', p.id),
);
const replyToQuery = query((qb, p: { id: string }) => qb.selectFrom('Interaction').select(['messageId', 'meta']).where('id', '=', p.id));
const threadQuery = query((qb, p: { caseId: number; channel: string }) =>
  qb
    .selectFrom('Interaction')
    .select('messageId')
    .where('caseId', '=', p.caseId)
    .where('channel', '=', p.channel)
    .where('messageId', 'is not', null)
    .where((eb) => eb.or([eb.and([eb('direction', '=', 'outbound'), eb('kind', '!=', NOTICE_KIND)]), eb('kind', '=', 'message')]))
    .orderBy('createdAt'),
);

/**
 * A stored answer with what sending it needs: its case's subject and contact, the customer message it
 * answers, the Message-IDs of the conversation so far (the customer's and ours, oldest first; auto-replies
 * and bounces are not part of it) and whether the recipient opted out. Reads only.
 */
export async function answerToSend(x: Executor, interactionId: string) {
  const row = await x.first(answerQuery, { id: interactionId });
  if (!row) throw new Error(`outbound ${interactionId} not found`);
  const meta = JSON.parse(row.meta) as { to?: string; replyTo?: string; mediaToken?: string };
  if (row.caseId === null || row.subject === null || !meta.to) throw new Error(`outbound ${interactionId} has no case or recipient`);
  const notice = row.kind === NOTICE_KIND;
  const replyTo = meta.replyTo ? ((await x.first(replyToQuery, { id: meta.replyTo })) ?? null) : null;
  // a notice goes to a team address: the customer's thread, name and opt-out are not its business
  const thread = notice ? [] : await x.all(threadQuery, { caseId: row.caseId, channel: row.channel });
  return {
    id: row.id,
    channel: row.channel,
    text: row.text,
    kind: row.kind,
    agentName: row.agentName,
    conversationKey: row.conversationKey,
    caseId: row.caseId,
    subject: notice ? (row.ownSubject ?? row.subject) : row.subject,
    to: meta.to,
    contact: notice ? { name: null, email: meta.to, phone: null } : { name: row.name, email: row.email, phone: row.phone },
    replyTo,
    threadMessageIds: thread.map((t) => t.messageId!),
    optedOut: notice ? false : await recipientOptedOut(x, row.channel, meta.to),
    attachments: row.attachments,
    mediaToken: meta.mediaToken,
  };
}

const optedOutQuery = query((qb, p: { channel: string; address: string }) =>
  qb.selectFrom('ChannelIdentity').select('optedOut').where('channel', '=', p.channel).where('address', '=', p.address),
);

/** Whether the recipient opted out of the channel (an SMS STOP, a carrier's report). Reads only. */
export async function recipientOptedOut(x: Executor, channel: string, address: string): Promise<boolean> {
  return (await x.first(optedOutQuery, { channel, address }))?.optedOut ?? false;
}

type OutboundRef = { id: string; caseId: number | null; status: string; externalId: string | null };

const byExternalQuery = query((qb, p: { channel: string; externalId: string }) =>
  qb.selectFrom('Interaction').select(['id', 'caseId', 'status', 'externalId']).where('channel', '=', p.channel).where('externalId', '=', p.externalId).where('direction', '=', 'outbound'),
);
const byMessageIdQuery = query((qb, p: { channel: string; messageId: string }) =>
  qb
    .selectFrom('Interaction')
    .select(['id', 'caseId', 'status', 'externalId'])
    .where('messageId', '=', p.messageId)
    .where('channel', '=', p.channel)
    .where('direction', '=', 'outbound')
    .limit(ONE),
);

/**
 * Our outbound message on a channel by the provider's id, else by its Message-ID. Two lookups, each on its
 * own index: one query with an OR of the two would read every message of the channel.
 */
/** Whether a provider's message id is recorded on an answer other than `interactionId` (an earlier answer of the same text, say). */
export async function providerIdTakenElsewhere(x: Executor, channel: string, externalId: string, interactionId: string): Promise<boolean> {
  const row = await x.first(byExternalQuery, { channel, externalId });
  return row !== undefined && row !== null && row.id !== interactionId;
}

async function outboundByProviderIds(x: Executor, channel: string, ids: { externalId?: string; messageId?: string }): Promise<OutboundRef | null> {
  return (
    (ids.externalId ? await x.first(byExternalQuery, { channel, externalId: ids.externalId }) : undefined) ??
    (ids.messageId ? await x.first(byMessageIdQuery, { channel, messageId: ids.messageId }) : undefined) ??
    null
  );
}

const failInteractionQuery = query((qb, p: { id: string; error: string }) => qb.updateTable('Interaction').set({ status: 'failed', error: p.error }).where('id', '=', p.id));
const failOutboxOfQuery = query((qb, p: { interactionId: string; error: string; now: Date }) =>
  qb.updateTable('OutboxItem').set({ status: 'failed', lastError: p.error, updatedAt: p.now }).where('interactionId', '=', p.interactionId),
);

/** Marks the outbound message a bounce refers to as failed; returns it, or null if none of ours matches. */
export async function markOutboundFailed(
  x: Executor,
  channel: string,
  ref: { messageId?: string; externalId?: string; reason: string },
  now: Date,
): Promise<{ id: string; caseId: number | null } | null> {
  const target = await outboundByProviderIds(x, channel, ref);
  if (!target) return null;
  await x.run(failInteractionQuery, { id: target.id, error: ref.reason });
  await x.run(failOutboxOfQuery, { interactionId: target.id, error: ref.reason, now });
  return target;
}

const ownOutboundQuery = query((qb, p: { id: string; channel: string; externalId: string | null; messageId: string | null }) =>
  qb
    .selectFrom('Interaction')
    .select(['id', 'caseId', 'status', 'externalId'])
    .where('id', '=', p.id)
    .where('channel', '=', p.channel)
    .where('direction', '=', 'outbound')
    .where((eb) => eb.or([eb('externalId', 'is', null), eb('externalId', '=', p.externalId), eb('messageId', '=', p.messageId)])),
);
const deliveryQuery = query((qb, p: { id: string; status: string; error: string | null; externalId: string | null }) =>
  qb
    .updateTable('Interaction')
    .set((eb) => ({ status: p.status, error: p.error, externalId: eb.fn.coalesce('externalId', sql<string | null>`${p.externalId}`) }))
    .where('id', '=', p.id),
);

/** Applies a provider's delivery report; a report older than the status already known is dropped. */
export async function applyDeliveryUpdate(x: Executor, u: DeliveryUpdate): Promise<{ id: string; caseId: number | null; status: string } | null> {
  if (!u.externalId && !u.messageId) return null;
  // our own id first: the report may arrive before the send recorded the provider's id
  const row =
    (u.interactionId
      ? await x.first(ownOutboundQuery, { id: u.interactionId, channel: u.channel, externalId: u.externalId ?? null, messageId: u.messageId ?? null })
      : undefined) ?? (await outboundByProviderIds(x, u.channel, u));
  if (!row || !statusAdvances(row.status, u.status)) return null;
  await x.run(deliveryQuery, { id: row.id, status: u.status, error: u.error ?? null, externalId: u.externalId ?? null });
  return { id: row.id, caseId: row.caseId, status: u.status };
}

export interface ClaimedItem {
  id: string;
  interactionId: string;
  channel: string;
  attempts: number;
  /** this claim's own token: the outcome of the attempt is recorded only while the entry still carries it */
  claimToken: string;
  /**
   * An earlier attempt ended without a record (its worker died, or lost its lease, mid-send): the message
   * may be at the provider already, sent no earlier than this (that attempt's claim). Kept until the entry
   * is settled, so an attempt that fails to ask still leaves the next one asking.
   */
  unsettledSince: Date | null;
}

/** The entries of one conversation leave one after another, oldest first: only the oldest pending one may be taken. */
function conversationHead(eb: ExpressionBuilder<DB, 'OutboxItem'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('OutboxItem as e')
        .select(sql<number>`1`.as('one'))
        .whereRef('e.conversation', '=', 'OutboxItem.conversation')
        .where('e.status', '=', 'pending')
        .where((w) => w.or([w('e.createdAt', '<', w.ref('OutboxItem.createdAt')), w.and([w('e.createdAt', '=', w.ref('OutboxItem.createdAt')), w('e.id', '<', w.ref('OutboxItem.id'))])])),
    ),
  );
}

const dueOutboxQuery = query((qb, p: { at: Date; full: string[]; held: string[]; limit: number }, d) =>
  qb
    .selectFrom('OutboxItem')
    .select(['id', 'channel', 'claimToken', 'updatedAt', 'unsettledSince'])
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '<=', p.at)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.at)]))
    .where(inList('channel', list(p.full), d, true))
    .where(inList('id', list(p.held), d, true))
    .where(conversationHead)
    .orderBy('nextAttemptAt')
    .limit(p.limit),
);
// a compare-and-set: an entry another worker claimed since it was read as due is left to it
const claimQuery = query((qb, p: { id: string; lockedUntil: Date; token: string; at: Date; unsettledSince: Date | null }) =>
  qb
    .updateTable('OutboxItem')
    .set((eb) => ({ lockedUntil: p.lockedUntil, claimToken: p.token, attempts: eb('attempts', '+', 1), updatedAt: p.at, unsettledSince: p.unsettledSince }))
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.at)]))
    .returning(['id', 'interactionId', 'channel', 'attempts', 'claimToken', 'unsettledSince']),
);

/**
 * Takes due outbox entries under a lease and a fresh claim token. A worker renews the lease of what it
 * holds while the send runs (`renewOutboxLeases`); only a worker that died stops renewing, and then the
 * lease runs out and the entry is taken again (at-least-once; adapters pass our interaction id where
 * providers deduplicate). Only the head of each conversation is due. `room` caps how many entries of a
 * channel may be taken (channels not in it: no cap); `capped` says some due entries were left for a
 * channel's cap, so another pass may find other work. `held` are entries this worker holds already.
 */
export async function claimDueOutbox(
  x: Executor,
  now: Date,
  leaseMs: number,
  limit: number,
  room: ReadonlyMap<string, number> = new Map(),
  held: readonly string[] = [],
): Promise<{ items: ClaimedItem[]; capped: boolean }> {
  const full = [...room].filter(([, n]) => n <= 0).map(([channel]) => channel);
  const due = await x.all(dueOutboxQuery, { at: now, full, held: [...held], limit });
  const left = new Map(room);
  let capped = false;
  const claimed: ClaimedItem[] = [];
  const lockedUntil = new Date(now.getTime() + leaseMs);
  for (const { id, channel, claimToken, updatedAt, unsettledSince } of due) {
    const n = left.get(channel);
    if (n !== undefined && n <= 0) {
      capped = true;
      continue;
    }
    // a token left behind: its holder neither recorded, failed nor released the attempt it claimed at updatedAt
    const since = unsettledSince ?? (claimToken !== null ? updatedAt : null);
    const item = await x.first(claimQuery, { id, lockedUntil, token: randomUUID(), at: now, unsettledSince: since });
    if (!item) continue;
    if (n !== undefined) left.set(channel, n - 1);
    claimed.push(item as ClaimedItem);
  }
  return { items: claimed, capped };
}

const renewQuery = query((qb, p: { id: string; token: string; lockedUntil: Date }) =>
  qb.updateTable('OutboxItem').set({ lockedUntil: p.lockedUntil }).where('id', '=', p.id).where('claimToken', '=', p.token).where('status', '=', 'pending'),
);

/** Extends the leases of entries still held under their claim; returns the ids whose claim was lost (taken by another). */
export async function renewOutboxLeases(x: Executor, items: readonly ClaimedItem[], now: Date, leaseMs: number): Promise<string[]> {
  const lockedUntil = new Date(now.getTime() + leaseMs);
  const lost: string[] = [];
  for (const item of items) {
    if ((await x.run(renewQuery, { id: item.id, token: item.claimToken, lockedUntil })) === 0) lost.push(item.id);
  }
  return lost;
}

const mayStillSendQuery = query((qb, p: { id: string; token: string; now: Date; channel: string; address: string }) =>
  qb.selectNoFrom((eb) => [
    eb
      .selectFrom('OutboxItem')
      .select('id')
      .where('id', '=', p.id)
      .where('claimToken', '=', p.token)
      .where('status', '=', 'pending')
      .where('lockedUntil', '>', p.now)
      .as('held'),
    eb.selectFrom('ChannelIdentity').select('optedOut').where('channel', '=', p.channel).where('address', '=', p.address).as('optedOut'),
  ]),
);

/**
 * The last look before a send, in one read: whether the entry still carries this claim with a lease
 * that has not run out (nobody may have taken it over), and whether the recipient opted out meanwhile.
 */
export async function sendCheck(x: Executor, item: ClaimedItem, to: { channel: string; address: string }, now: Date): Promise<{ holdsClaim: boolean; optedOut: boolean }> {
  const row = await x.first(mayStillSendQuery, { id: item.id, token: item.claimToken, now, ...to });
  // computed columns carry no declared type, so SQLite's 0/1 is read here (PostgreSQL gives a boolean)
  return { holdsClaim: row?.held != null, optedOut: Boolean(row?.optedOut) };
}

const releaseQuery = query((qb, p: { id: string; token: string; now: Date }) =>
  qb
    .updateTable('OutboxItem')
    .set((eb) => ({ lockedUntil: null, claimToken: null, attempts: eb('attempts', '-', 1), updatedAt: p.now }))
    .where('id', '=', p.id)
    .where('claimToken', '=', p.token)
    .where('status', '=', 'pending'),
);

/** Gives an entry back untried (the worker stopped before sending it): the attempt is not counted. */
export async function releaseOutbox(x: Executor, item: ClaimedItem, now: Date): Promise<boolean> {
  return (await x.run(releaseQuery, { id: item.id, token: item.claimToken, now })) > 0;
}

const nextFreeQuery = query((qb, p: { now: Date; full: string[]; held: string[] }, d) =>
  qb
    .selectFrom('OutboxItem')
    .select('nextAttemptAt as at')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.now)]))
    .where(inList('channel', list(p.full), d, true))
    .where(inList('id', list(p.held), d, true))
    .where(conversationHead)
    .orderBy('nextAttemptAt')
    .limit(ONE),
);
const nextLeaseEndQuery = query((qb, p: { now: Date; full: string[]; held: string[] }, d) =>
  qb
    .selectFrom('OutboxItem')
    .select('lockedUntil as at')
    .where('status', '=', 'pending')
    .where('lockedUntil', '>=', p.now)
    .where(inList('channel', list(p.full), d, true))
    .where(inList('id', list(p.held), d, true))
    .orderBy('lockedUntil')
    .limit(ONE),
);

/**
 * When the next entry falls due: the earliest conversation head that is not leased, or the end of the
 * earliest lease another worker holds (it may then be taken over), leaving out channels at their cap (a
 * send of theirs finishing wakes the worker) and the entries this worker holds. Two walks of an index
 * that stop at their first match, so the cost does not grow with the backlog.
 */
export async function nextOutboxDue(x: Executor, now: Date, fullChannels: string[] = [], held: readonly string[] = []): Promise<Date | null> {
  const params = { now, full: fullChannels, held: [...held] };
  const free = await x.first(nextFreeQuery, params);
  const leased = await x.first(nextLeaseEndQuery, params);
  const times = [free?.at, leased?.at].flatMap((t) => (t ? [t.getTime()] : []));
  return times.length ? new Date(Math.min(...times)) : null;
}

const completeQuery = query((qb, p: { id: string; token: string; now: Date }) =>
  qb
    .updateTable('OutboxItem')
    .set({ status: 'done', lockedUntil: null, claimToken: null, unsettledSince: null, lastError: null, updatedAt: p.now })
    .where('id', '=', p.id)
    .where('claimToken', '=', p.token)
    .where('status', '=', 'pending'),
);
const statusQuery = query((qb, p: { id: string }) => qb.selectFrom('Interaction').select('status').where('id', '=', p.id));
const sentQuery = query((qb, p: { id: string; status: string; externalId: string | null; messageId: string | null }) =>
  qb
    .updateTable('Interaction')
    .set((eb) => ({
      status: p.status,
      externalId: eb.fn.coalesce(sql<string | null>`${p.externalId}`, 'externalId'),
      messageId: eb.fn.coalesce(sql<string | null>`${p.messageId}`, 'messageId'),
      error: null,
    }))
    .where('id', '=', p.id),
);

/** Records a delivered send; false (and nothing written) when this attempt no longer holds the entry. */
export async function completeOutbox(x: Executor, item: ClaimedItem, result: { status: string; externalId?: string; messageId?: string }, now: Date): Promise<boolean> {
  if ((await x.run(completeQuery, { id: item.id, token: item.claimToken, now })) === 0) return false;
  const current = await x.first(statusQuery, { id: item.interactionId });
  if (!current) throw new Error(`outbound ${item.interactionId} not found`);
  await x.run(sentQuery, {
    id: item.interactionId,
    // a status callback may already have moved it further than the send's own answer
    status: statusAdvances(current.status, result.status) ? result.status : current.status,
    externalId: result.externalId ?? null,
    messageId: result.messageId ?? null,
  });
  return true;
}

const retryLaterQuery = query((qb, p: { id: string; token: string; retryAt: Date; error: string; now: Date }) =>
  qb
    .updateTable('OutboxItem')
    .set({ nextAttemptAt: p.retryAt, lockedUntil: null, claimToken: null, lastError: p.error, updatedAt: p.now })
    .where('id', '=', p.id)
    .where('claimToken', '=', p.token)
    .where('status', '=', 'pending'),
);
const giveUpQuery = query((qb, p: { id: string; token: string; error: string; now: Date }) =>
  qb
    .updateTable('OutboxItem')
    .set({ status: 'failed', lockedUntil: null, claimToken: null, unsettledSince: null, lastError: p.error, updatedAt: p.now })
    .where('id', '=', p.id)
    .where('claimToken', '=', p.token)
    .where('status', '=', 'pending'),
);
const retryingQuery = query((qb, p: { id: string; error: string }) => qb.updateTable('Interaction').set({ error: p.error }).where('id', '=', p.id));

/** Records a failed attempt, to retry at `retryAt` or for good; false (and nothing written) when this attempt no longer holds the entry. */
export async function failOutbox(x: Executor, item: ClaimedItem, error: string, retryAt: Date | null, now: Date): Promise<boolean> {
  if (retryAt) {
    if ((await x.run(retryLaterQuery, { id: item.id, token: item.claimToken, retryAt, error, now })) === 0) return false;
    await x.run(retryingQuery, { id: item.interactionId, error: `retrying: ${error}` });
    return true;
  }
  if ((await x.run(giveUpQuery, { id: item.id, token: item.claimToken, error, now })) === 0) return false;
  await x.run(failInteractionQuery, { id: item.interactionId, error });
  return true;
}

/** What a person may send again: an answer the provider refused, bounced or could not deliver. */
export const RESENDABLE_STATUSES = ['failed', 'undelivered'] as const;

const ownAnswerQuery = query((qb, p: { id: string; caseId: number }) =>
  qb.selectFrom('Interaction').select(['id', 'status', 'kind']).where('id', '=', p.id).where('caseId', '=', p.caseId).where('direction', '=', 'outbound'),
);
const requeueOutboxQuery = query((qb, p: { id: string; now: Date }) =>
  qb
    .updateTable('OutboxItem')
    .set({ status: 'pending', attempts: 0, nextAttemptAt: p.now, lockedUntil: null, claimToken: null, unsettledSince: null, lastError: null, updatedAt: p.now })
    .where('interactionId', '=', p.id),
);
const requeueInteractionQuery = query((qb, p: { id: string }) => qb.updateTable('Interaction').set({ status: 'queued', error: null }).where('id', '=', p.id));

/**
 * Puts a failed answer of the case back in the outbox, a fresh count of attempts: a person's decision to
 * send it again (the provider may have had it: only a person knows it is worth the risk of a second copy).
 */
export async function requeueFailedAnswer(x: Executor, caseId: number, interactionId: string, now: Date): Promise<'requeued' | 'not-found' | 'not-failed'> {
  const row = await x.first(ownAnswerQuery, { id: interactionId, caseId });
  if (!row) return 'not-found';
  if (!(RESENDABLE_STATUSES as readonly string[]).includes(row.status)) return 'not-failed';
  if ((await x.run(requeueOutboxQuery, { id: interactionId, now })) === 0) return 'not-found';
  await x.run(requeueInteractionQuery, { id: interactionId });
  return 'requeued';
}
