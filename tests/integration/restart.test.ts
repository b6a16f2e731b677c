import { inStore } from '../support/store-rows.ts';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { INBOUND_PATH } from '../../channels/sms/sms.routes.ts';
import { inboundSmsFields, signTwilioWebhook, smsTestEnv, startFakeTwilioApi, TEST_TWILIO } from '../support/fake-twilio-api.ts';
import { ADMIN, ChatClient, eventually, startApp, tempDir } from '../support/test-app.ts';
import { spawnServer } from '../support/server-child.ts';
import { testDatabaseUrl } from '../support/test-database.ts';
import { Db } from '../../store/db.ts';

describe('work left half-done is finished after a restart', () => {
  it('a message stored but not processed when the app stopped is processed at the next start', async () => {
    const dataDir = tempDir();
    const first = await startApp({}, {}, dataDir);
    // The worker stops first: the message below is stored and acknowledged, but never processed here.
    await first.app.switchboard.pipeline.stop();
    const c = await ChatClient.open(first.url, { email: 'resume@example.com' });
    c.send({ type: 'message', id: 'r1', text: 'stored before the stop' });
    const ack = await c.waitFor((f) => f.type === 'ack');
    const stored = await inStore(first.app.switchboard.db).interaction.findUniqueOrThrow({ where: { id: ack.interactionId } });
    expect(stored.status).toBe('received');
    expect(stored.caseId).toBeNull();
    await c.close();
    await first.close();

    const second = await startApp({}, {}, dataDir);
    try {
      const row = await eventually(async () => {
        const r = await inStore(second.app.switchboard.db).interaction.findUniqueOrThrow({ where: { id: ack.interactionId } });
        return r.status === 'processed' ? r : null;
      });
      expect(row.caseId).not.toBeNull();
      const list = await second.api('GET', '/api/v1/cases?contact=resume@example.com');
      expect(list.body.items).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('an outbound message claimed by a worker that died is sent after its lease expires', async () => {
    const dataDir = tempDir();
    const first = await startApp({ OUTBOX_LEASE_MS: '300' }, {}, dataDir);
    const c = await ChatClient.open(first.url, { email: 'lease@example.com' });
    c.send({ type: 'message', id: 'l1', text: 'hello' });
    const kase = await eventually(async () => (await first.api('GET', '/api/v1/cases?contact=lease@example.com')).body.items[0]);
    await first.app.switchboard.outbox.stop();
    const reply = await first.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'answer after the crash' });
    // Pretend a worker claimed it and died: the lease is held but nothing was sent.
    const db = first.app.switchboard.db;
    await inStore(db).outboxItem.updateMany({ where: { interactionId: reply.body.interactionId }, data: { lockedUntil: new Date(Date.now() + 300), attempts: 1 } });
    await c.close();
    await first.close();

    const second = await startApp({ OUTBOX_LEASE_MS: '300' }, {}, dataDir);
    try {
      await c.connect(second.url);
      const msg = await c.waitFor((f) => (f.type === 'message' && f.text === 'answer after the crash') || (f.type === 'history' && f.messages.some((m: any) => m.text === 'answer after the crash')));
      expect(msg).toBeTruthy();
      // recorded as done once the send has returned
      const item = await eventually(() => inStore(second.app.switchboard.db).outboxItem.findFirst({ where: { interactionId: reply.body.interactionId, status: 'done' } }));
      expect(item.attempts).toBe(2);
      await c.close();
    } finally {
      await second.close();
    }
  });
});

describe('killed without warning (SIGKILL)', () => {
  it('every acknowledged message survives, is processed once, and nothing is doubled', async () => {
    const dataDir = tempDir();
    const { proc, url } = await spawnServer(dataDir);
    const res = await fetch(`${url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'kill@example.com' }) });
    const session = (await res.json()) as { token: string };
    const ws = new WebSocket(`${url.replace('http', 'ws')}/chat/ws?token=${session.token}`);
    const acked = new Set<string>();
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'ack') acked.add(f.id);
      // kill mid-stream, with messages stored, in flight and unprocessed
      if (acked.size === 15) proc.kill('SIGKILL');
    });
    await new Promise((r) => ws.once('open', r));
    const sent: string[] = [];
    for (let i = 0; i < 60 && ws.readyState === ws.OPEN; i++) {
      const id = `k${i}`;
      sent.push(id);
      ws.send(JSON.stringify({ type: 'message', id, text: `message ${i}` }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r(null) : proc.once('exit', r)));
    expect(acked.size).toBeGreaterThanOrEqual(15);

    // the visitor resends everything without an ack, as the widget does; stored ones are not doubled
    const again = await spawnServer(dataDir);
    try {
      const ws2 = new WebSocket(`${again.url.replace('http', 'ws')}/chat/ws?token=${session.token}`);
      const acks2 = new Map<string, boolean>();
      ws2.on('message', (d) => {
        const f = JSON.parse(d.toString());
        if (f.type === 'ack') acks2.set(f.id, f.duplicate);
      });
      await new Promise((r) => ws2.once('open', r));
      const resend = [...acked].slice(0, 5).concat(sent.filter((id) => !acked.has(id)));
      for (const id of resend) ws2.send(JSON.stringify({ type: 'message', id, text: `message ${id.slice(1)}` }));
      await eventually(async () => acks2.size === resend.length);
      for (const id of [...acked].slice(0, 5)) expect(acks2.get(id)).toBe(true);

      const total = sent.length;
      const headers = { authorization: `Bearer ${ADMIN}` };
      const detail = await eventually(async () => {
        const list = (await (await fetch(`${again.url}/api/v1/cases?contact=kill@example.com`, { headers })).json()) as any;
        if (list.items.length !== 1) return null;
        const c = (await (await fetch(`${again.url}/api/v1/cases/${list.items[0].number}`, { headers })).json()) as any;
        return c.interactions.length === total ? c : null;
      }, 20_000, 'all messages on one case');
      const texts = detail.interactions.map((i: any) => i.text);
      expect(new Set(texts).size).toBe(total);
      ws2.close();
    } finally {
      again.proc.kill('SIGTERM');
      await new Promise((r) => again.proc.once('exit', r));
    }
  }, 60_000);

  it('SMS webhooks stored in shared commits: every one answered 200 before the kill is kept, and Twilio\'s retries double none', async () => {
    const api = await startFakeTwilioApi();
    const env = { ...smsTestEnv(api), PUBLIC_RATE_LIMIT: '100000' };
    const dataDir = tempDir();
    const first = await spawnServer(dataDir, env);
    const numbers = Array.from({ length: 30 }, (_, i) => `+1555${String(2_000_000 + i).slice(-7)}`);
    const messages = Array.from({ length: 300 }, (_, i) => ({ sid: `SM${String(i).padStart(32, '0')}`, from: numbers[i % numbers.length]!, body: `message ${i}` }));
    const post = (base: string, m: (typeof messages)[number]) => {
      const fields = inboundSmsFields({ sid: m.sid, accountSid: TEST_TWILIO.accountSid, from: m.from, to: TEST_TWILIO.from, body: m.body });
      return fetch(`${base}${INBOUND_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioWebhook(TEST_TWILIO.authToken, `${TEST_TWILIO.publicUrl}${INBOUND_PATH}`, fields),
        },
        body: new URLSearchParams(fields).toString(),
      });
    };
    try {
      // 30 in flight at a time, so acknowledgements share commits; killed once 100 are answered
      const acked = new Set<string>();
      let next = 0;
      await Promise.all(
        Array.from({ length: 30 }, async () => {
          while (next < messages.length) {
            const m = messages[next++]!;
            try {
              const res = await post(first.url, m);
              if (res.status === 200) acked.add(m.sid);
            } catch {
              return; // the server is gone
            }
            if (acked.size >= 100 && first.proc.exitCode === null && !first.proc.signalCode) first.proc.kill('SIGKILL');
          }
        }),
      );
      await new Promise((r) => (first.proc.exitCode !== null || first.proc.signalCode ? r(null) : first.proc.once('exit', r)));
      expect(acked.size).toBeGreaterThanOrEqual(100);
      expect(acked.size).toBeLessThan(messages.length);

      const store = await Db.open({ url: await testDatabaseUrl(dataDir) });
      const smsInbound = () => inStore(store).interaction.findMany({ where: { channel: 'sms', direction: 'inbound' } });
      const storedSids = async () => new Set((await smsInbound()).map((r) => r.externalId as string));
      // nothing acknowledged was lost with the process
      const afterKill = await storedSids();
      for (const sid of acked) expect(afterKill.has(sid)).toBe(true);

      // Twilio retries what it got no 200 for; resending everything also proves repeats are recognised
      const again = await spawnServer(dataDir, env);
      try {
        for (let i = 0; i < messages.length; i += 30) {
          const statuses = await Promise.all(messages.slice(i, i + 30).map(async (m) => (await post(again.url, m)).status));
          expect(statuses.every((st) => st === 200)).toBe(true);
        }
        await eventually(async () => (await inStore(store).interaction.count({ where: { direction: 'inbound', status: 'received' } })) === 0, 20_000, 'every message processed');
        const rows = (await smsInbound()).map((r) => ({ sid: r.externalId as string, caseId: r.caseId as number }));
        expect(rows.length).toBe(messages.length);
        expect(new Set(rows.map((r) => r.sid)).size).toBe(messages.length);
        // one case per number: no message opened a second one
        expect(new Set(rows.map((r) => r.caseId)).size).toBe(numbers.length);
      } finally {
        again.proc.kill('SIGTERM');
        await new Promise((r) => again.proc.once('exit', r));
        await store.close();
      }
    } finally {
      if (first.proc.exitCode === null && !first.proc.signalCode) first.proc.kill('SIGKILL');
      await api.close();
    }
  }, 90_000);
});
