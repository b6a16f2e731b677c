/**
 * SLA promises in Slack, on the real gateway with a fake Slack Web API: the case's card shows the nearest
 * promise and its due time and is redrawn when it is broken; a breach is said in the case's thread (and
 * in the channel) and sent to a channel or person a policy names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../support/test-app.ts';
import { mailCaseWithCard, type FakeSlackApi, type SlackTestApp } from '../support/fake-slack-api.ts';
import { startAppWithSlack } from '../support/fake-slack-api.ts';

const WEBHOOK_TOKEN = 'mail-hook-token';
let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;
beforeAll(async () => {
  s = await startAppWithSlack({ SLACK_DEFAULT_CHANNEL: 'CDEFAULT', EMAIL_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
  ({ t, fake } = s);
  for (const p of (await t.api('GET', '/api/v1/sla-policies')).body.items) await t.api('DELETE', `/api/v1/sla-policies/${p.id}`);
  const made = await t.api('POST', '/api/v1/sla-policies', {
    name: 'Mail',
    calendar: null,
    targets: { firstResponse: 'PT2S' },
    escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'notify', channel: 'slack' }, { type: 'notify', channel: 'slack', to: 'USUPERVISOR' }] }],
  });
  expect(made.status).toBe(201);
});
afterAll(() => s?.close());

const texts = (blocks: unknown): string => JSON.stringify(blocks ?? []);

describe('SLA in Slack', () => {
  it('the card shows the due promise, a breach is said in the thread and to the person named, and the card turns red', async () => {
    const { kase, card } = await mailCaseWithCard(s, WEBHOOK_TOKEN, { from: 'waiting@customer.test', subject: 'Still no invoice', text: 'Please send it.' });
    // the card is redrawn once the clocks are worked out: the first response is due
    await eventually(async () => (card.versions.some((v) => texts(v.blocks).includes('first response due')) ? true : null), 10_000, 'the due time on the card');
    const dueVersion = card.versions.find((v) => texts(v.blocks).includes('first response due'))!;
    expect(texts(dueVersion.blocks)).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|20\d\d-/);

    const inThread = await fake.waitFor(() => fake.threadOf(card.channel, card.ts).find((p) => p.text.includes('SLA first response breached')), 10_000, 'the breach in the thread');
    expect(inThread.text).toContain('Mail');
    expect(fake.callsOf('chat.postMessage').find((c) => c.params.thread_ts === card.ts && String(c.params.text).includes('breached'))?.params.reply_broadcast).toBe('true');
    const direct = await fake.waitFor(() => fake.posts.find((p) => p.channel === 'USUPERVISOR'), 10_000, 'the message to the person named');
    expect(direct.text).toContain(kase.number);
    expect(direct.text).toContain('first response breached');
    await eventually(async () => (texts(card.versions.at(-1)!.blocks).includes(':rotating_light: first response breached') ? true : null), 10_000, 'the card turned red');
    // said once
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fake.threadOf(card.channel, card.ts).filter((p) => p.text.includes('SLA first response breached'))).toHaveLength(1);
  });
});
