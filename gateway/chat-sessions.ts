import type { ChatSessionStore } from '../channels/chat/chat.channel.ts';
import { chatAnswer, chatHistory, chatSessionByToken, createChatSession } from '../store/chat-session.repository.ts';
import type { Db } from '../store/db.ts';

/** Chat sessions and their history, as the chat channel asks for them. */
export function createChatSessionStore(db: Db, now: () => Date): ChatSessionStore {
  return {
    create: (name, email) => db.transaction((tx) => createChatSession(tx, name, email, now())),
    byToken: (token) => chatSessionByToken(db.read, token),
    history: (key, limit) => chatHistory(db.read, key, limit),
    answer: (interactionId) => chatAnswer(db.read, interactionId),
  };
}
