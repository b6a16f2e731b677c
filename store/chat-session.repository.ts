import type { Db } from './db.ts';
import { hashToken, newSecret } from './token.repository.ts';
import { conversationMessages } from './interaction.repository.ts';
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
}

/** Chat sessions and their history, as the chat channel needs them. */
export class ChatSessionRepository {
  constructor(private readonly db: Db) {}

  async create(name: string | null, email: string | null): Promise<{ sessionId: string; token: string }> {
    const token = newSecret('chat');
    const row = await this.db.write((tx) => tx.chatSession.create({ data: { tokenHash: hashToken(token), name, email: email?.toLowerCase() ?? null } }));
    return { sessionId: row.id, token };
  }

  async byToken(token: string): Promise<ChatSessionRef | null> {
    const row = await this.db.prisma.chatSession.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, name: true, email: true } });
    return row;
  }

  async history(conversationKey: string, limit: number): Promise<ChatHistoryItem[]> {
    const rows = await conversationMessages(this.db.prisma, conversationKey, limit);
    return rows.map((r) => ({
      id: r.id,
      direction: r.direction as 'inbound' | 'outbound',
      text: r.text,
      at: r.createdAt.toISOString(),
      status: r.status,
      caseNumber: r.caseId ? formatCaseNumber(r.caseId) : null,
    }));
  }
}
