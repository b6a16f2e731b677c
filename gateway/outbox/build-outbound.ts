import type { Executor } from '../../store/executor.ts';
import type { ChannelName, OutboundMessage, Sender } from '../../channels/channel.types.ts';
import { inboundMessageOf, NOTICE_KIND } from '../../store/interaction.repository.ts';
import { answerToSend } from '../../store/outbound.repository.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';
import { outboundAttachments } from '../files/stored-files.ts';

/** Assembles what an adapter needs to send one stored answer: recipient, subject and thread references. Reads only. */
export async function buildOutbound(
  store: Executor,
  interactionId: string,
  attempt: number,
  files: { dataDir: string; publicUrl: string },
): Promise<{ msg: OutboundMessage; optedOut: boolean; caseId: number }> {
  const a = await answerToSend(store, interactionId);
  const attachments = outboundAttachments(files, a.id, a.attachments, a.mediaToken);
  const to: Sender = { address: a.to, name: a.contact.name ?? undefined, email: a.contact.email ?? undefined, phone: a.contact.phone ?? undefined };
  const inbound = a.replyTo ? inboundMessageOf(a.replyTo) : null;
  return {
    caseId: a.caseId,
    optedOut: a.optedOut,
    msg: {
      interactionId: a.id,
      channel: a.channel as ChannelName,
      caseNumber: formatCaseNumber(a.caseId),
      to,
      subject: a.subject,
      text: a.text,
      references: a.threadMessageIds.slice(-20),
      inReplyTo: a.replyTo?.messageId ?? undefined,
      conversationKey: a.conversationKey ?? undefined,
      replyContext: inbound?.meta,
      attempt,
      agentName: a.agentName ?? undefined,
      kind: a.kind === 'auto_reply' || a.kind === NOTICE_KIND ? a.kind : 'message',
      ...(attachments.length ? { attachments } : {}),
    },
  };
}
