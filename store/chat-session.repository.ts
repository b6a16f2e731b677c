import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import { query } from './query.ts';
import { hashToken, newSecret } from './token.repository.ts';
import { conversationMessages, mediaTokenOf } from './interaction.repository.ts';
import { formatCaseNumber } from '../routing/case-number.ts';

export interface ChatSessionRef {
  id: string;
  name: string | null;
  email: string | null;
}

export interface ChatHistoryItem {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  status: string;
  caseNumber: string | null;
  /** the interaction's attachments as stored (JSON), and the secret of their links */
  attachments: string;
  mediaToken: string | undefined;
}

const insertQuery = query((qb, p: { id: string; tokenHash: string; name: string | null; email: string | null; now: Date }) =>
  qb.insertInto('ChatSession').values({ id: p.id, tokenHash: p.tokenHash, name: p.name, email: p.email, createdAt: p.now, lastSeenAt: p.now }),
);
const byTokenQuery = query((qb, p: { tokenHash: string }) => qb.selectFrom('ChatSession').select(['id', 'name', 'email']).where('tokenHash', '=', p.tokenHash));

/** Opens a chat session; its token is returned this once (only its hash is stored). */
export async function createChatSession(tx: Executor, name: string | null, email: string | null, now: Date): Promise<{ sessionId: string; token: string }> {
  const token = newSecret('chat');
  const id = newId(now.getTime());
  await tx.run(insertQuery, { id, tokenHash: hashToken(token), name, email: email?.toLowerCase() ?? null, now });
  return { sessionId: id, token };
}

export async function chatSessionByToken(x: Executor, token: string): Promise<ChatSessionRef | null> {
  return (await x.first(byTokenQuery, { tokenHash: hashToken(token) })) ?? null;
}

/** The customer-visible messages of a chat conversation, oldest first. */
export async function chatHistory(x: Executor, conversationKey: string, limit: number): Promise<ChatHistoryItem[]> {
  const rows = await conversationMessages(x, conversationKey, limit);
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction as 'inbound' | 'outbound',
    text: r.text,
    at: r.createdAt.toISOString(),
    status: r.status,
    caseNumber: r.caseId ? formatCaseNumber(r.caseId) : null,
    attachments: r.attachments,
    mediaToken: mediaTokenOf(r.meta),
  }));
}

const answerQuery = query((qb, p: { id: string }) =>
  qb
    .selectFrom('Interaction as i')
    .leftJoin('Agent as a', 'a.id', 'i.agentId')
    .select(['i.text', 'i.caseId', 'i.attachments', 'i.meta', 'a.name as agentName'])
    .where('i.id', '=', p.id)
    .where('i.channel', '=', 'chat')
    .where('i.direction', '=', 'outbound'),
);

/** One answer to a chat visitor, as the widget shows it; null for anything else. */
export async function chatAnswer(
  x: Executor,
  interactionId: string,
): Promise<{ text: string; caseNumber: string; agent: string | null; attachments: string; mediaToken: string | undefined } | null> {
  const row = await x.first(answerQuery, { id: interactionId });
  if (!row || row.caseId === null) return null;
  return { text: row.text, caseNumber: formatCaseNumber(row.caseId), agent: row.agentName, attachments: row.attachments, mediaToken: mediaTokenOf(row.meta) };
}
