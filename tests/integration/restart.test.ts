import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN, ChatClient, eventually, startApp, tempDir } from '../support/test-app.ts';

describe('work left half-done is finished after a restart', () => {
  it('a message stored but not processed when the app stopped is processed at the next start', async () => {
    const dataDir = tempDir();
    const first = await startApp({}, {}, dataDir);
    // The worker stops first: the message below is stored and acknowledged, but never processed here.
    await first.app.switchboard.pipeline.stop();
    const c = await ChatClient.open(first.url, { email: 'resume@example.com' });
    c.send({ type: 'message', id: 'r1', text: 'stored before the stop' });
    const ack = await c.waitFor((f) => f.type === 'ack');
    const stored = await first.app.switchboard.db.prisma.interaction.findUniqueOrThrow({ where: { id: ack.interactionId } });
    expect(stored.status).toBe('received');
    expect(stored.caseId).toBeNull();
    await c.close();
    await first.close();

    const second = await startApp({}, {}, dataDir);
    try {
      const row = await eventually(async () => {
        const r = await second.app.switchboard.db.prisma.interaction.findUniqueOrThrow({ where: { id: ack.interactionId } });
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
    await db.write((tx) => tx.outboxItem.updateMany({ where: { interactionId: reply.body.interactionId }, data: { lockedUntil: new Date(Date.now() + 300), attempts: 1 } }));
    await c.close();
    await first.close();

    const second = await startApp({ OUTBOX_LEASE_MS: '300' }, {}, dataDir);
    try {
      await c.connect(second.url);
      const msg = await c.waitFor((f) => (f.type === 'message' && f.text === 'answer after the crash') || (f.type === 'history' && f.messages.some((m: any) => m.text === 'answer after the crash')));
      expect(msg).toBeTruthy();
      // recorded as done once the send has returned
      const item = await eventually(() => second.app.switchboard.db.prisma.outboxItem.findFirst({ where: { interactionId: reply.body.interactionId, status: 'done' } }));
      expect(item.attempts).toBe(2);
      await c.close();
    } finally {
      await second.close();
    }
  });
});

/** Runs the real server as a separate process, so it can be killed without warning. */
function spawnServer(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('gateway/server.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', SMTP_PORT: '0', CHAT_MESSAGES_PER_SECOND: '1000', CHAT_BURST: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on('data', (d) => (out += d));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

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
});
