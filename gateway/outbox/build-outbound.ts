import type { Sql } from '../../store/sql.ts';
import type { ChannelName, OutboundMessage, Sender } from '../../channels/channel.types.ts';
import { inboundMessageOf } from '../../store/interaction.repository.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';

interface AnswerRow {
  id: string;
  channel: string;
  text: string;
  kind: string;
  meta: string;
  agentId: string | null;
  agentName: string | null;
  conversationKey: string | null;
  caseId: number | null;
  subject: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** Assembles what an adapter needs to send one stored answer: recipient, subject and thread references. Reads only. */
export function buildOutbound(sql: Sql, interactionId: string, attempt: number): { msg: OutboundMessage; optedOut: boolean; caseId: number } {
  const row = sql.get<AnswerRow>(
    `SELECT i."id", i."channel", i."text", i."kind", i."meta", i."agentId", a."name" AS "agentName", i."conversationKey", i."caseId",
       c."subject", ct."name", ct."email", ct."phone"
     FROM "Interaction" i
       LEFT JOIN "Case" c ON c."id" = i."caseId" LEFT JOIN "Contact" ct ON ct."id" = c."contactId" LEFT JOIN "Agent" a ON a."id" = i."agentId"
     WHERE i."id" = ?`,
    interactionId,
  );
  if (!row) throw new Error(`outbound ${interactionId} not found`);
  const meta = JSON.parse(row.meta) as { to?: string; replyTo?: string };
  if (row.caseId === null || row.subject === null || !meta.to) throw new Error(`outbound ${interactionId} has no case or recipient`);
  const replyTo = meta.replyTo ? sql.get<{ messageId: string | null; meta: string }>('SELECT "messageId", "meta" FROM "Interaction" WHERE "id" = ?', meta.replyTo) : undefined;
  // the customer's and our messages; their auto-replies and bounces are not part of the conversation
  const thread = sql.all<{ messageId: string }>(
    `SELECT "messageId" FROM "Interaction"
     WHERE "caseId" = ? AND "channel" = ? AND "messageId" IS NOT NULL AND ("direction" = 'outbound' OR "kind" = 'message') ORDER BY "createdAt"`,
    row.caseId, row.channel,
  );
  const identity = sql.get<{ optedOut: number }>('SELECT "optedOut" FROM "ChannelIdentity" WHERE "channel" = ? AND "address" = ?', row.channel, meta.to);
  const to: Sender = { address: meta.to, name: row.name ?? undefined, email: row.email ?? undefined, phone: row.phone ?? undefined };
  const inbound = replyTo ? inboundMessageOf(replyTo) : null;
  return {
    caseId: row.caseId,
    optedOut: Boolean(identity?.optedOut),
    msg: {
      interactionId: row.id,
      channel: row.channel as ChannelName,
      caseNumber: formatCaseNumber(row.caseId),
      to,
      subject: row.subject,
      text: row.text,
      references: thread.map((t) => t.messageId).slice(-20),
      inReplyTo: replyTo?.messageId ?? undefined,
      conversationKey: row.conversationKey ?? undefined,
      replyContext: inbound?.meta,
      attempt,
      agentName: row.agentName ?? undefined,
      kind: row.kind === 'auto_reply' ? 'auto_reply' : 'message',
    },
  };
}
