/**
 * The outbox is the SMS send queue: answers still waiting (paced by the rate limiter, or backing off
 * after an API error) when the app stops are sent after the next start on the same data, each once.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../store/db.ts';
import { eventually, startApp, tempDir } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { testDatabaseUrl } from '../support/test-database.ts';

let api: FakeTwilioApi;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
});
afterAll(async () => {
  await api?.close();
});

describe('queued SMS survive a restart', () => {
  it('answers pending at stop are sent after the next start, exactly once each', async () => {
    const dataDir = tempDir();
    // 2 per second: five answers cannot all leave before the stop below
    const env = { ...smsTestEnv(api), SMS_RATE_PER_SECOND: '2', OUTBOX_RETRY_BASE_MS: '50' };
    const first = await startApp(env, {}, dataDir);
    const phone = '+447700900801';
    expect((await textTheApp(first, phone, 'Please send me the steps')).status).toBe(200);
    const [kase] = (await first.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;

    const texts = ['Step 1: unplug it', 'Step 2: wait ten seconds', 'Step 3: plug it in', 'Step 4: wait for the green light', 'Step 5: reply OK'];
    // the first answer meets an outage, so it is backing off when the app stops
    api.failNext(1, { status: 503, message: 'Service Unavailable' });
    for (const text of texts) expect((await first.api('POST', `/api/v1/cases/${kase.number}/replies`, { text })).status).toBe(202);
    await eventually(async () => api.requests.length >= 2, 5_000, 'the first sends');
    await first.close();

    const pendingAtStop = await countPending(dataDir);
    const sentBeforeStop = api.sends.length;
    expect(sentBeforeStop).toBeLessThan(texts.length);
    expect(pendingAtStop).toBe(texts.length - sentBeforeStop);

    const second = await startApp(env, {}, dataDir);
    try {
      await eventually(async () => api.sends.length === texts.length, 15_000, 'every answer to be sent');
      // nothing more trickles in afterwards
      await new Promise((resolve) => setTimeout(resolve, 700));
      const bodies = api.sends.map((s) => s.params.Body).sort();
      expect(bodies).toEqual([...texts].sort());
      expect(api.sends.every((s) => s.params.To === phone)).toBe(true);
      const items = await inStore(second.app.switchboard.db).outboxItem.findMany();
      expect(items.map((i) => i.status)).toEqual(texts.map(() => 'done'));
      // a send handed back at the stop costs its one attempt, it is not retried while the app stops
      expect(Math.max(...items.map((i) => i.attempts))).toBeLessThanOrEqual(3);
      const view = (await second.api('GET', `/api/v1/cases/${kase.number}`)).body;
      const outbound = view.interactions.filter((i: any) => i.direction === 'outbound');
      expect(outbound.map((i: any) => [i.text, i.status, i.error])).toEqual(texts.map((text) => [text, 'queued', null]));
    } finally {
      await second.close();
    }
  });
});

/** Opens the stopped app's database, without an app around it, to count what it left in the outbox. */
async function countPending(dataDir: string): Promise<number> {
  const db = await Db.open({ url: await testDatabaseUrl(dataDir), synchronous: 'NORMAL' });
  try {
    return await inStore(db).outboxItem.count({ where: { status: 'pending' } });
  } finally {
    await db.close();
  }
}
