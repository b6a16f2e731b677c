import type { ChatSessionStore } from '../channels/chat/chat.channel.ts';
import { chatAnswer, chatHistory, chatSessionByToken, createChatSession } from '../store/chat-session.repository.ts';
import type { Db } from '../store/db.ts';
import { outboundAttachments } from './files/stored-files.ts';

/** Chat sessions and their history, as the chat channel asks for them; an answer's files as links. */
export function createChatSessionStore(db: Db, now: () => Date, files: { dataDir: string; publicUrl: string }): ChatSessionStore {
  return {
    create: (name, email) => db.transaction((tx) => createChatSession(tx, name, email, now())),
    byToken: (token) => chatSessionByToken(db.read, token),
    history: async (key, limit) =>
      (await chatHistory(db.read, key, limit)).map(({ attachments, mediaToken, ...m }) => ({ ...m, attachments: outboundAttachments(files, m.id, attachments, mediaToken) })),
    answer: async (interactionId) => {
      const a = await chatAnswer(db.read, interactionId);
      if (!a) return null;
      const { attachments, mediaToken, ...rest } = a;
      return { ...rest, attachments: outboundAttachments(files, interactionId, attachments, mediaToken) };
    },
  };
}
