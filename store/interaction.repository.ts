import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import { isUniqueViolation } from './db.ts';
import type { InboundMessage } from '../channels/channel.types.ts';

type Client = PrismaClient | Tx;

/** Writes an event on a case's timeline (a claim, a state change…), in the caller's transaction. */
export async function addCaseEvent(tx: Tx, e: { caseId: number; channel: string; agentId: string | null; text: string; now: Date }): Promise<{ id: string; channel: string }> {
  return tx.interaction.create({
    data: { caseId: e.caseId, channel: e.channel, direction: 'event', kind: 'event', agentId: e.agentId, text: e.text, status: 'stored', createdAt: e.now },
    select: { id: true, channel: true },
  });
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
 * repeat, so provider retries are harmless. The insert comes first and the unique index catches a
 * repeat: one query for the usual, new message instead of a look-up and an insert.
 */
export async function storeInbound(
  tx: Tx,
  msg: InboundMessage,
): Promise<{ id: string; duplicate: boolean }> {
  try {
    const row = await tx.interaction.create({
      data: {
        channel: msg.channel,
        direction: 'inbound',
        externalId: msg.externalId,
        messageId: msg.messageId ?? null,
        conversationKey: msg.thread.conversationKey ?? null,
        fromAddress: msg.from.address,
        kind: msg.kind,
        subject: msg.subject ?? null,
        text: msg.text,
        fullText: msg.fullText ?? null,
        html: msg.html ?? null,
        attachments: JSON.stringify(msg.attachments ?? []),
        meta: JSON.stringify({ message: msg }),
        status: 'received',
        createdAt: msg.receivedAt ?? undefined,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await tx.interaction.findUniqueOrThrow({
      where: { channel_externalId: { channel: msg.channel, externalId: msg.externalId } },
      select: { id: true },
    });
    return { id: again.id, duplicate: true };
  }
}

/** The normalized message an inbound interaction was stored from. */
export function inboundMessageOf(row: { meta: string }): InboundMessage {
  const meta = JSON.parse(row.meta) as { message: InboundMessage };
  const msg = meta.message;
  if (msg.receivedAt) msg.receivedAt = new Date(msg.receivedAt);
  return msg;
}

export async function pendingInboundIds(db: Client, limit: number): Promise<string[]> {
  const rows = await db.interaction.findMany({
    where: { status: 'received', direction: 'inbound' },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** The case of the newest stored message among `messageIds`. */
export async function caseOfMessageIds(db: Client, messageIds: string[]): Promise<number | null> {
  if (messageIds.length === 0) return null;
  const row = await db.interaction.findFirst({
    where: { messageId: { in: messageIds.slice(-50) }, caseId: { not: null } },
    select: { caseId: true },
    orderBy: { createdAt: 'desc' },
  });
  return row?.caseId ?? null;
}

export async function caseOfConversation(db: Client, key: string | undefined): Promise<number | null> {
  if (!key) return null;
  const row = await db.interaction.findFirst({
    where: { conversationKey: key, caseId: { not: null } },
    select: { caseId: true },
    orderBy: { createdAt: 'desc' },
  });
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
