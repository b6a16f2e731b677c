/**
 * POST /slack/events on the real gateway: signatures, malformed and unknown input, captured payloads,
 * retries, and the answer deadline. Nothing refused or ignored may store anything.
 */
import { inStore } from '../support/store-rows.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { mailCaseWithCard, messageEnvelope, newTs, slackSignature, SLACK_TEST_SECRET, startAppWithSlack, type FakeSlackApi, type SlackTestApp } from '../support/fake-slack-api.ts';

const WEBHOOK_TOKEN = 'mail-hook-token';
const FIXTURES = new URL('../fixtures/slack-events/', import.meta.url);
let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;
let slack: SlackTestApp['slack'];

beforeAll(async () => {
  s = await startAppWithSlack({
    SLACK_DEFAULT_CHANNEL: 'CSUPPORT',
    SLACK_ACK_DEADLINE_MS: '400',
    SLACK_BODY_LIMIT: String(64 * 1024),
    EMAIL_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
  });
  ({ t, fake, slack } = s);
  expect((await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@acme.test', slackUserId: 'UANN' })).status).toBe(201);
});
afterAll(() => s?.close());

async function counts() {
  const p = inStore(t.app.switchboard.db);
  return { interactions: await p.interaction.count(), events: await p.processedEvent.count(), outbox: await p.outboxItem.count(), cases: await p.case.count() };
}

const mailCase = (name: string, from: string, subject: string, text: string) => mailCaseWithCard(s, WEBHOOK_TOKEN, { name, from, subject, text });

describe('signature and timestamp', () => {
  const body = JSON.stringify(messageEnvelope({ channel: 'D1', channel_type: 'im', user: 'UCUST', text: 'hello', ts: newTs() }));

  it('refuses a wrong signature with 401 BAD_SIGNATURE and stores nothing', async () => {
    const before = await counts();
    const r = await slack.post(body, 'application/json', { signature: slackSignature('another-secret', Math.floor(Date.now() / 1000), body) });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('BAD_SIGNATURE');
    expect(await counts()).toEqual(before);
  });

  it('refuses a body changed after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const r = await slack.post(body.replace('hello', 'hellO'), 'application/json', { timestamp: ts, signature: slackSignature(SLACK_TEST_SECRET, ts, body) });
    expect(r.status).toBe(401);
  });

  it('refuses a stale or future timestamp with 401 STALE_TIMESTAMP', async () => {
    const before = await counts();
    const old = await slack.post(body, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(old.status).toBe(401);
    expect(old.json.error.code).toBe('STALE_TIMESTAMP');
    const future = await slack.post(body, 'application/json', { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('refuses a request without the headers', async () => {
    const r = await fetch(`${t.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('STALE_TIMESTAMP');
  });

  it('answers url_verification when signed', async () => {
    const r = await slack.event({ type: 'url_verification', token: 'x', challenge: 'challenge-123' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ challenge: 'challenge-123' });
  });
});

describe('malformed and unknown input', () => {
  it.each([
    ['not JSON', 'application/json', '{"type":'],
    ['JSON without a type', 'application/json', '{"event":{}}'],
    ['an event callback without an event', 'application/json', '{"type":"event_callback"}'],
    ['a form with neither payload nor command', 'application/x-www-form-urlencoded', 'a=b'],
    ['a payload that is not JSON', 'application/x-www-form-urlencoded', 'payload=%7Bnope'],
    ['block_actions without actions', 'application/x-www-form-urlencoded', `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1' } }))}`],
  ])('answers 400 INVALID_BODY to %s, signed', async (_what, type, raw) => {
    const before = await counts();
    const r = await slack.post(raw, type);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('INVALID_BODY');
    expect(await counts()).toEqual(before);
  });

  it('answers 415 to another content type and 413 to a body over the limit', async () => {
    const r = await slack.post('hello', 'text/plain');
    expect(r.status).toBe(415);
    expect(r.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await slack.event(messageEnvelope({ channel: 'D1', user: 'U1', text: 'x'.repeat(70 * 1024), ts: newTs() }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 200 to unknown envelope, event and interaction types, storing nothing', async () => {
    const before = await counts();
    expect((await slack.event({ type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1 })).status).toBe(200);
    const left = JSON.parse(readFileSync(new URL('slack-web-golden/channel_left.json', FIXTURES), 'utf8'));
    expect((await slack.event(left)).status).toBe(200);
    expect((await slack.interaction({ type: 'view_submission', user: { id: 'UANN' }, view: {} })).status).toBe(200);
    expect((await slack.interaction({ type: 'block_actions', user: { id: 'UANN' }, actions: [{ action_id: 'someone_elses', value: 'x' }] })).status).toBe(200);
    expect((await slack.post('ssl_check=1&token=x', 'application/x-www-form-urlencoded')).status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('takes every captured and documented payload without storing anything or failing', async () => {
    const before = await counts();
    for (const dir of ['slack-web-golden', 'handwritten', 'java-slack-sdk-shape-samples']) {
      for (const f of readdirSync(new URL(`${dir}/`, FIXTURES))) {
        const envelope = JSON.parse(readFileSync(new URL(`${dir}/${f}`, FIXTURES), 'utf8'));
        const r = await slack.event(envelope);
        // the field-shape samples have an empty envelope type: well-formed JSON, nothing we act on
        expect([200], `${dir}/${f}`).toContain(r.status);
      }
    }
    // Only the captured DMs from a person are customer messages (the two file-share captures are the
    // same message, stored once); bots, edits, deletions, channel events and other channels store nothing.
    const after = await counts();
    const stored = await inStore(t.app.switchboard.db).interaction.findMany({ where: { channel: 'slack' }, select: { externalId: true }, orderBy: { externalId: 'asc' } });
    expect(stored.map((s) => s.externalId)).toEqual(['D0442US94JD:1664408649.009629', 'D0442US94JD:1670631527.874149']);
    expect(after.interactions - before.interactions).toBe(2);
  });
});

describe('retries and deadlines', () => {
  it('a retried agent reply (X-Slack-Retry-Num) answers the customer once', async () => {
    const { kase, card } = await mailCase('Rita', 'rita@customer.test', 'Where is my order', 'It is late.');
    const envelope = messageEnvelope({ channel: card.channel, channel_type: 'channel', user: 'UANN', text: 'It ships today.', ts: newTs(), thread_ts: card.ts });
    expect((await slack.event(envelope)).status).toBe(200);
    expect((await slack.event(envelope, { retryNum: 1 })).status).toBe(200);
    expect((await slack.event(envelope, { retryNum: 2 })).status).toBe(200);
    const detail = await t.api('GET', `/api/v1/cases/${kase.number}`);
    expect(detail.body.interactions.filter((i: any) => i.direction === 'outbound' && i.text === 'It ships today.')).toHaveLength(1);
  });

  it('answers within the deadline when Slack lookups are slow, and does the work after', async () => {
    const { kase, card } = await mailCase('Sam', 'sam@customer.test', 'Login fails', 'I cannot log in.');
    // an agent known only by email: users.info is needed, and it is slow
    expect((await t.api('POST', '/api/v1/agents', { name: 'Eve Slow', email: 'eve@acme.test' })).status).toBe(201);
    fake.users.set('UEVE', { id: 'UEVE', name: 'eve', realName: 'Eve Slow', email: 'eve@acme.test' });
    fake.delay('users.info', 1_500);
    try {
      const r = await slack.event(messageEnvelope({ channel: card.channel, channel_type: 'channel', user: 'UEVE', text: 'Reset link sent.', ts: newTs(), thread_ts: card.ts }));
      expect(r.status).toBe(200);
      // answered before users.info came back
      expect(r.ms).toBeLessThan(1_500);
      const reply = await eventually(async () => {
        const d = await t.api('GET', `/api/v1/cases/${kase.number}`);
        return d.body.interactions.find((i: any) => i.direction === 'outbound' && i.text === 'Reset link sent.');
      }, 10_000, 'the reply');
      expect(reply).toBeTruthy();
      // and the agent is now linked to the Slack user
      const agents = await t.api('GET', '/api/v1/agents');
      expect(agents.body.items.find((a: any) => a.email === 'eve@acme.test').slackUserId).toBe('UEVE');
    } finally {
      fake.delay('users.info', 0);
    }
  });

  it('refuses a customer DM not stored by the deadline (slow users.info) with 503; it is stored meanwhile, and Slack\'s retry doubles nothing', async () => {
    fake.users.set('UGINA', { id: 'UGINA', name: 'gina', realName: 'Gina Client', email: 'gina@client.test' });
    fake.delay('users.info', 1_500);
    const envelope = messageEnvelope({ channel: 'DGINA', channel_type: 'im', user: 'UGINA', text: 'My invoice total is wrong', ts: newTs() });
    const stored = () => inStore(t.app.switchboard.db).interaction.count({ where: { channel: 'slack', externalId: `DGINA:${(envelope.event as { ts: string }).ts}` } });
    try {
      const first = await slack.event(envelope);
      expect(first.status).toBe(503);
      expect(first.json.error.code).toBe('INGEST_FAILED');
      // the work went on: stored once the lookup answered
      await eventually(async () => (await stored()) === 1, 10_000, 'the message stored after the answer');
    } finally {
      fake.delay('users.info', 0);
    }
    // Slack delivers it again: now answered 200, still one message, one case
    expect((await slack.event(envelope, { retryNum: 1 })).status).toBe(200);
    expect(await stored()).toBe(1);
    const cases = (await t.api('GET', '/api/v1/cases?contact=gina@client.test')).body.items;
    expect(cases).toHaveLength(1);
  });
});

describe('channel off', () => {
  it('without credentials the Slack channel is off, says so once, and /slack/events answers 503 naming the missing settings', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const off = await startApp({}, { logger: { level: 'info', stream } as never });
    try {
      const slackOff = lines.filter((l) => l.includes('slack channel is off'));
      expect(slackOff).toHaveLength(1);
      expect(slackOff[0]).toContain('SLACK_BOT_TOKEN');
      expect(off.app.switchboard.channels.get('slack')?.enabled).toBe(false);
      const r = await fetch(`${off.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(503);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SLACK_NOT_CONFIGURED');
      expect(body.error.message).toContain('SLACK_BOT_TOKEN');
    } finally {
      await off.close();
    }
  });
});
