/**
 * Slack as a customer channel, on the real gateway: a DM to the app or a message in a Slack Connect
 * channel from someone who is not an agent opens or joins a case; the answer goes back into the same
 * Slack thread through the outbox.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../support/test-app.ts';
import { messageEnvelope, newTs, startAppWithSlack, type FakeSlackApi, type FakeSlackPost, type SlackTestApp } from '../support/fake-slack-api.ts';

let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;
let slack: SlackTestApp['slack'];

beforeAll(async () => {
  s = await startAppWithSlack({ SLACK_DEFAULT_CHANNEL: 'CSUPPORT', SLACK_CUSTOMER_CHANNELS: 'CCONNECT' });
  ({ t, fake, slack } = s);
  await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@acme.test', slackUserId: 'UANN' });
  fake.users.set('UDORA', { id: 'UDORA', name: 'dora', realName: 'Dora Client', email: 'dora@client.test' });
  fake.users.set('UERIK', { id: 'UERIK', name: 'erik', realName: 'Erik Partner', email: 'erik@partner.test' });
  fake.users.set('UFRED', { id: 'UFRED', name: 'fred', realName: 'Fred Client', email: 'fred@client.test' });
  fake.users.set('UBOTUSER', { id: 'UBOTUSER', name: 'otherbot', isBot: true });
});
afterAll(() => s?.close());

const dm = (user: string, channel: string, text: string, extra: Record<string, unknown> = {}) =>
  messageEnvelope({ channel, channel_type: 'im', user, text, ts: newTs(), client_msg_id: `${Math.random()}`, ...extra });

async function caseOf(address: string) {
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(address)}`)).body.items[0], 10_000, `the case of ${address}`);
}
const cardOf = (number: string) => fake.waitFor(() => fake.posts.find((p) => !p.threadTs && p.text.startsWith(number)), 10_000, 'the card');
const agentSays = (card: FakeSlackPost, text: string) =>
  slack.event(messageEnvelope({ channel: card.channel, channel_type: 'channel', user: 'UANN', text, ts: newTs(), thread_ts: card.ts }));
const postsIn = (channel: string) => fake.posts.filter((p) => p.channel === channel);

describe('a DM to the app', () => {
  it('opens a Slack case for the person, and the agent\'s answer arrives in the DM thread', async () => {
    const first = dm('UDORA', 'DDORA', 'Hi, my export is stuck at 99%');
    const r = await slack.event(first);
    expect(r.status).toBe(200);
    // durable before acknowledged: the interaction exists when Slack gets its 200
    expect(await inStore(t.app.switchboard.db).interaction.count({ where: { channel: 'slack', externalId: `DDORA:${(first.event as any).ts}` } })).toBe(1);

    const kase = await caseOf('dora@client.test');
    expect(kase).toMatchObject({ channel: 'slack', contact: { name: 'Dora Client', email: 'dora@client.test' } });
    const card = await cardOf(kase.number);
    expect(card.channel).toBe('CSUPPORT');
    expect(JSON.stringify(card.blocks)).toContain('my export is stuck at 99%');

    await agentSays(card, 'Hi Dora, restarting the export <https://app.test/exports|here> now.');
    const answer = await fake.waitFor(() => postsIn('DDORA')[0], 10_000, 'the answer in the DM');
    expect(answer.threadTs).toBe((first.event as any).ts);
    expect(answer.text).toBe('*Ann Agent*: Hi Dora, restarting the export here (https://app.test/exports) now.');
    const out = await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'sent'));
    expect(out.channel).toBe('slack');

    // the customer's follow-up, top level or in the thread, joins the same case and is mirrored to the card
    await slack.event(dm('UDORA', 'DDORA', 'Thanks! Still at 99% though.'));
    await slack.event(dm('UDORA', 'DDORA', 'Now it worked.', { thread_ts: (first.event as any).ts }));
    const detail = await eventually(async () => {
      const d = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
      return d.interactions.filter((i: any) => i.direction === 'inbound').length === 3 ? d : null;
    }, 10_000, 'three customer messages on one case');
    expect(detail.state).toBe('open');
    expect((await t.api('GET', '/api/v1/cases?contact=dora@client.test')).body.items).toHaveLength(1);
    await fake.waitFor(() => fake.threadOf(card.channel, card.ts).find((p) => p.text.includes('Now it worked.')), 10_000, 'the follow-up in the card thread');

    // our own answer coming back as a bot message in the DM changes nothing
    const before = await inStore(t.app.switchboard.db).interaction.count();
    await slack.event(messageEnvelope({ channel: 'DDORA', channel_type: 'im', bot_id: fake.bot.botId, user: fake.bot.userId, text: answer.text, ts: answer.ts, thread_ts: answer.threadTs }));
    expect(await inStore(t.app.switchboard.db).interaction.count()).toBe(before);
  });

  it('a retried DM event is stored once', async () => {
    const envelope = dm('UFRED', 'DFRED', 'Is the API down?');
    expect((await slack.event(envelope)).status).toBe(200);
    expect((await slack.event(envelope, { retryNum: 1 })).status).toBe(200);
    // the same message through a new event id (redelivery) is still one interaction
    expect((await slack.event({ ...envelope, event_id: 'EvOTHER1' }, { retryNum: 2 })).status).toBe(200);
    const kase = await caseOf('fred@client.test');
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(detail.interactions.filter((i: any) => i.direction === 'inbound')).toHaveLength(1);
  });

  it('DMs from agents and from bot users open nothing', async () => {
    const before = await inStore(t.app.switchboard.db).case.count();
    await slack.event(dm('UANN', 'DANN', 'testing the bot'));
    await slack.event(dm('UBOTUSER', 'DBOT', 'I am a bot without bot_id'));
    expect(await inStore(t.app.switchboard.db).case.count()).toBe(before);
    expect(await inStore(t.app.switchboard.db).interaction.count({ where: { externalId: { startsWith: 'DANN:' } } })).toBe(0);
  });
});

describe('a Slack Connect channel', () => {
  it('a partner\'s message becomes a case; the answer goes into their thread; an agent there is not a customer', async () => {
    const ts = newTs();
    await slack.event(messageEnvelope({ channel: 'CCONNECT', channel_type: 'channel', user: 'UERIK', text: 'Our webhook deliveries fail since 10:00', ts }));
    const kase = await caseOf('erik@partner.test');
    expect(kase.channel).toBe('slack');

    // an agent answering directly in the shared channel is not a customer message
    await slack.event(messageEnvelope({ channel: 'CCONNECT', channel_type: 'channel', user: 'UANN', text: 'Looking into it', ts: newTs(), thread_ts: ts }));
    const card = await cardOf(kase.number);
    await agentSays(card, 'Fixed: a certificate expired. Deliveries resume now.');
    const answer = await fake.waitFor(() => postsIn('CCONNECT')[0], 10_000, 'the answer in the shared channel');
    expect(answer.threadTs).toBe(ts);
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(detail.interactions.filter((i: any) => i.direction === 'inbound')).toHaveLength(1);

    // the same partner writing again at the top of the channel continues the open case
    await slack.event(messageEnvelope({ channel: 'CCONNECT', channel_type: 'channel', user: 'UERIK', text: 'And a second thing about those deliveries', ts: newTs() }));
    await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions.filter((i: any) => i.direction === 'inbound').length === 2 || null);
    expect((await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('erik@partner.test')}`)).body.items).toHaveLength(1);
  });

  it('a message in a channel that is neither a customer channel nor a case thread is ignored', async () => {
    const before = await inStore(t.app.switchboard.db).interaction.count();
    await slack.event(messageEnvelope({ channel: 'CRANDOM', channel_type: 'channel', user: 'UERIK', text: 'lunch?', ts: newTs() }));
    expect(await inStore(t.app.switchboard.db).interaction.count()).toBe(before);
  });
});

describe('sending to Slack customers', () => {
  it('retries when Slack rate-limits, fails for good when the conversation is gone', async () => {
    await slack.event(dm('UFRED', 'DFRED', 'Second question'));
    const kase = await caseOf('fred@client.test');
    const card = await cardOf(kase.number);

    fake.failNext('chat.postMessage', 'ratelimited', 1);
    await agentSays(card, 'Answer after a rate limit');
    await fake.waitFor(() => postsIn('DFRED').find((p) => p.text.includes('Answer after a rate limit')), 10_000, 'the retried send');

    fake.failNext('chat.postMessage', 'channel_not_found', 1);
    await agentSays(card, 'Answer into the void');
    const failed = await eventually(async () => {
      const d = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
      return d.interactions.find((i: any) => i.text === 'Answer into the void' && i.status === 'failed');
    }, 10_000, 'the failed send');
    expect(failed.error).toMatch(/channel_not_found/);
    // the failure is reported in the card's thread
    await fake.waitFor(() => fake.threadOf(card.channel, card.ts).find((p) => p.text.includes('not delivered')), 10_000, 'the failure notice');
  });
});
