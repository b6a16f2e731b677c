import { statusAdvances } from './interaction.repository.ts';
import type { DeliveryUpdate } from '../channels/channel.types.ts';
import { randomUUID } from 'node:crypto';
import { fromSqlDate, newId, sqlDate, type Sql } from './sql.ts';

export interface OutboundDraft {
  caseId: number;
  /** the inbound message being answered: its channel, sender and conversation say where the answer goes */
  replyTo: { id: string; channel: string; fromAddress: string | null; conversationKey: string | null };
  text: string;
  kind: 'message' | 'auto_reply';
  agentId: string | null;
  now: Date;
}

/** Stores an answer and its outbox entry in the caller's transaction: nothing is sent before it is stored. */
export function enqueueOutbound(sql: Sql, d: OutboundDraft): { id: string } {
  const id = newId(d.now.getTime());
  const at = sqlDate(d.now);
  sql.run(
    `INSERT INTO "Interaction" ("id", "caseId", "channel", "direction", "kind", "agentId", "text", "conversationKey", "meta", "status", "createdAt")
     VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, ?, 'queued', ?)`,
    id, d.caseId, d.replyTo.channel, d.kind, d.agentId, d.text, d.replyTo.conversationKey,
    JSON.stringify({ to: d.replyTo.fromAddress, replyTo: d.replyTo.id }), at,
  );
  sql.run(
    `INSERT INTO "OutboxItem" ("id", "interactionId", "channel", "conversation", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    newId(d.now.getTime()), id, d.replyTo.channel, outboxConversation(d.caseId, d.replyTo.channel, d.replyTo.fromAddress), at, at, at,
  );
  return { id };
}

/** What orders an answer among others: its case, channel and recipient. */
function outboxConversation(caseId: number, channel: string, to: string | null): string {
  return `${caseId}:${channel}:${to ?? ''}`;
}

/**
 * Whether an automatic message (kind `auto_reply`) went to `address` on `channel` at or after `since`.
 * Read through the address's contact and that contact's cases, on their indexes: the messages of
 * other contacts are never scanned (CROSS JOIN keeps SQLite to that order; left to itself it walks
 * every message of the channel).
 */
export function autoReplySentSince(sql: Sql, channel: string, address: string, since: Date): boolean {
  const row = sql.get<{ found: number }>(
    `SELECT 1 AS "found" FROM "ChannelIdentity" ci
       CROSS JOIN "Case" c CROSS JOIN "Interaction" i
     WHERE ci."channel" = @channel AND ci."address" = @address AND c."contactId" = ci."contactId" AND i."caseId" = c."id"
       AND i."createdAt" >= @since AND i."direction" = 'outbound' AND i."kind" = 'auto_reply'
       AND i."channel" = @channel AND json_extract(i."meta", '$.to') = @address
     LIMIT 1`,
    { channel, address, since: sqlDate(since) },
  );
  return row !== undefined;
}

/** The newest customer message of a case, which an agent's answer replies to. */
export function latestInboundMessage(sql: Sql, caseId: number): OutboundDraft['replyTo'] | null {
  return (
    sql.get<OutboundDraft['replyTo']>(
      `SELECT "id", "channel", "fromAddress", "conversationKey" FROM "Interaction"
       WHERE "caseId" = ? AND "direction" = 'inbound' AND "kind" = 'message' ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`,
      caseId,
    ) ?? null
  );
}

/**
 * A stored answer with what sending it needs: its case's subject and contact, the customer message it
 * answers, the Message-IDs of the conversation so far (the customer's and ours, oldest first; auto-replies
 * and bounces are not part of it) and whether the recipient opted out. Reads only.
 */
export function answerToSend(sql: Sql, interactionId: string) {
  const row = sql.get<{
    id: string; channel: string; text: string; kind: string; meta: string; agentName: string | null; conversationKey: string | null;
    caseId: number | null; subject: string | null; name: string | null; email: string | null; phone: string | null;
  }>(
    `SELECT i."id", i."channel", i."text", i."kind", i."meta", a."name" AS "agentName", i."conversationKey", i."caseId",
       c."subject", ct."name", ct."email", ct."phone"
     FROM "Interaction" i
       LEFT JOIN "Case" c ON c."id" = i."caseId" LEFT JOIN "Contact" ct ON ct."id" = c."contactId" LEFT JOIN "Agent" a ON a."id" = i."agentId"
     WHERE i."id" = ?`,
    interactionId,
  );
  if (!row) throw new Error(`outbound ${interactionId} not found`);
  const meta = JSON.parse(row.meta) as { to?: string; replyTo?: string };
  if (row.caseId === null || row.subject === null || !meta.to) throw new Error(`outbound ${interactionId} has no case or recipient`);
  const replyTo = meta.replyTo ? (sql.get<{ messageId: string | null; meta: string }>('SELECT "messageId", "meta" FROM "Interaction" WHERE "id" = ?', meta.replyTo) ?? null) : null;
  const thread = sql.all<{ messageId: string }>(
    `SELECT "messageId" FROM "Interaction"
     WHERE "caseId" = ? AND "channel" = ? AND "messageId" IS NOT NULL AND ("direction" = 'outbound' OR "kind" = 'message') ORDER BY "createdAt"`,
    row.caseId, row.channel,
  );
  return {
    id: row.id,
    channel: row.channel,
    text: row.text,
    kind: row.kind,
    agentName: row.agentName,
    conversationKey: row.conversationKey,
    caseId: row.caseId,
    subject: row.subject,
    to: meta.to,
    contact: { name: row.name, email: row.email, phone: row.phone },
    replyTo,
    threadMessageIds: thread.map((t) => t.messageId),
    optedOut: recipientOptedOut(sql, row.channel, meta.to),
  };
}

/** Whether the recipient opted out of the channel (an SMS STOP, a carrier's report). Reads only. */
export function recipientOptedOut(sql: Sql, channel: string, address: string): boolean {
  const identity = sql.get<{ optedOut: number }>('SELECT "optedOut" FROM "ChannelIdentity" WHERE "channel" = ? AND "address" = ?', channel, address);
  return Boolean(identity?.optedOut);
}

type OutboundRef = { id: string; caseId: number | null; status: string; externalId: string | null };

/**
 * Our outbound message on a channel by the provider's id, else by its Message-ID. Two lookups, each on its
 * own index: one query with an OR of the two would read every message of the channel.
 */
function outboundByProviderIds(sql: Sql, channel: string, ids: { externalId?: string; messageId?: string }): OutboundRef | null {
  const columns = '"id", "caseId", "status", "externalId"';
  return (
    (ids.externalId
      ? sql.get<OutboundRef>(`SELECT ${columns} FROM "Interaction" WHERE "channel" = ? AND "externalId" = ? AND "direction" = 'outbound'`, channel, ids.externalId)
      : undefined) ??
    (ids.messageId
      ? sql.get<OutboundRef>(`SELECT ${columns} FROM "Interaction" WHERE "messageId" = ? AND "channel" = ? AND "direction" = 'outbound' LIMIT 1`, ids.messageId, channel)
      : undefined) ??
    null
  );
}

/** Marks the outbound message a bounce refers to as failed; returns it, or null if none of ours matches. */
export function markOutboundFailed(
  sql: Sql,
  channel: string,
  ref: { messageId?: string; externalId?: string; reason: string },
  now: Date,
): { id: string; caseId: number | null } | null {
  const target = outboundByProviderIds(sql, channel, ref);
  if (!target) return null;
  sql.run(`UPDATE "Interaction" SET "status" = 'failed', "error" = ? WHERE "id" = ?`, ref.reason, target.id);
  sql.run(`UPDATE "OutboxItem" SET "status" = 'failed', "lastError" = ?, "updatedAt" = ? WHERE "interactionId" = ?`, ref.reason, sqlDate(now), target.id);
  return target;
}

/** Applies a provider's delivery report; a report older than the status already known is dropped. */
export function applyDeliveryUpdate(sql: Sql, u: DeliveryUpdate): { id: string; caseId: number | null; status: string } | null {
  if (!u.externalId && !u.messageId) return null;
  // our own id first: the report may arrive before the send recorded the provider's id
  const row =
    (u.interactionId
      ? sql.get<OutboundRef>(
          `SELECT "id", "caseId", "status", "externalId" FROM "Interaction"
           WHERE "id" = @id AND "channel" = @channel AND "direction" = 'outbound'
             AND ("externalId" IS NULL OR "externalId" = @externalId OR "messageId" = @messageId)`,
          { id: u.interactionId, channel: u.channel, externalId: u.externalId ?? null, messageId: u.messageId ?? null },
        )
      : undefined) ?? outboundByProviderIds(sql, u.channel, u);
  if (!row || !statusAdvances(row.status, u.status)) return null;
  sql.run(
    'UPDATE "Interaction" SET "status" = ?, "error" = ?, "externalId" = coalesce("externalId", ?) WHERE "id" = ?',
    u.status, u.error ?? null, u.externalId ?? null, row.id,
  );
  return { id: row.id, caseId: row.caseId, status: u.status };
}

export interface ClaimedItem {
  id: string;
  interactionId: string;
  channel: string;
  attempts: number;
  /** this claim's own token: the outcome of the attempt is recorded only while the entry still carries it */
  claimToken: string;
}

/** The entries of one conversation leave one after another, oldest first: only the oldest pending one may be taken. */
const CONVERSATION_HEAD = `NOT EXISTS (
  SELECT 1 FROM "OutboxItem" e
  WHERE e."conversation" = o."conversation" AND e."status" = 'pending' AND (e."createdAt" < o."createdAt" OR (e."createdAt" = o."createdAt" AND e."id" < o."id")))`;

/**
 * Takes due outbox entries under a lease and a fresh claim token. A worker renews the lease of what it
 * holds while the send runs (`renewOutboxLeases`); only a worker that died stops renewing, and then the
 * lease runs out and the entry is taken again (at-least-once; adapters pass our interaction id where
 * providers deduplicate). Only the head of each conversation is due. `room` caps how many entries of a
 * channel may be taken (channels not in it: no cap); `capped` says some due entries were left for a
 * channel's cap, so another pass may find other work. `held` are entries this worker holds already.
 */
export function claimDueOutbox(
  sql: Sql,
  now: Date,
  leaseMs: number,
  limit: number,
  room: ReadonlyMap<string, number> = new Map(),
  held: readonly string[] = [],
): { items: ClaimedItem[]; capped: boolean } {
  const full = [...room].filter(([, n]) => n <= 0).map(([channel]) => channel);
  const at = sqlDate(now);
  const due = sql.all<{ id: string; channel: string }>(
    `SELECT o."id", o."channel" FROM "OutboxItem" o
     WHERE o."status" = 'pending' AND o."nextAttemptAt" <= @at AND (o."lockedUntil" IS NULL OR o."lockedUntil" < @at)
       AND o."channel" NOT IN (SELECT "value" FROM json_each(@full)) AND o."id" NOT IN (SELECT "value" FROM json_each(@held))
       AND ${CONVERSATION_HEAD}
     ORDER BY o."nextAttemptAt" LIMIT @limit`,
    { at, full: JSON.stringify(full), held: JSON.stringify(held), limit },
  );
  const left = new Map(room);
  let capped = false;
  const claimed: ClaimedItem[] = [];
  const lockedUntil = sqlDate(new Date(now.getTime() + leaseMs));
  for (const { id, channel } of due) {
    const n = left.get(channel);
    if (n !== undefined) {
      if (n <= 0) {
        capped = true;
        continue;
      }
      left.set(channel, n - 1);
    }
    claimed.push(
      sql.get<ClaimedItem>(
        `UPDATE "OutboxItem" SET "lockedUntil" = ?, "claimToken" = ?, "attempts" = "attempts" + 1, "updatedAt" = ? WHERE "id" = ?
         RETURNING "id", "interactionId", "channel", "attempts", "claimToken"`,
        lockedUntil, randomUUID(), at, id,
      )!,
    );
  }
  return { items: claimed, capped };
}

/** Extends the leases of entries still held under their claim; returns the ids whose claim was lost (taken by another). */
export function renewOutboxLeases(sql: Sql, items: readonly ClaimedItem[], now: Date, leaseMs: number): string[] {
  const lockedUntil = sqlDate(new Date(now.getTime() + leaseMs));
  const lost: string[] = [];
  for (const item of items) {
    const r = sql.run(`UPDATE "OutboxItem" SET "lockedUntil" = ? WHERE "id" = ? AND "claimToken" = ? AND "status" = 'pending'`, lockedUntil, item.id, item.claimToken);
    if (r.changes === 0) lost.push(item.id);
  }
  return lost;
}

/** Whether the entry still carries this claim and its lease has not run out (nobody may have taken it over). Reads only. */
export function holdsClaim(sql: Sql, item: ClaimedItem, now: Date): boolean {
  return (
    sql.get(`SELECT 1 AS "held" FROM "OutboxItem" WHERE "id" = ? AND "claimToken" = ? AND "status" = 'pending' AND "lockedUntil" > ?`, item.id, item.claimToken, sqlDate(now)) !==
    undefined
  );
}

/** Gives an entry back untried (the worker stopped before sending it): the attempt is not counted. */
export function releaseOutbox(sql: Sql, item: ClaimedItem, now: Date): boolean {
  const r = sql.run(
    `UPDATE "OutboxItem" SET "lockedUntil" = NULL, "claimToken" = NULL, "attempts" = "attempts" - 1, "updatedAt" = ?
     WHERE "id" = ? AND "claimToken" = ? AND "status" = 'pending'`,
    sqlDate(now), item.id, item.claimToken,
  );
  return r.changes > 0;
}

/**
 * When the next entry falls due: the earliest conversation head that is not leased, or the end of the
 * earliest lease another worker holds (it may then be taken over), leaving out channels at their cap (a
 * send of theirs finishing wakes the worker) and the entries this worker holds. Two walks of an index
 * that stop at their first match, so the cost does not grow with the backlog.
 */
export function nextOutboxDue(sql: Sql, now: Date, fullChannels: string[] = [], held: readonly string[] = []): Date | null {
  const params = { now: sqlDate(now), full: JSON.stringify(fullChannels), held: JSON.stringify(held) };
  const free = sql.get<{ at: string }>(
    `SELECT o."nextAttemptAt" AS "at" FROM "OutboxItem" o
     WHERE o."status" = 'pending' AND (o."lockedUntil" IS NULL OR o."lockedUntil" < @now)
       AND o."channel" NOT IN (SELECT "value" FROM json_each(@full)) AND o."id" NOT IN (SELECT "value" FROM json_each(@held))
       AND ${CONVERSATION_HEAD}
     ORDER BY o."nextAttemptAt" LIMIT 1`,
    params,
  );
  const leased = sql.get<{ at: string }>(
    `SELECT o."lockedUntil" AS "at" FROM "OutboxItem" o
     WHERE o."status" = 'pending' AND o."lockedUntil" >= @now
       AND o."channel" NOT IN (SELECT "value" FROM json_each(@full)) AND o."id" NOT IN (SELECT "value" FROM json_each(@held))
     ORDER BY o."lockedUntil" LIMIT 1`,
    params,
  );
  const times = [free?.at, leased?.at].flatMap((t) => fromSqlDate(t ?? null)?.getTime() ?? []);
  return times.length ? new Date(Math.min(...times)) : null;
}

/** Records a delivered send; false (and nothing written) when this attempt no longer holds the entry. */
export function completeOutbox(sql: Sql, item: ClaimedItem, result: { status: string; externalId?: string; messageId?: string }, now: Date): boolean {
  const r = sql.run(
    `UPDATE "OutboxItem" SET "status" = 'done', "lockedUntil" = NULL, "claimToken" = NULL, "lastError" = NULL, "updatedAt" = ?
     WHERE "id" = ? AND "claimToken" = ? AND "status" = 'pending'`,
    sqlDate(now), item.id, item.claimToken,
  );
  if (r.changes === 0) return false;
  const current = sql.get<{ status: string }>('SELECT "status" FROM "Interaction" WHERE "id" = ?', item.interactionId);
  if (!current) throw new Error(`outbound ${item.interactionId} not found`);
  sql.run(
    `UPDATE "Interaction" SET "status" = ?, "externalId" = coalesce(?, "externalId"), "messageId" = coalesce(?, "messageId"), "error" = NULL WHERE "id" = ?`,
    // a status callback may already have moved it further than the send's own answer
    statusAdvances(current.status, result.status) ? result.status : current.status,
    result.externalId ?? null, result.messageId ?? null, item.interactionId,
  );
  return true;
}

/** Records a failed attempt, to retry at `retryAt` or for good; false (and nothing written) when this attempt no longer holds the entry. */
export function failOutbox(sql: Sql, item: ClaimedItem, error: string, retryAt: Date | null, now: Date): boolean {
  const at = sqlDate(now);
  const owned = `WHERE "id" = ? AND "claimToken" = ? AND "status" = 'pending'`;
  if (retryAt) {
    const r = sql.run(`UPDATE "OutboxItem" SET "nextAttemptAt" = ?, "lockedUntil" = NULL, "claimToken" = NULL, "lastError" = ?, "updatedAt" = ? ${owned}`, sqlDate(retryAt), error, at, item.id, item.claimToken);
    if (r.changes === 0) return false;
    sql.run('UPDATE "Interaction" SET "error" = ? WHERE "id" = ?', `retrying: ${error}`, item.interactionId);
    return true;
  }
  const r = sql.run(`UPDATE "OutboxItem" SET "status" = 'failed', "lockedUntil" = NULL, "claimToken" = NULL, "lastError" = ?, "updatedAt" = ? ${owned}`, error, at, item.id, item.claimToken);
  if (r.changes === 0) return false;
  sql.run(`UPDATE "Interaction" SET "status" = 'failed', "error" = ? WHERE "id" = ?`, error, item.interactionId);
  return true;
}
