/**
 * Slack with two instances on one PostgreSQL database: every instance hears every event, yet a case's card
 * and the customer's messages in its thread are posted once; an agent's answer in the thread, delivered by
 * Slack to the other instance, reaches the chat visitor connected to the first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { messageEnvelope, newTs, SLACK_TEST_SECRET, slackEventsClient, startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.ts';

const apps: TestApp[] = [];
let fake: FakeSlackApi | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  await fake?.close();
  fake = undefined;
});

describe('Slack with two instances', () => {
  it('posts one card and one copy of each customer message, and the thread answer reaches the visitor on the other instance', async () => {
    fake = await startFakeSlackApi();
    const env = { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: fake.apiUrl };
    const dir = tempDir();
    const a = await startApp(env, {}, dir);
    apps.push(a);
    const b = await startApp(env, {}, dir);
    apps.push(b);
    for (const q of (await a.api('GET', '/api/v1/queues')).body.items as Array<{ id: string }>) {
      expect((await a.api('PATCH', `/api/v1/queues/${q.id}`, { slackChannel: 'CSUPPORT' })).status).toBe(200);
    }
    expect((await b.api('POST', '/api/v1/agents', { name: 'Sam Slack', email: 'sam@acme.test', slackUserId: 'USAM' })).status).toBe(201);

    const visitor = await ChatClient.open(a.url, { name: 'Lee', email: 'lee@example.com' });
    visitor.send({ type: 'message', id: 'l1', text: 'My order arrived broken' });
    const kase = await eventually(async () => (await a.api('GET', '/api/v1/cases?contact=lee%40example.com')).body.items[0], 10_000, 'the case');
    const card = await fake.waitFor(() => fake!.posts.find((p) => p.channel === 'CSUPPORT' && !p.threadTs && p.text.includes(kase.number)), 10_000, 'the card');
    visitor.send({ type: 'message', id: 'l2', text: 'The box was crushed too' });
    await fake.waitFor(() => fake!.threadOf('CSUPPORT', card.ts).find((p) => p.text.includes('The box was crushed too')), 10_000, 'the follow-up in the thread');
    // both instances heard every event: a second copy would show by now
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.posts.filter((p) => !p.threadTs && p.text.includes(kase.number))).toHaveLength(1);
    expect(fake.threadOf('CSUPPORT', card.ts).filter((p) => p.text.includes('The box was crushed too'))).toHaveLength(1);

    // Slack delivers the agent's thread answer to the other instance
    const answered = await slackEventsClient(b.url, SLACK_TEST_SECRET).event(
      messageEnvelope({ channel: 'CSUPPORT', channel_type: 'channel', user: 'USAM', text: 'Sorry Lee, a new one ships today.', ts: newTs(), thread_ts: card.ts }),
    );
    expect(answered.status).toBe(200);
    const frame = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(frame).toMatchObject({ text: 'Sorry Lee, a new one ships today.', caseNumber: kase.number, agent: 'Sam Slack' });
    await visitor.close();
  });
});
