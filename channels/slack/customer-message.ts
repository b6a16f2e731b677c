/** A customer's Slack message (a DM to the app, or a Slack Connect channel) as the gateway's InboundMessage. Pure. */
import type { InboundMessage } from '../channel.types.ts';
import type { SlackProfile } from './slack-api.ts';
import type { SlackMessage } from './message-triage.ts';
import { slackToPlain } from './slack-text.ts';

/** Where an answer to this message goes: kept on the interaction, handed back to `send` as replyContext. */
export interface SlackReplyContext {
  slackChannel: string;
  threadTs: string;
}

const CASE_NUMBER = /\b(CS\d{7,})\b/i;

export function conversationKeyOf(channel: string, rootTs: string): string {
  return `slack:${channel}:${rootTs}`;
}

export function customerInbound(msg: SlackMessage, profile: SlackProfile | null, receivedAt: Date): InboundMessage {
  const rootTs = msg.threadTs ?? msg.ts;
  let text = slackToPlain(msg.text).trim();
  if (!text && msg.files.length) text = `(sent ${msg.files.map((f) => f.name).join(', ')})`;
  const claimed = CASE_NUMBER.exec(text)?.[1]?.toUpperCase();
  const reply: SlackReplyContext = { slackChannel: msg.channel, threadTs: rootTs };
  return {
    channel: 'slack',
    // a message's ts is unique within its channel and the same in every retry of its event
    externalId: `${msg.channel}:${msg.ts}`,
    kind: 'message',
    from: { address: msg.user, ...(profile?.name ? { name: profile.name } : {}), ...(profile?.email ? { email: profile.email } : {}) },
    text,
    attachments: msg.files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, ...(f.url ? { url: f.url } : {}) })),
    thread: {
      conversationKey: conversationKeyOf(msg.channel, rootTs),
      // a top-level message (DM or Slack Connect channel) has no thread to follow: it joins the person's open case
      ...(!msg.threadTs ? { byContact: true } : {}),
      ...(claimed ? { claimedCaseNumber: claimed } : {}),
    },
    receivedAt,
    meta: { ...reply, ts: msg.ts, conversation: msg.conversation, ...(msg.team ? { team: msg.team } : {}) },
  };
}
