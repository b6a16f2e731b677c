import { describe, expect, it } from 'vitest';
import { customerInbound } from '../../../../channels/slack/customer-message.ts';
import type { SlackMessage } from '../../../../channels/slack/message-triage.ts';

const at = new Date('2026-02-01T10:00:00Z');
const dm: SlackMessage = { channel: 'D1', ts: '100.1', user: 'U7', text: 'Hi &amp; hello, about <https://shop.test/o/1|my order> CS0001005', files: [], conversation: 'im', broadcast: false };

describe('customerInbound', () => {
  it('makes one interaction per Slack message, threaded by its Slack thread', () => {
    const m = customerInbound(dm, { id: 'U7', name: 'Dora', email: 'dora@client.test', isBot: false, deleted: false }, at);
    expect(m).toMatchObject({
      channel: 'slack',
      externalId: 'D1:100.1',
      kind: 'message',
      from: { address: 'U7', name: 'Dora', email: 'dora@client.test' },
      text: 'Hi & hello, about my order (https://shop.test/o/1) CS0001005',
      thread: { conversationKey: 'slack:D1:100.1', byContact: true, claimedCaseNumber: 'CS0001005' },
      receivedAt: at,
      meta: { slackChannel: 'D1', threadTs: '100.1', ts: '100.1', conversation: 'im' },
    });
  });

  it('a thread reply keeps the root as its conversation and reply target, and does not thread by contact', () => {
    const m = customerInbound({ ...dm, ts: '200.2', threadTs: '100.1', conversation: 'customer_channel', channel: 'C9' }, null, at);
    expect(m.thread).toEqual({ conversationKey: 'slack:C9:100.1', claimedCaseNumber: 'CS0001005' });
    expect(m.meta).toMatchObject({ slackChannel: 'C9', threadTs: '100.1', ts: '200.2' });
    expect(m.from).toEqual({ address: 'U7' });
  });

  it('a file without text still says what was sent, with the file listed', () => {
    const m = customerInbound({ ...dm, text: '', files: [{ name: 'photo.jpg', contentType: 'image/jpeg', size: 1234, url: 'https://files.slack.test/p' }] }, null, at);
    expect(m.text).toBe('(sent photo.jpg)');
    expect(m.attachments).toEqual([{ name: 'photo.jpg', contentType: 'image/jpeg', size: 1234, url: 'https://files.slack.test/p' }]);
  });
});
