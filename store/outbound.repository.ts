import type { Interaction, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import { statusAdvances } from './interaction.repository.ts';
import type { DeliveryUpdate } from '../channels/channel.types.ts';
import { newId, sqlDate, type Sql } from './sql.ts';

type Client = PrismaClient | Tx;

export interface OutboundDraft {
  caseId: number;
  /** the inbound message being answered: its channel, sender and conversation say where the answer goes */
  replyTo: Pick<Interaction, 'id' | 'channel' | 'fromAddress' | 'conversationKey'>;
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
    `INSERT INTO "OutboxItem" ("id", "interactionId", "channel", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
    newId(d.now.getTime()), id, d.replyTo.channel, at, at, at,
  );
  return { id };
}

/** The newest customer message of a case, which an agent's answer replies to. */
export async function latestInboundMessage(db: Client, caseId: number) {
  return db.interaction.findFirst({
    where: { caseId, direction: 'inbound', kind: 'message' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

/** Marks the outbound message a bounce refers to as failed; returns it, or null if none of ours matches. */
export function markOutboundFailed(
  sql: Sql,
  channel: string,
  ref: { messageId?: string; externalId?: string; reason: string },
  now: Date,
): { id: string; caseId: number | null } | null {
  if (!ref.messageId && !ref.externalId) return null;
  const target = sql.get<{ id: string; caseId: number | null }>(
    `SELECT "id", "caseId" FROM "Interaction" WHERE "channel" = ? AND "direction" = 'outbound' AND ("messageId" = ? OR "externalId" = ?) LIMIT 1`,
    channel, ref.messageId ?? null, ref.externalId ?? null,
  );
  if (!target) return null;
  sql.run(`UPDATE "Interaction" SET "status" = 'failed', "error" = ? WHERE "id" = ?`, ref.reason, target.id);
  sql.run(`UPDATE "OutboxItem" SET "status" = 'failed', "lastError" = ?, "updatedAt" = ? WHERE "interactionId" = ?`, ref.reason, sqlDate(now), target.id);
  return target;
}

/** Applies a provider's delivery report; a report older than the status already known is dropped. */
export async function applyDeliveryUpdate(
  tx: Tx,
  u: DeliveryUpdate,
): Promise<{ id: string; caseId: number | null; status: string } | null> {
  const or = [
    ...(u.externalId ? [{ externalId: u.externalId }] : []),
    ...(u.messageId ? [{ messageId: u.messageId }] : []),
  ];
  if (or.length === 0) return null;
  // our own id first: the report may arrive before the send recorded the provider's id
  const row =
    (u.interactionId
      ? await tx.interaction.findFirst({
          where: { id: u.interactionId, channel: u.channel, direction: 'outbound', OR: [...or, { externalId: null }] },
          select: { id: true, caseId: true, status: true, externalId: true },
        })
      : null) ??
    (await tx.interaction.findFirst({
      where: { channel: u.channel, direction: 'outbound', OR: or },
      select: { id: true, caseId: true, status: true, externalId: true },
    }));
  if (!row || !statusAdvances(row.status, u.status)) return null;
  await tx.interaction.update({
    where: { id: row.id },
    data: { status: u.status, error: u.error ?? null, ...(row.externalId === null && u.externalId ? { externalId: u.externalId } : {}) },
  });
  return { id: row.id, caseId: row.caseId, status: u.status };
}

export interface ClaimedItem {
  id: string;
  interactionId: string;
  channel: string;
  attempts: number;
}

/**
 * Takes due outbox entries under a lease: a worker that dies mid-send leaves the lease to expire
 * and the entry is taken again (at-least-once; adapters pass our interaction id where providers
 * deduplicate). `room` caps how many entries of a channel may be taken (channels not in it: no cap);
 * `capped` says some due entries were left for a channel's cap, so another pass may find other work.
 */
export async function claimDueOutbox(
  tx: Tx,
  now: Date,
  leaseMs: number,
  limit: number,
  room: ReadonlyMap<string, number> = new Map(),
): Promise<{ items: ClaimedItem[]; capped: boolean }> {
  const full = [...room].filter(([, n]) => n <= 0).map(([channel]) => channel);
  const due = await tx.outboxItem.findMany({
    where: {
      status: 'pending',
      nextAttemptAt: { lte: now },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      ...(full.length ? { channel: { notIn: full } } : {}),
    },
    orderBy: { nextAttemptAt: 'asc' },
    take: limit,
    select: { id: true, channel: true },
  });
  const left = new Map(room);
  let capped = false;
  const claimed: ClaimedItem[] = [];
  for (const { id, channel } of due) {
    const n = left.get(channel);
    if (n !== undefined) {
      if (n <= 0) {
        capped = true;
        continue;
      }
      left.set(channel, n - 1);
    }
    const item = await tx.outboxItem.update({
      where: { id },
      data: { lockedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
      select: { id: true, interactionId: true, channel: true, attempts: true },
    });
    claimed.push(item);
  }
  return { items: claimed, capped };
}

/** When the next entry falls due, leaving out channels at their cap (a send of theirs finishing wakes the worker). */
export async function nextOutboxDue(db: Client, fullChannels: string[] = []): Promise<Date | null> {
  const next = await db.outboxItem.findFirst({
    where: { status: 'pending', ...(fullChannels.length ? { channel: { notIn: fullChannels } } : {}) },
    orderBy: { nextAttemptAt: 'asc' },
    select: { nextAttemptAt: true, lockedUntil: true },
  });
  if (!next) return null;
  return next.lockedUntil && next.lockedUntil > next.nextAttemptAt ? next.lockedUntil : next.nextAttemptAt;
}

export async function completeOutbox(
  tx: Tx,
  item: ClaimedItem,
  result: { status: string; externalId?: string; messageId?: string },
): Promise<void> {
  await tx.outboxItem.update({ where: { id: item.id }, data: { status: 'done', lockedUntil: null, lastError: null } });
  const current = await tx.interaction.findUniqueOrThrow({ where: { id: item.interactionId }, select: { status: true } });
  await tx.interaction.update({
    where: { id: item.interactionId },
    data: {
      // a status callback may already have moved it further than the send's own answer
      status: statusAdvances(current.status, result.status) ? result.status : current.status,
      externalId: result.externalId ?? undefined,
      messageId: result.messageId ?? undefined,
      error: null,
    },
  });
}

export async function failOutbox(tx: Tx, item: ClaimedItem, error: string, retryAt: Date | null): Promise<void> {
  if (retryAt) {
    await tx.outboxItem.update({ where: { id: item.id }, data: { nextAttemptAt: retryAt, lockedUntil: null, lastError: error } });
    await tx.interaction.update({ where: { id: item.interactionId }, data: { error: `retrying: ${error}` } });
    return;
  }
  await tx.outboxItem.update({ where: { id: item.id }, data: { status: 'failed', lockedUntil: null, lastError: error } });
  await tx.interaction.update({ where: { id: item.interactionId }, data: { status: 'failed', error } });
}
