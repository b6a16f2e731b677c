/** The receiver's promise to Slack: an answer within the deadline, after the work when it is quick, and 503 when an event could not be handled. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { App } from '@slack/bolt';
import { SlackReceiver } from '../../../../channels/slack/slack-receiver.ts';
import { boltLogger } from '../../../../channels/slack/bolt-logger.ts';
import type { SlackBody } from '../../../../channels/slack/slack-body.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../../support/fake-slack-api.ts';

const log = pino({ level: 'silent' });
const DEADLINE = 250;
let fake: FakeSlackApi;
let receiver: SlackReceiver;
const seen: string[] = [];
const finished: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fake = await startFakeSlackApi();
  receiver = new SlackReceiver({
    log,
    ackDeadlineMs: DEADLINE,
    skipReason: (b) => (b.kind === 'event' && b.eventType === 'reaction_added' ? 'not ours' : null),
    // stands in for "a message in a customer conversation": here, one whose text starts with "customer"
    mayStore: (b) => b.kind === 'event' && String((b.body as { event?: { text?: string } }).event?.text).startsWith('customer'),
  });
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-test' }), convoStore: false, logger: boltLogger(log) });
  app.error(async (err) => {
    throw err;
  });
  app.event('message', async ({ event }) => {
    const text = (event as { text?: string }).text ?? '';
    seen.push(text);
    if (text === 'fail') throw new Error('store is down');
    if (text === 'slow' || text === 'customer slow') await sleep(DEADLINE * 3);
    finished.push(text);
  });
  app.command('/fast', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'done' }));
  app.command('/slow', async ({ ack }) => {
    await sleep(DEADLINE * 2);
    await ack({ response_type: 'ephemeral', text: 'late result' });
  });
  app.command('/broken', async () => {
    throw new Error('boom');
  });
  app.action('case_claim', async ({ ack }) => {
    await ack();
    await sleep(DEADLINE * 2);
    finished.push('action');
  });
});
afterAll(async () => {
  await receiver.stop();
  await fake.close();
});

const event = (text: string, type = 'message'): SlackBody => ({ kind: 'event', eventId: `Ev-${text}`, eventType: type, body: { type: 'event_callback', event_id: `Ev-${text}`, team_id: 'T1', event: { type, text, channel: 'C1', user: 'U1', ts: '1.1' } } });
const command = (name: string): SlackBody => ({ kind: 'command', body: { command: name, text: '', user_id: 'U1', channel_id: 'C1', team_id: 'T1', response_url: fake.responseUrl(name.slice(1)) } });

describe('SlackReceiver.dispatch', () => {
  it('answers url_verification and skips what is not ours without calling bolt', async () => {
    expect(await receiver.dispatch({ kind: 'url_verification', challenge: 'c1' })).toEqual({ status: 200, body: { challenge: 'c1' } });
    expect(await receiver.dispatch({ kind: 'unknown', reason: 'x' })).toEqual({ status: 200 });
    expect(await receiver.dispatch(event('thumbs', 'reaction_added'))).toEqual({ status: 200 });
    expect(seen).not.toContain('thumbs');
  });

  it('answers an event after its work is done', async () => {
    expect(await receiver.dispatch(event('quick'))).toEqual({ status: 200, body: undefined });
    expect(finished).toContain('quick');
  });

  it('refuses an event whose work failed with 503, so Slack delivers it again', async () => {
    expect(await receiver.dispatch(event('fail'))).toMatchObject({ status: 503, code: 'INGEST_FAILED', reason: 'store is down' });
  });

  it('answers at the deadline when the work is slow, and the work still completes', async () => {
    const started = Date.now();
    expect(await receiver.dispatch(event('slow'))).toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE - 20);
    // answered while the work was still running
    expect(seen).toContain('slow');
    expect(finished).not.toContain('slow');
    await expect.poll(() => finished.includes('slow'), { timeout: 5_000 }).toBe(true);
  });

  it('refuses with 503 a customer message not stored by the deadline, so Slack delivers it again; the work still completes', async () => {
    expect(await receiver.dispatch(event('customer slow'))).toMatchObject({ status: 503, code: 'INGEST_FAILED' });
    expect(finished).not.toContain('customer slow');
    await expect.poll(() => finished.includes('customer slow'), { timeout: 5_000 }).toBe(true);
    // and a quick one is answered 200 after its work, as any event
    expect(await receiver.dispatch(event('customer quick'))).toEqual({ status: 200, body: undefined });
    expect(finished).toContain('customer quick');
  });

  it('gives a command\'s ack body as the answer', async () => {
    expect(await receiver.dispatch(command('/fast'))).toEqual({ status: 200, body: { response_type: 'ephemeral', text: 'done' } });
  });

  it('sends a command\'s late answer to its response_url', async () => {
    expect(await receiver.dispatch(command('/slow'))).toEqual({ status: 200, body: undefined });
    const r = await fake.waitFor(() => fake.responses.find((x) => x.id === 'slow'), 5_000, 'the late answer');
    expect(r.body).toEqual({ response_type: 'ephemeral', text: 'late result' });
  });

  it('tells the user when a command fails, and still answers 200', async () => {
    const out = await receiver.dispatch(command('/broken'));
    expect(out).toMatchObject({ status: 200, body: { response_type: 'ephemeral', text: expect.stringContaining('Something went wrong') } });
  });

  it('answers a button as soon as it is acknowledged, before its work ends', async () => {
    const out = await receiver.dispatch({ kind: 'interaction', interactionType: 'block_actions', body: { type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, actions: [{ action_id: 'case_claim', type: 'button', value: 'CS0001001' }] } });
    expect(out).toEqual({ status: 200, body: undefined });
    expect(finished).not.toContain('action');
    await expect.poll(() => finished.includes('action'), { timeout: 5_000 }).toBe(true);
  });
});
