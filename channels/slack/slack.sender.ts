/** Answers to customers who wrote on Slack: posted in their conversation, in the thread they wrote in. */
import { readFile } from 'node:fs/promises';
import { SendError, type OutboundMessage, type SendResult } from '../channel.types.ts';
import { toSendError, type SlackApi } from './slack-api.ts';
import type { SlackReplyContext } from './customer-message.ts';
import { escapeMrkdwn } from './slack-text.ts';

export function createSlackSender(api: Pick<SlackApi, 'postMessage' | 'uploadFiles'>) {
  return async function send(msg: OutboundMessage): Promise<SendResult> {
    const reply = (msg.replyContext ?? {}) as Partial<SlackReplyContext>;
    if (typeof reply.slackChannel !== 'string' || !reply.slackChannel) {
      throw new SendError('the case has no Slack conversation to answer in', false, 'NO_SLACK_CONVERSATION');
    }
    // the agent's words go out as written: escaped, so nothing in them turns into a mention or a link
    const text = msg.agentName ? `*${escapeMrkdwn(msg.agentName)}*: ${escapeMrkdwn(msg.text)}` : escapeMrkdwn(msg.text);
    try {
      if (msg.attachments?.length) {
        // read before the last check, so nothing slow lies between it and Slack
        const files = await Promise.all(
          msg.attachments.map(async (a) => ({
            name: a.name,
            data: await readFile(a.path).catch(() => {
              throw new SendError(`the file ${a.name} is no longer stored`, false, 'FILE_GONE');
            }),
          })),
        );
        await msg.confirmSend?.();
        const ids = await api.uploadFiles({ channel: reply.slackChannel, threadTs: reply.threadTs, text: msg.text.trim() ? text : '', files });
        return { status: 'sent', externalId: `${reply.slackChannel}:files:${ids.join(',')}` };
      }
      await msg.confirmSend?.();
      const posted = await api.postMessage({ channel: reply.slackChannel, threadTs: reply.threadTs, text });
      return { status: 'sent', externalId: `${posted.channel}:${posted.ts}` };
    } catch (err) {
      throw toSendError(err);
    }
  };
}
