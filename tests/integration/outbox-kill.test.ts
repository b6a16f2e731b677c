/**
 * SIGKILL in the middle of a burst of slow sends (a Messages API answering each text after 2 s): after
 * the restart every answer reaches the provider exactly once (one the dead process had at the provider
 * unanswered is found there by the next attempt, not sent again: Twilio does not deduplicate), nothing
 * reaches a customer who opted out, and the answers of each conversation arrive in the order written.
 */
import { describe, expect, it } from 'vitest';
import { inboundSmsFields, postTwilioWebhook, smsTestEnv, startFakeTwilioApi, TEST_TWILIO, type FakeTwilioRequest } from '../support/fake-twilio-api.ts';
import { ADMIN, eventually, tempDir } from '../support/test-app.ts';
import { spawnServer } from '../support/server-child.ts';
import { inStore } from '../support/store-rows.ts';
import { testDatabaseUrl } from '../support/test-database.ts';
import { Db } from '../../store/db.ts';

const ANSWER_AFTER_MS = 2_000;

describe('killed during a burst of slow sends (SIGKILL)', () => {
  it('after the restart each answer is delivered once, none after STOP, in order', async () => {
    const dataDir = tempDir();
    const api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
    const env = { ...smsTestEnv(api), OUTBOX_LEASE_MS: '1500', OUTBOX_CONCURRENCY: '16', SMS_RATE_PER_SECOND: '50', SMS_ACCOUNT_RATE_PER_SECOND: '50', LOG_LEVEL: 'error' };
    let first = await spawnServer(dataDir, env);
    const store = await Db.open({ url: await testDatabaseUrl(dataDir) });
    const pendingAnswers = () => inStore(store).outboxItem.count({ where: { status: 'pending' } });
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const text = async (url: string, from: string, body: string) => {
      const fields = inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body });
      const res = await postTwilioWebhook({ appUrl: url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields);
      expect(res.status).toBe(200);
    };
    try {
      const phones = ['+447700900301', '+447700900302', '+447700900303', '+447700900304', '+447700900305'];
      const stopper = phones.at(-1)!;
      const numbers = new Map<string, string>();
      for (const phone of phones) {
        await text(first.url, phone, 'Hello, I need help');
        const kase = await eventually(async () => {
          const list = (await (await fetch(`${first.url}/api/v1/cases?contact=${encodeURIComponent(phone)}`, { headers })).json()) as any;
          return list.items[0];
        });
        numbers.set(phone, kase.number);
      }
      // the acknowledgements are out of the way before the provider turns slow
      await eventually(async () => (await pendingAnswers()) === 0, 15_000, 'the acknowledgements');
      api.reset();
      api.answerAfter(ANSWER_AFTER_MS);

      const written = new Map<string, string[]>();
      for (const phone of phones) {
        const texts = [1, 2, 3].map((n) => `${numbers.get(phone)} answer ${n}`);
        written.set(phone, texts);
        for (const t of texts) {
          const res = await fetch(`${first.url}/api/v1/cases/${numbers.get(phone)}/replies`, { method: 'POST', headers, body: JSON.stringify({ text: t }) });
          expect(res.status).toBe(202);
        }
      }
      // the first answer of every conversation is at the provider, unanswered
      await eventually(async () => (api.requests.length >= phones.length ? true : null), 10_000, 'the first sends');
      await text(first.url, stopper, 'STOP');
      await eventually(async () => (await inStore(store).channelIdentity.count({ where: { address: stopper, optedOut: true } })) === 1, 10_000, 'the opt-out');
      const stoppedAt = Date.now();
      first.proc.kill('SIGKILL');
      await new Promise((r) => (first.proc.exitCode !== null || first.proc.signalCode ? r(null) : first.proc.once('exit', r)));

      first = await spawnServer(dataDir, env);
      await eventually(async () => (await pendingAnswers()) === 0, 30_000, 'the outbox to empty after the restart');
      // whatever the dead process had at the provider is answered by now
      await new Promise((r) => setTimeout(r, 300));

      const byPhone = new Map<string, FakeTwilioRequest[]>();
      for (const r of api.requests) byPhone.set(r.params.To!, [...(byPhone.get(r.params.To!) ?? []), r]);
      // nothing reached the customer who opted out after the STOP
      expect((byPhone.get(stopper) ?? []).filter((r) => r.at >= stoppedAt)).toEqual([]);
      for (const phone of phones.slice(0, -1)) {
        const received = byPhone.get(phone) ?? [];
        const bodies = received.map((r) => r.params.Body!);
        // each answer once, in the order written
        expect(bodies).toEqual(written.get(phone));
      }
      // the entries of the one who opted out ended failed, not sent
      const answers = await inStore(store).interaction.findMany({ where: { channel: 'sms', direction: 'outbound', kind: 'message' }, include: { outbox: true } });
      const stopperItems = answers.filter((a) => JSON.parse(a.meta ?? '{}').to === stopper).map((a) => a.outbox as { status: string; lastError: string | null });
      expect(stopperItems.filter((i) => i.status === 'failed').length).toBeGreaterThanOrEqual(2);
      expect(stopperItems.every((i) => i.status === 'failed' || i.status === 'done')).toBe(true);
    } finally {
      first.proc.kill('SIGKILL');
      await store.close();
      await api.close();
    }
  }, 90_000);
});
