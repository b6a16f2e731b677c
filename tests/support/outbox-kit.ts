/** Stored answers for outbox tests: a contact, a case, the customer's message and our answer(s), in the real store. */
import type { Db } from '../../store/db.ts';
import { enqueueOutbound } from '../../store/outbound.repository.ts';
import { resolveContact, setOptOut } from '../../store/contact.repository.ts';
import { insertCase } from '../../store/case.repository.ts';
import { markInbound, storeInbound } from '../../store/interaction.repository.ts';
import type { ChannelName, InboundMessage } from '../../channels/channel.types.ts';

export interface SeededConversation {
  caseId: number;
  /** the answer enqueued with the conversation */
  id: string;
  /** enqueues one more answer in the same conversation (same case, channel and recipient) */
  answer(text: string, now?: Date): Promise<{ id: string }>;
}

export async function seedAnswer(db: Db, opts: { optedOut?: boolean; channel?: string; address?: string; text?: string; now?: Date } = {}): Promise<SeededConversation> {
  const channel = opts.channel ?? 'sms';
  const address = opts.address ?? '+15550001';
  const { kase, inbound } = await db.transaction(async (tx) => {
    const now = new Date();
    const contact = await resolveContact(tx, channel, { address, ...(channel === 'sms' ? { phone: address } : {}) }, now);
    if (opts.optedOut) await setOptOut(tx, channel, address, true);
    const id = await insertCase(tx, {
      channel, subject: 'hi', priority: 3, queueId: null, category: null, sentiment: 0, frustrated: false, tags: [], requiredSkills: [],
      contactId: contact.contactId, accountId: null, linkedCaseId: null, routing: '{}', acknowledged: false, now,
    });
    const msg = { channel: channel as ChannelName, externalId: `in-${address}`, from: { address }, kind: 'message', text: '', thread: {}, meta: {} } as unknown as InboundMessage;
    const stored = await storeInbound(tx, msg, now);
    await markInbound(tx, stored.id, { status: 'processed', caseId: id, contactId: contact.contactId, now, error: null });
    return { kase: { id }, inbound: { id: stored.id, channel, fromAddress: address, conversationKey: null } };
  });
  const answer = (text: string, now = new Date()) =>
    db.transaction((tx) => enqueueOutbound(tx, { caseId: kase.id, replyTo: inbound, text, kind: 'message', agentId: null, now }));
  const first = await answer(opts.text ?? 'answer', opts.now);
  return { caseId: kase.id, id: first.id, answer };
}
