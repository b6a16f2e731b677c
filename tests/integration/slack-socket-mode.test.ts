/**
 * Socket Mode (SLACK_APP_TOKEN set): the gateway connects to Slack's WebSocket (here the fake's) and
 * takes events, commands and button presses from it; an envelope is acknowledged once handled.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../support/test-app.ts';
import { messageEnvelope, newTs, startAppWithSlack, type FakeSlackApi, type SlackTestApp } from '../support/fake-slack-api.ts';

let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;

beforeAll(async () => {
  // no signing secret: Socket Mode needs none
  s = await startAppWithSlack({ SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-fake-app-token', SLACK_DEFAULT_CHANNEL: 'CSUPPORT' });
  ({ t, fake } = s);
  await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@acme.test', slackUserId: 'UANN' });
  fake.users.set('UGINA', { id: 'UGINA', realName: 'Gina Client', email: 'gina@client.test' });
  await fake.socket.waitConnected();
});
afterAll(() => s?.close());

describe('Socket Mode', () => {
  it('connects with the app token and serves no HTTP endpoint', async () => {
    expect(fake.callsOf('apps.connections.open')[0]?.token).toBe('xapp-fake-app-token');
    const r = await fetch(`${t.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(404);
  });

  it('a DM arrives over the socket, is stored, then acknowledged; a thread reply answers it', async () => {
    const ts = newTs();
    const id = fake.socket.push({ type: 'events_api', payload: messageEnvelope({ channel: 'DGINA', channel_type: 'im', user: 'UGINA', text: 'Password reset mail never comes', ts }) });
    await fake.waitFor(() => fake.socket.acks.has(id), 10_000, 'the ack');
    // acknowledged only after it was stored
    expect(await inStore(t.app.switchboard.db).interaction.count({ where: { channel: 'slack', externalId: `DGINA:${ts}` } })).toBe(1);

    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=gina@client.test')).body.items[0], 10_000, 'the case');
    const card = await fake.waitFor(() => fake.posts.find((p) => !p.threadTs && p.text.startsWith(kase.number)), 10_000, 'the card');
    fake.socket.push({ type: 'events_api', payload: messageEnvelope({ channel: card.channel, channel_type: 'channel', user: 'UANN', text: 'Sent again, check spam too.', ts: newTs(), thread_ts: card.ts }) });
    const answer = await fake.waitFor(() => fake.posts.find((p) => p.channel === 'DGINA'), 10_000, 'the answer');
    expect(answer.threadTs).toBe(ts);
    expect(answer.text).toContain('Sent again, check spam too.');
  });

  it('a slash command is answered in the envelope ack; a button changes the case', async () => {
    const ts = newTs();
    fake.socket.push({ type: 'events_api', payload: messageEnvelope({ channel: 'DGINA2', channel_type: 'im', user: 'UGINA', text: 'Another thing', ts, thread_ts: undefined }) });
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=gina@client.test')).body.items[0], 10_000, 'the case');

    const cmd = fake.socket.push({
      type: 'slash_commands',
      payload: { command: '/case', text: `${kase.number} priority 1`, user_id: 'UANN', channel_id: 'CSUPPORT', team_id: 'TFAKETEAM', response_url: fake.responseUrl('socket-cmd') },
    });
    await fake.waitFor(() => fake.socket.acks.has(cmd), 10_000, 'the command ack');
    expect(fake.socket.acks.get(cmd)).toEqual({ response_type: 'ephemeral', text: `${kase.number} priority set to 1.` });

    const press = fake.socket.push({
      type: 'interactive',
      payload: { type: 'block_actions', team: { id: 'TFAKETEAM' }, user: { id: 'UANN' }, channel: { id: 'CSUPPORT' }, actions: [{ action_id: 'case_claim', type: 'button', value: kase.number }] },
    });
    await fake.waitFor(() => fake.socket.acks.has(press), 10_000, 'the button ack');
    await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.assignee, 10_000, 'the claim');
  });

  it('a malformed envelope is acknowledged and changes nothing', async () => {
    const before = await inStore(t.app.switchboard.db).interaction.count();
    const id = fake.socket.push({ type: 'events_api', payload: { type: 'event_callback', event: 'nope' } });
    await fake.waitFor(() => fake.socket.acks.has(id), 10_000, 'the ack');
    expect(await inStore(t.app.switchboard.db).interaction.count()).toBe(before);
  });
});
