import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import type { InboundMessage } from '../channels/channel.types.ts';
import { fromSqlDate, newId, sqlDate, type Sql } from './sql.ts';

type Client = PrismaClient | Tx;

/**
 * Writes an entry on a case's timeline, in the caller's transaction: an event (a claim, a state change…)
 * or an agent's internal note.
 */
export function addCaseEvent(
  sql: Sql,
  e: { caseId: number; channel: string; agentId: string | null; text: string; now: Date; kind?: 'event' | 'note' },
): { id: string; channel: string } {
  const id = newId(e.now.getTime());
  const kind = e.kind ?? 'event';
  sql.run(
    `INSERT INTO "Interaction" ("id", "caseId", "channel", "direction", "kind", "agentId", "text", "status", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, 'stored', ?)`,
    id, e.caseId, e.channel, kind, kind, e.agentId, e.text, sqlDate(e.now),
  );
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

export function toInteractionView(row: Prisma.InteractionGetPayload<object>): InteractionView {
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

/**
 * Stores an inbound message once per (channel, externalId). Returns the existing row's id for a
 * repeat, so provider retries are harmless: the unique index decides, in one statement for the usual,
 * new message.
 */
export function storeInbound(sql: Sql, msg: InboundMessage, now: Date): { id: string; duplicate: boolean } {
  const id = newId(now.getTime());
  const { changes } = sql.run(
    `INSERT INTO "Interaction" ("id", "channel", "direction", "externalId", "messageId", "conversationKey", "fromAddress", "kind",
       "subject", "text", "fullText", "html", "attachments", "meta", "status", "createdAt")
     VALUES (?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?)
     ON CONFLICT ("channel", "externalId") DO NOTHING`,
    id, msg.channel, msg.externalId, msg.messageId ?? null, msg.thread.conversationKey ?? null, msg.from.address, msg.kind,
    msg.subject ?? null, msg.text, msg.fullText ?? null, msg.html ?? null, JSON.stringify(msg.attachments ?? []),
    JSON.stringify({ message: msg }), sqlDate(msg.receivedAt ?? now),
  );
  if (changes === 1) return { id, duplicate: false };
  const again = sql.get<{ id: string }>('SELECT "id" FROM "Interaction" WHERE "channel" = ? AND "externalId" = ?', msg.channel, msg.externalId);
  if (!again) throw new Error('an inbound message was neither stored nor found');
  return { id: again.id, duplicate: true };
}

/** A stored inbound message as processing reads it. */
export function inboundForProcessing(sql: Sql, id: string) {
  return sql.get<{ id: string; status: string; caseId: number | null; channel: string; fromAddress: string | null; conversationKey: string | null; meta: string }>(
    'SELECT "id", "status", "caseId", "channel", "fromAddress", "conversationKey", "meta" FROM "Interaction" WHERE "id" = ?',
    id,
  );
}

/** Records what processing made of an inbound message; a null contact leaves the one recorded. */
export function markInbound(sql: Sql, id: string, m: { status: 'processed' | 'ignored'; caseId: number | null; contactId: string | null; now: Date; error: string | null }): void {
  sql.run(
    'UPDATE "Interaction" SET "status" = ?, "caseId" = ?, "contactId" = coalesce(?, "contactId"), "processedAt" = ?, "error" = ?, "retryAt" = NULL WHERE "id" = ?',
    m.status, m.caseId, m.contactId, sqlDate(m.now), m.error, id,
  );
}

/** Customer messages on a case (not their auto-replies or keywords). */
export function customerMessageCount(sql: Sql, caseId: number): number {
  return sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "Interaction" WHERE "caseId" = ? AND "direction" = 'inbound' AND "kind" = 'message'`, caseId)!.n;
}

/** The normalized message an inbound interaction was stored from. */
export function inboundMessageOf(row: { meta: string }): InboundMessage {
  const meta = JSON.parse(row.meta) as { message: InboundMessage };
  const msg = meta.message;
  if (msg.receivedAt) msg.receivedAt = new Date(msg.receivedAt);
  return msg;
}

/**
 * Stored inbound messages waiting to be processed and due (not backing off after a failed attempt), oldest
 * first, leaving out `skip` (those already in the worker's window). The store is the pipeline's queue.
 */
export function dueInboundIds(sql: Sql, now: Date, limit: number, skip: readonly string[] = []): string[] {
  return sql
    .all<{ id: string }>(
      `SELECT "id" FROM "Interaction"
       WHERE "status" = 'received' AND "direction" = 'inbound' AND ("retryAt" IS NULL OR "retryAt" <= @now)
         AND "id" NOT IN (SELECT "value" FROM json_each(@skip))
       ORDER BY "createdAt", "id" LIMIT @limit`,
      { now: sqlDate(now), skip: JSON.stringify(skip), limit },
    )
    .map((r) => r.id);
}

/** When the next message backing off after a failed attempt (due later than `after`) is due again. */
export function nextInboundRetry(sql: Sql, after: Date): Date | null {
  const row = sql.get<{ at: string | null }>(
    `SELECT min("retryAt") AS "at" FROM "Interaction" WHERE "status" = 'received' AND "direction" = 'inbound' AND "retryAt" > ?`,
    sqlDate(after),
  );
  return fromSqlDate(row?.at ?? null);
}

/**
 * Records a failed processing attempt: the message backs off until `retryAt(attempts)`, or after
 * `maxAttempts` is `failed` with the reason, for a supervisor to look at. Null when it is no longer waiting.
 */
export function recordInboundFailure(
  sql: Sql,
  id: string,
  f: { reason: string; maxAttempts: number; retryAt: (attempts: number) => Date; now: Date },
): { attempts: number; failed: boolean } | null {
  const row = sql.get<{ attempts: number }>(`SELECT "attempts" FROM "Interaction" WHERE "id" = ? AND "status" = 'received'`, id);
  if (!row) return null;
  const attempts = row.attempts + 1;
  if (attempts >= f.maxAttempts) {
    sql.run(`UPDATE "Interaction" SET "status" = 'failed', "attempts" = ?, "error" = ?, "retryAt" = NULL, "processedAt" = ? WHERE "id" = ?`, attempts, f.reason, sqlDate(f.now), id);
    return { attempts, failed: true };
  }
  sql.run(`UPDATE "Interaction" SET "attempts" = ?, "error" = ?, "retryAt" = ? WHERE "id" = ?`, attempts, `retrying: ${f.reason}`, sqlDate(f.retryAt(attempts)), id);
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
  createdAt: string;
  processedAt: string | null;
}

/** Inbound messages given up on, newest first, for supervisors; `before` (an id) pages on. */
export function failedInbound(sql: Sql, limit: number, before?: string): FailedInboundRow[] {
  return sql.all<FailedInboundRow>(
    `SELECT "id", "channel", "fromAddress", "kind", "subject", "text", "attempts", "error", "createdAt", "processedAt" FROM "Interaction"
     WHERE "status" = 'failed' AND "direction" = 'inbound' AND (@before IS NULL OR "id" < @before)
     ORDER BY "id" DESC LIMIT @limit`,
    { before: before ?? null, limit },
  );
}

/** Puts a failed inbound message back in the pipeline's queue with a fresh count of attempts. */
export function retryFailedInbound(sql: Sql, id: string): 'retried' | 'not-found' | 'not-failed' {
  const row = sql.get<{ status: string }>(`SELECT "status" FROM "Interaction" WHERE "id" = ? AND "direction" = 'inbound'`, id);
  if (!row) return 'not-found';
  if (row.status !== 'failed') return 'not-failed';
  sql.run(`UPDATE "Interaction" SET "status" = 'received', "attempts" = 0, "retryAt" = NULL, "error" = NULL, "processedAt" = NULL WHERE "id" = ?`, id);
  return 'retried';
}

/** Inbound messages not processed: waiting (`received`, backing off included) and given up on (`failed`). */
export function unprocessedInboundCounts(sql: Sql): { received: number; failed: number } {
  const rows = sql.all<{ status: 'received' | 'failed'; n: number }>(
    `SELECT "status", count(*) AS "n" FROM "Interaction" WHERE "status" IN ('received', 'failed') AND "direction" = 'inbound' GROUP BY "status"`,
  );
  const counts = { received: 0, failed: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** The case of the newest stored message among `messageIds`. */
export function caseOfMessageIds(sql: Sql, messageIds: string[]): number | null {
  const ids = messageIds.slice(-50);
  if (ids.length === 0) return null;
  const row = sql.get<{ caseId: number }>(
    `SELECT "caseId" FROM "Interaction" WHERE "messageId" IN (SELECT "value" FROM json_each(?)) AND "caseId" IS NOT NULL ORDER BY "createdAt" DESC LIMIT 1`,
    JSON.stringify(ids),
  );
  return row?.caseId ?? null;
}

export function caseOfConversation(sql: Sql, key: string | undefined): number | null {
  if (!key) return null;
  const row = sql.get<{ caseId: number }>(
    'SELECT "caseId" FROM "Interaction" WHERE "conversationKey" = ? AND "caseId" IS NOT NULL ORDER BY "createdAt" DESC LIMIT 1',
    key,
  );
  return row?.caseId ?? null;
}

export async function listCaseInteractions(db: Client, caseId: number) {
  return db.interaction.findMany({ where: { caseId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/** Customer-visible messages of one conversation (chat history), oldest first. */
export async function conversationMessages(db: Client, key: string, limit: number) {
  const rows = await db.interaction.findMany({
    where: { conversationKey: key, direction: { in: ['inbound', 'outbound'] }, kind: 'message' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.reverse();
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
