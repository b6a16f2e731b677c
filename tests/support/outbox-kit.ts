/** Stored answers for outbox tests: a contact, a case, the customer's message and our answer(s), in the real store. */
import type { Db } from '../../store/db.ts';
import { enqueueOutbound } from '../../store/outbound.repository.ts';

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
  const { kase, inbound } = await db.write(async (tx) => {
    const contact = await tx.contact.create({ data: channel === 'sms' ? { phone: address } : {} });
    await tx.channelIdentity.create({ data: { channel, address, contactId: contact.id, optedOut: opts.optedOut ?? false } });
    const kase = await tx.case.create({ data: { channel, contactId: contact.id, subject: 'hi' } });
    const inbound = await tx.interaction.create({
      data: { caseId: kase.id, channel, direction: 'inbound', externalId: `in-${address}`, fromAddress: address, status: 'processed', meta: JSON.stringify({ message: { meta: {} } }) },
    });
    return { kase, inbound };
  });
  const answer = (text: string, now = new Date()) =>
    db.writeNow((sql) => enqueueOutbound(sql, { caseId: kase.id, replyTo: inbound, text, kind: 'message', agentId: null, now }));
  const first = await answer(opts.text ?? 'answer', opts.now);
  return { caseId: kase.id, id: first.id, answer };
}
