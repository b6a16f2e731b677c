import type { Reader } from '../../store/db.ts';
import type { ChannelName, OutboundMessage, Sender } from '../../channels/channel.types.ts';
import { inboundMessageOf } from '../../store/interaction.repository.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';

/** Assembles what an adapter needs to send one stored answer: recipient, subject and thread references. */
export async function buildOutbound(
  tx: Reader,
  interactionId: string,
  attempt: number,
): Promise<{ msg: OutboundMessage; optedOut: boolean; caseId: number }> {
  const row = await tx.interaction.findUniqueOrThrow({ where: { id: interactionId }, include: { case: { include: { contact: true } } } });
  const meta = JSON.parse(row.meta) as { to?: string; replyTo?: string };
  const kase = row.case;
  if (!kase || !meta.to) throw new Error(`outbound ${interactionId} has no case or recipient`);
  const replyTo = meta.replyTo ? await tx.interaction.findUnique({ where: { id: meta.replyTo } }) : null;
  const thread = await tx.interaction.findMany({
    // the customer's and our messages; their auto-replies and bounces are not part of the conversation
    where: { caseId: kase.id, channel: row.channel, messageId: { not: null }, OR: [{ direction: 'outbound' }, { kind: 'message' }] },
    orderBy: { createdAt: 'asc' },
    select: { messageId: true },
  });
  const identity = await tx.channelIdentity.findUnique({ where: { channel_address: { channel: row.channel, address: meta.to } } });
  const agent = row.agentId ? await tx.agent.findUnique({ where: { id: row.agentId }, select: { name: true } }) : null;
  const to: Sender = {
    address: meta.to,
    name: kase.contact.name ?? undefined,
    email: kase.contact.email ?? undefined,
    phone: kase.contact.phone ?? undefined,
  };
  const inbound = replyTo ? inboundMessageOf(replyTo) : null;
  return {
    caseId: kase.id,
    optedOut: identity?.optedOut ?? false,
    msg: {
      interactionId: row.id,
      channel: row.channel as ChannelName,
      caseNumber: formatCaseNumber(kase.id),
      to,
      subject: kase.subject,
      text: row.text,
      references: thread.map((t) => t.messageId!).slice(-20),
      inReplyTo: replyTo?.messageId ?? undefined,
      conversationKey: row.conversationKey ?? undefined,
      replyContext: inbound?.meta,
      attempt,
      agentName: agent?.name,
      kind: row.kind === 'auto_reply' ? 'auto_reply' : 'message',
    },
  };
}
