/**
 * An acknowledged message never waits for a restart: processing that fails is retried with back-off
 * while the gateway runs, a commit lost as a whole is found again, a message that always fails is marked
 * `failed` after a few attempts (listed for supervisors, counted in /metrics, retried on request), a
 * failing backlog never keeps the gateway from starting, and memory holds only a window of the backlog.
 * Failures are real ones, raised by SQLite through triggers in the real store.
 */
import { inStore, literal } from '../support/store-rows.ts';
import { refuseWrites, stopRefusing } from '../support/refuse-writes.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { inboundSmsFields, postTwilioWebhook, smsTestEnv, startFakeTwilioApi, TEST_TWILIO, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { storeInbound } from '../../store/interaction.repository.ts';

const apps: TestApp[] = [];
const apis: FakeTwilioApi[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.close()));
  await Promise.all(apis.splice(0).map((a) => a.close()));
});

async function boot(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestApp> {
  const api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  apis.push(api);
  const t = await startApp({ ...smsTestEnv(api), PIPELINE_RETRY_BASE_MS: '50', PIPELINE_RETRY_MAX_MS: '200', PIPELINE_MAX_ATTEMPTS: '3', ...env }, {}, dataDir);
  apps.push(t);
  return t;
}

/** A customer's text, acknowledged by the webhook (stored), not waited for. */
async function text(t: TestApp, from: string, body: string): Promise<string> {
  const fields = inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body });
  const res = await postTwilioWebhook({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields);
  expect(res.status).toBe(200);
  return fields.MessageSid!;
}

const inbound = (t: TestApp, sid: string) => inStore(t.app.switchboard.db).interaction.findFirstOrThrow({ where: { channel: 'sms', externalId: sid } });

/** Case rows for texts containing `word` fail to be written while `seconds` have not passed (none: always); `rollback` loses the whole commit. */
async function poison(t: TestApp, word: string, opts: { seconds?: number; rollback?: boolean } = {}): Promise<void> {
  await refuseWrites(t.app.switchboard.db, {
    name: `poison_${word}`, table: 'Case', on: 'INSERT', when: `NEW."subject" LIKE ${literal(`%${word}%`)}`, seconds: opts.seconds, wholeCommit: opts.rollback,
  });
}

describe('a message whose processing fails', () => {
  it('is retried while the gateway runs and processed once the cause is gone', async () => {
    const t = await boot({ PIPELINE_MAX_ATTEMPTS: '20' });
    await poison(t, 'parcel', { seconds: 0.3 });
    const sid = await text(t, '+447700900201', 'Where is my parcel?');
    const row = await eventually(async () => {
      const r = await inbound(t, sid);
      return r.status === 'processed' ? r : null;
    }, 10_000, 'the message to be processed');
    expect(row.caseId).not.toBeNull();
    expect(row.error).toBeNull();
  });

  it('a commit lost as a whole (another write in it failed) leaves none of its messages behind', async () => {
    const t = await boot({ PIPELINE_MAX_ATTEMPTS: '20' });
    const { db, pipeline } = t.app.switchboard;
    // four messages acknowledged together, then processed in one commit the database loses as a whole
    const ids = await db.transaction(async (tx) => {
      const stored: string[] = [];
      for (const [i, text] of ['Question 1', 'I want a refund', 'Question 2', 'Question 3'].entries()) {
        stored.push((await storeInbound(tx, { channel: 'sms', externalId: `SMlost${i}`, from: { address: `+44770090021${i}` }, text, kind: 'message', thread: { byContact: true } }, new Date())).id);
      }
      return stored;
    });
    // long enough to be in force when the batch runs on a loaded machine; the retries alone outlast it
    await poison(t, 'refund', { seconds: 1.5, rollback: true });
    // queued in one turn: processed in one batch, one commit
    ids.forEach((id) => pipeline.enqueue(id));
    const rows = await eventually(async () => {
      const found = await inStore(db).interaction.findMany({ where: { id: { in: ids } } });
      return found.every((r) => r.status === 'processed') ? found : null;
    }, 10_000, 'every message of the lost commit to be processed');
    expect(await inStore(db).case.count()).toBe(4);
    // only the message at fault counted failed attempts: the others were tried alone after the lost commit
    expect(rows.filter((r) => r.attempts > 0).map((r) => r.text)).toEqual(['I want a refund']);
  });

  it('a second message failing while the first backs off is retried on time too, not at the next rescan', async () => {
    // A is retried ~300 ms after it failed and then succeeds; B failed 100 ms after A and is due ~100 ms after A
    const t = await boot({ PIPELINE_MAX_ATTEMPTS: '20', PIPELINE_RETRY_BASE_MS: '300', PIPELINE_RETRY_MAX_MS: '300', PIPELINE_RESCAN_MS: '60000' });
    await poison(t, 'alpha', { seconds: 0.2 });
    await poison(t, 'beta', { seconds: 0.3 });
    const a = await text(t, '+447700900241', 'alpha question');
    await new Promise((r) => setTimeout(r, 100));
    const b = await text(t, '+447700900242', 'beta question');
    await eventually(async () => {
      const rows = await Promise.all([a, b].map((sid) => inbound(t, sid)));
      return rows.every((r) => r.status === 'processed') ? rows : null;
    }, 10_000, 'both messages to be processed');
  });

  it('that always fails is marked failed after PIPELINE_MAX_ATTEMPTS with its reason, shown to supervisors and in /metrics, and retried on request', async () => {
    const t = await boot();
    await poison(t, 'cursed');
    const sid = await text(t, '+447700900221', 'A cursed message');
    const failed = await eventually(async () => {
      const r = await inbound(t, sid);
      return r.status === 'failed' ? r : null;
    }, 10_000, 'the message to be marked failed');
    expect(failed).toMatchObject({ attempts: 3, caseId: null });
    expect(failed.error).toMatch(/disk I\/O error/);

    const supervisor = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@support.test', role: 'supervisor' })).body;
    const agent = (await t.api('POST', '/api/v1/agents', { name: 'Ada', email: 'ada@support.test', role: 'agent' })).body;
    const list = await t.api('GET', '/api/v1/inbound/failed', undefined, supervisor.token);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: failed.id, channel: 'sms', from: '+447700900221', attempts: 3, error: expect.stringMatching(/disk I\/O error/), text: 'A cursed message' }),
    ]);
    expect((await t.api('GET', '/api/v1/inbound/failed', undefined, agent.token)).status).toBe(403);
    // malformed paging is refused, not guessed at
    expect(await t.api('GET', '/api/v1/inbound/failed?cursor=bm9wZQ', undefined, supervisor.token)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CURSOR' } } });
    expect(await t.api('GET', '/api/v1/inbound/failed?limit=0', undefined, supervisor.token)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await t.api('POST', '/api/v1/inbound/NOT%20AN%20ID/retry', undefined, supervisor.token)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await t.api('POST', `/api/v1/inbound/${failed.id}/retry`, undefined, agent.token)).status).toBe(403);

    const metrics = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer test-admin-token' } }).then((r) => r.text());
    expect(metrics).toMatch(/^switchboard_inbound_unprocessed\{state="failed"\} 1$/m);

    // nothing to retry: unknown, or not failed
    expect((await t.api('POST', '/api/v1/inbound/cnothere0000000000000000/retry', undefined, supervisor.token))).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    await stopRefusing(t.app.switchboard.db, 'poison_cursed');
    const retried = await t.api('POST', `/api/v1/inbound/${failed.id}/retry`, undefined, supervisor.token);
    expect(retried.status).toBe(202);
    const done = await eventually(async () => {
      const r = await inbound(t, sid);
      return r.status === 'processed' ? r : null;
    }, 10_000, 'the retried message to be processed');
    expect(done.caseId).not.toBeNull();
    expect((await t.api('POST', `/api/v1/inbound/${failed.id}/retry`, undefined, supervisor.token))).toMatchObject({ status: 409, body: { error: { code: 'NOT_FAILED' } } });
  });
});

describe('starting with a backlog', () => {
  it('listens at once although a stored message always fails, and tries it only PIPELINE_MAX_ATTEMPTS times', async () => {
    const dataDir = tempDir();
    const first = await boot({ PIPELINE_MAX_ATTEMPTS: '1000', PIPELINE_RETRY_BASE_MS: '1000', PIPELINE_RETRY_MAX_MS: '1000' }, dataDir);
    await poison(first, 'doomed');
    const sid = await text(first, '+447700900231', 'A doomed message');
    await eventually(async () => ((await inbound(first, sid)).attempts === 1 ? true : null));
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // the trigger is in the file: the message fails again on every attempt after the restart
    const again = await boot({ PIPELINE_MAX_ATTEMPTS: '3', PIPELINE_RETRY_BASE_MS: '20', PIPELINE_RETRY_MAX_MS: '50' }, dataDir);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    const row = await eventually(async () => {
      const r = await inbound(again, sid);
      return r.status === 'failed' ? r : null;
    }, 10_000, 'the message to be marked failed');
    expect(row.attempts).toBe(3);
  });
});

describe('a backlog bigger than the window', () => {
  it('is held in the store: memory holds at most PIPELINE_WINDOW messages, and every one is processed once', async () => {
    const t = await boot({ PIPELINE_WINDOW: '50' });
    const { db, pipeline } = t.app.switchboard;
    const now = new Date();
    const ids = await db.transaction(async (tx) => {
      const stored: string[] = [];
      for (let i = 0; i < 1_000; i++) {
        stored.push((await storeInbound(tx, { channel: 'sms', externalId: `SMwindow${i}`, from: { address: `+4477009${10_000 + i}` }, text: `Message ${i}`, kind: 'message', thread: { byContact: true } }, now)).id);
      }
      return stored;
    });
    let most = 0;
    for (const id of ids) {
      pipeline.enqueue(id);
      most = Math.max(most, pipeline.inMemory());
    }
    const watch = setInterval(() => (most = Math.max(most, pipeline.inMemory())), 5);
    try {
      await eventually(async () => ((await inStore(db).interaction.count({ where: { status: 'received' } })) === 0 ? true : null), 60_000, 'the backlog to drain');
    } finally {
      clearInterval(watch);
    }
    expect(most).toBeLessThanOrEqual(50);
    expect(await inStore(db).case.count()).toBe(1_000);
  });
});
