/**
 * Two gateways on one PostgreSQL database, one killed (SIGKILL) half-way through a stream of 1,000 SMS
 * webhooks from 100 numbers, sent to both in turn and retried the way Twilio's are (an unanswered or
 * failed delivery goes again, same MessageSid); then killed again while the agents' answers are being
 * sent. Every acknowledged message is stored once, each number has one case, nothing is left unprocessed,
 * and every answer reaches the provider once (again only where the provider had not answered the dead
 * instance's request: the window no outbox can close against a provider that does not deduplicate).
 */
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inboundSmsFields, postTwilioWebhook, smsTestEnv, startFakeTwilioApi, TEST_TWILIO } from '../support/fake-twilio-api.ts';
import { ADMIN, eventually, tempDir } from '../support/test-app.ts';
import { spawnServer } from '../support/server-child.ts';
import { inStore } from '../support/store-rows.ts';
import { testDatabaseUrl } from '../support/test-database.ts';
import { Db } from '../../store/db.ts';

const NUMBERS = 100;
const PER_NUMBER = 10;
const IN_FLIGHT = 20;

const phoneOf = (n: number) => `+4477009${String(10_000 + n).padStart(5, '0')}`;
const sidOf = (i: number) => `SM${i.toString(16).padStart(32, '0')}`;

async function killed(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

describe('two instances, one killed', () => {
  it('loses and doubles nothing: 1,000 retried webhooks, then the answers', async () => {
    const dataDir = tempDir();
    const api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
    const env = {
      ...smsTestEnv(api),
      SMS_RATE_PER_SECOND: '1000',
      SMS_ACCOUNT_RATE_PER_SECOND: '1000',
      OUTBOX_LEASE_MS: '1500',
      PIPELINE_RESCAN_MS: '1000',
      LOG_LEVEL: 'error',
    };
    const servers = [await spawnServer(dataDir, env), await spawnServer(dataDir, env)];
    const store = await Db.open({ url: await testDatabaseUrl(dataDir) });
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    try {
      // --- 1,000 webhooks, every tenth message of a number after the others' ---
      const messages = [...Array(NUMBERS * PER_NUMBER).keys()].map((i) => ({ sid: sidOf(i), from: phoneOf(i % NUMBERS), body: `Order ${i % NUMBERS} question ${Math.floor(i / NUMBERS) + 1}` }));
      const acknowledged = new Set<string>();
      let deliveries = 0;
      let next = 0;
      let restart: Promise<void> | null = null;
      const deliver = async (m: (typeof messages)[number], index: number) => {
        const fields = inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from: m.from, to: TEST_TWILIO.from, body: m.body, sid: m.sid });
        for (let attempt = 0; ; attempt++) {
          // in turn to both; a retry goes to the other one
          const target = servers[(index + attempt) % 2]!;
          deliveries++;
          const ok = await postTwilioWebhook({ appUrl: target.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields)
            .then((r) => r.status === 200)
            .catch(() => false);
          if (ok) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < messages.length) {
            const index = next++;
            await deliver(messages[index]!, index);
            acknowledged.add(messages[index]!.sid);
            if (acknowledged.size === messages.length / 2 && !restart) {
              // half-way: the first instance dies mid-stream and comes back a second later
              restart = (async () => {
                await killed(servers[0]!.proc);
                await new Promise((r) => setTimeout(r, 1_000));
                servers[0] = await spawnServer(dataDir, env);
              })();
            }
          }
        }),
      );
      await restart;
      expect(acknowledged.size).toBe(messages.length);
      // some deliveries were refused or unanswered while the instance was down, and went again
      expect(deliveries).toBeGreaterThan(messages.length);

      const inbound = await eventually(
        async () => {
          const rows = await inStore(store).interaction.findMany({ where: { channel: 'sms', direction: 'inbound' } });
          return rows.length >= messages.length && rows.every((r) => r.status === 'processed') ? rows : null;
        },
        60_000,
        'every acknowledged message processed',
      );
      expect(inbound).toHaveLength(messages.length);
      expect(new Set(inbound.map((r) => r.externalId))).toEqual(new Set(messages.map((m) => m.sid)));
      expect(await inStore(store).case.count()).toBe(NUMBERS);
      for (let n = 0; n < NUMBERS; n++) {
        const mine = inbound.filter((r) => r.fromAddress === phoneOf(n));
        expect(mine).toHaveLength(PER_NUMBER);
        expect(new Set(mine.map((r) => r.caseId)).size).toBe(1);
      }

      // --- one answer per case through both instances, the second one killed while they are sent ---
      api.reset();
      // slow enough that the kill finds sends at the provider unanswered
      api.answerAfter(150);
      const cases = ((await (await fetch(`${servers[0]!.url}/api/v1/cases?limit=200`, { headers })).json()) as { items: Array<{ number: string }> }).items;
      expect(cases).toHaveLength(NUMBERS);
      const texts = cases.map((c) => `About ${c.number}: your order ships today`);
      for (const [i, c] of cases.entries()) {
        const res = await fetch(`${servers[i % 2]!.url}/api/v1/cases/${c.number}/replies`, { method: 'POST', headers, body: JSON.stringify({ text: texts[i] }) });
        expect(res.status).toBe(202);
      }
      await eventually(async () => (api.requests.length >= 30 ? true : null), 20_000, 'the first sends');
      await killed(servers[1]!.proc);
      // what was recorded sent when the instance died: none of it may go again
      const recordedSent = new Set(
        (await inStore(store).interaction.findMany({ where: { channel: 'sms', direction: 'outbound' }, include: { outbox: true } }))
          .filter((r) => (r.outbox as { status: string } | null)?.status === 'done')
          .map((r) => r.text),
      );
      servers[1] = await spawnServer(dataDir, env);
      await eventually(async () => ((await inStore(store).outboxItem.count({ where: { status: { not: 'done' } } })) === 0 ? true : null), 60_000, 'every answer sent');
      // whatever the dead instance had at the provider is answered by now
      await new Promise((r) => setTimeout(r, 500));
      // every answer reached the provider exactly once: what the dead instance had sent without recording it
      // was found at the provider by the instance that took the entry over, not sent again
      const copiesOf = (text: string) => api.requests.filter((r) => r.params.Body === text).length;
      expect(texts.map((text) => [text, copiesOf(text)])).toEqual(texts.map((text) => [text, 1]));
      const outbound = await inStore(store).interaction.findMany({ where: { channel: 'sms', direction: 'outbound' } });
      expect(new Set(outbound.map((r) => r.externalId)).size).toBe(texts.length);
      expect(api.lookups).toBeGreaterThan(0);
      console.info(
        `kill test: ${deliveries} deliveries for ${messages.length} webhooks, ${inbound.length} stored once; ${texts.length} answers, ${recordedSent.size} recorded sent at the kill, ${api.lookups} looked up at the provider, each sent once`,
      );
    } finally {
      for (const s of servers) await killed(s.proc);
      await store.close();
      await api.close();
    }
  }, 180_000);
});
