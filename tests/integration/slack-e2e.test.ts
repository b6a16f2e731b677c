/**
 * The whole loop the Slack channel exists for: a customer's mail arrives over real SMTP, a card appears
 * in the queue's Slack channel (a fake Slack Web API on loopback), an agent answers in the card's
 * thread (a signed event to /slack/events), and the customer receives the answer by mail on a real
 * SMTP sink, threaded. A bot's message in the same thread sends nothing.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { eventually, type TestApp } from '../support/test-app.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { messageEnvelope, newTs, startAppWithSlack, type FakeSlackApi, type SlackTestApp } from '../support/fake-slack-api.ts';

let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;
let sink: SmtpSink;
let slack: SlackTestApp['slack'];
let smtpPort: number;
const queueChannels = new Map<string, string>();

beforeAll(async () => {
  sink = await startSmtpSink();
  s = await startAppWithSlack({ SMTP_URL: sink.url, SUPPORT_EMAIL: 'help@acme.test' }, { smtpListenPort: 0 });
  ({ t, fake, slack } = s);
  const email = t.app.switchboard.channels.get('email') as unknown as { smtpAddress(): { port: number } | undefined };
  smtpPort = email.smtpAddress()!.port;
  // every queue gets its own Slack channel through the queues API
  const queues = await t.api('GET', '/api/v1/queues');
  for (const [i, q] of (queues.body.items as Array<{ id: string; name: string }>).entries()) {
    const channel = `CQUEUE${i}`;
    expect((await t.api('PATCH', `/api/v1/queues/${q.id}`, { slackChannel: channel })).status).toBe(200);
    queueChannels.set(q.name, channel);
  }
  const agent = await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@acme.test', slackUserId: 'UANN' });
  expect(agent.status).toBe(201);
});

afterAll(async () => {
  await s?.close();
  await sink?.close();
});

describe('mail in, card in Slack, answer from the thread, mail out', () => {
  it('threads the answer to the customer and ignores a bot in the thread', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const customerMessageId = '<first-mail-1@customer.example>';
    await transport.sendMail({
      from: 'Carla Customer <carla@customer.example>',
      to: 'help@acme.test',
      subject: 'Invoice charged twice',
      messageId: customerMessageId,
      text: 'Hello,\nmy card was charged twice for invoice 4411.\nPlease refund one of them.',
    });
    transport.close();

    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=carla@customer.example')).body.items[0], 10_000, 'the case');
    const channel = queueChannels.get(kase.queue)!;
    expect(channel).toBeDefined();

    // the card: in the queue's channel, with number, customer, channel, priority and the first lines
    const card = await fake.waitFor(() => fake.posts.find((p) => p.channel === channel && !p.threadTs && p.text.includes(kase.number)), 10_000, 'the card');
    const cardJson = JSON.stringify(card.blocks);
    expect(cardJson).toContain(kase.number);
    expect(cardJson).toContain('carla@customer.example');
    expect(cardJson).toContain('my card was charged twice');
    expect(cardJson).toContain('case_claim');
    expect(card.blocks!.find((b: any) => b.type === 'section' && b.fields)?.fields.map((f: any) => f.text).join('\n')).toMatch(/\*Channel\*\nemail/);
    // the card's thread is recorded on the case once Slack has answered the post
    // the thread is Slack's reference for the case, kept as its channel link (the case row holds no Slack ids)
    const linked = await eventually(() => inStore(t.app.switchboard.db).channelLink.findFirst({ where: { channel: 'slack', kind: 'case', externalId: `${channel}:${card.ts}` } }), 10_000, 'the card linked');
    expect(linked.targetId).toBe(String(Number(kase.number.slice(2)) - 1000));

    // the agent answers in the thread
    const replyTs = newTs();
    const res = await slack.event(messageEnvelope({ channel, channel_type: 'channel', user: 'UANN', text: 'Hi Carla, the duplicate charge is refunded &amp; you will see it in 3 days.', ts: replyTs, thread_ts: card.ts }));
    expect(res.status).toBe(200);

    // (the agent's invitation went by mail first: SMTP_URL is set)
    const mail = await sink.waitForMatch((m) => m.to.includes('carla@customer.example'), 10_000);
    expect(mail.to).toEqual(['carla@customer.example']);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(`Re: Invoice charged twice [${kase.number}]`);
    expect(parsed.inReplyTo).toBe(customerMessageId);
    expect([parsed.references].flat()).toContain(customerMessageId);
    expect(parsed.text).toContain('the duplicate charge is refunded & you will see it in 3 days.');
    expect(parsed.from?.value[0]?.name).toBe('Ann Agent');

    const detail = await eventually(async () => {
      const r = await t.api('GET', `/api/v1/cases/${kase.number}`);
      return r.body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'sent') ? r.body : null;
    });
    expect(detail.state).toBe('awaiting_customer');
    expect(detail.assignee).toBeTruthy();

    // the agent's own words are not echoed back into the thread; the card shows the new state
    await (t.app.switchboard.channels.get('slack') as unknown as { idle(): Promise<void> }).idle();
    expect(fake.threadOf(channel, card.ts).some((p) => p.text.includes('duplicate charge is refunded'))).toBe(false);
    await fake.waitFor(() => JSON.stringify(card.blocks).includes('Awaiting customer'), 5_000, 'the card update');

    // a bot's message in the same thread sends nothing
    const before = await inStore(t.app.switchboard.db).interaction.count();
    const privateNotes = fake.calls.filter((c) => c.method === 'chat.postEphemeral').length;
    const bot = await slack.event(
      messageEnvelope({ channel, channel_type: 'channel', subtype: 'bot_message', bot_id: 'BOTHER', username: 'Reminder bot', text: 'Reminder: answer this case', ts: newTs(), thread_ts: card.ts }),
    );
    expect(bot.status).toBe(200);
    const ownBot = await slack.event(messageEnvelope({ channel, channel_type: 'channel', bot_id: fake.bot.botId, user: fake.bot.userId, text: 'echo', ts: newTs(), thread_ts: card.ts }));
    expect(ownBot.status).toBe(200);
    // an app posting on behalf of a linked agent is still a bot: it must not become the agent's answer
    const asAgent = await slack.event(messageEnvelope({ channel, channel_type: 'channel', bot_id: 'BOTHER', user: 'UANN', text: 'Automated: your refund is on its way', ts: newTs(), thread_ts: card.ts }));
    expect(asAgent.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await inStore(t.app.switchboard.db).interaction.count()).toBe(before);
    expect(await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })).toBe(0);
    expect(sink.messages.filter((m) => m.to.includes('carla@customer.example'))).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === 'chat.postEphemeral')).toHaveLength(privateNotes);
  });
});
