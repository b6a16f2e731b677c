import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triageMessage } from '../../../../channels/slack/message-triage.ts';

const FIXTURES = new URL('../../../fixtures/slack-events/', import.meta.url);
const envelope = (path: string) => JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as { event: Record<string, unknown> };
// the captured workspace's own bot user
const ctx = { customerChannels: new Set<string>(), botUserId: 'U0442US8QGH' };

describe('triageMessage on captured payloads', () => {
  it.each([
    ['slack-web-golden/botMessage.json', 'message from a bot (no loops)'],
    ['slack-web-golden/message_subtype_bot_message.json', 'message from a bot (no loops)'],
    ['slack-web-golden/circleci.json', 'message from a bot (no loops)'],
    ['slack-web-golden/github_notification.json', 'message from a bot (no loops)'],
    ['slack-web-golden/email_message.json', 'message from a bot (no loops)'],
    ['slack-web-golden/slackbotIm.json', 'message from a bot (no loops)'],
    ['slack-web-golden/joinChannel.json', 'message from a bot (no loops)'],
    ['slack-web-golden/channel_left.json', 'not a message event'],
    ['slack-web-golden/app_home_opened_home.json', 'not a message event'],
    ['slack-web-golden/share_without_message.json', 'empty message'],
    ['handwritten/message_replied.json', 'message subtype message_replied'],
  ])('%s is ignored: %s', (file, reason) => {
    expect(triageMessage(envelope(file).event, ctx)).toEqual({ kind: 'ignore', reason });
  });

  it('a DM to the app is a person\'s message in an im', () => {
    expect(triageMessage(envelope('slack-web-golden/messageIm.json').event, ctx)).toEqual({
      kind: 'message',
      msg: { channel: 'D0442US94JD', ts: '1664408649.009629', user: 'U043H11ES4V', text: 'test', files: [], conversation: 'im', broadcast: false, team: 'T043DB835ML' },
    });
  });

  it('a DM with a file keeps the file\'s metadata', () => {
    const t = triageMessage(envelope('slack-web-golden/message_file_share.json').event, ctx);
    expect(t.kind).toBe('message');
    if (t.kind !== 'message') return;
    expect(t.msg.conversation).toBe('im');
    expect(t.msg.files).toHaveLength(1);
    expect(t.msg.files[0]).toMatchObject({ name: expect.any(String), contentType: expect.any(String) });
  });

  it('a channel message is "other" unless the channel is a customer channel', () => {
    const event = envelope('slack-web-golden/messageExample.json').event;
    expect(triageMessage(event, ctx)).toMatchObject({ kind: 'message', msg: { conversation: 'other', channel: 'C043YJGBY49' } });
    expect(triageMessage(event, { ...ctx, customerChannels: new Set(['C043YJGBY49']) })).toMatchObject({ kind: 'message', msg: { conversation: 'customer_channel' } });
  });

  it('a thread broadcast is a thread reply flagged as broadcast', () => {
    expect(triageMessage(envelope('handwritten/thread_broadcast.json').event, ctx)).toMatchObject({
      kind: 'message',
      msg: { threadTs: '1764399000.000100', ts: '1764400100.000300', broadcast: true, text: 'also sent to the channel' },
    });
  });

  it('edits and deletions name the message they touch', () => {
    expect(triageMessage(envelope('slack-web-golden/messageChange.json').event, ctx)).toEqual({ kind: 'edit', channel: 'C043YJGBY49', ts: '1663969333.524439', user: 'U043H11ES4V' });
    expect(triageMessage(envelope('handwritten/message_changed.json').event, ctx)).toMatchObject({ kind: 'edit', ts: '1764400150.000350', user: 'U0AGENT01' });
    expect(triageMessage(envelope('slack-web-golden/message_deleted.json').event, ctx)).toEqual({ kind: 'delete', channel: 'C043YJGBY49', ts: '1663966382.046509' });
  });

  it('an edit of a bot message (our card updates) is ignored as a bot', () => {
    const edit = { type: 'message', subtype: 'message_changed', channel: 'C1', message: { type: 'message', bot_id: 'B1', text: 'card', ts: '1.1' } };
    expect(triageMessage(edit, ctx)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('bot') });
  });

  it('a message from our own user is ignored even without bot_id', () => {
    expect(triageMessage({ type: 'message', channel: 'C1', user: 'U0442US8QGH', text: 'x', ts: '1.2' }, ctx)).toMatchObject({ kind: 'ignore' });
  });

  it('a reply whose thread_ts is its own ts is a thread root, not a reply', () => {
    const t = triageMessage({ type: 'message', channel: 'C1', user: 'U1', text: 'root', ts: '5.5', thread_ts: '5.5' }, ctx);
    expect(t).toMatchObject({ kind: 'message' });
    expect(t.kind === 'message' ? t.msg.threadTs : 'not a message').toBeUndefined();
  });

  it('never throws on every captured and field-shape payload', () => {
    for (const dir of ['slack-web-golden', 'handwritten', 'java-slack-sdk-shape-samples']) {
      for (const f of readdirSync(new URL(`${dir}/`, FIXTURES))) {
        const body = envelope(`${dir}/${f}`);
        expect(() => triageMessage(body.event, ctx)).not.toThrow();
      }
    }
    for (const junk of [null, 42, 'x', [], { type: 'message' }, { type: 'message', channel: 'C', subtype: 'message_changed', message: 'x' }, { type: 'message', channel: 'C', files: 'x', user: 'U', ts: '1' }]) {
      expect(triageMessage(junk, ctx).kind).toBe('ignore');
    }
  });
});
