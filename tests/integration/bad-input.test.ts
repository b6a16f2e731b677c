import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startApp({ PUBLIC_RATE_LIMIT: '30', CHAT_MESSAGES_PER_SECOND: '2', CHAT_BURST: '5' });
});
afterAll(() => t.close());

async function counts() {
  const p = inStore(t.app.switchboard.db);
  return { interactions: await p.interaction.count(), cases: await p.case.count(), outbox: await p.outboxItem.count() };
}

async function seededCase(email: string) {
  const c = await ChatClient.open(t.url, { email });
  c.send({ type: 'message', id: 'x', text: 'hello' });
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${email}`)).body.items[0]);
  await c.close();
  return kase;
}

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });
}

describe('bad input gets a clear 4xx and changes nothing', () => {
  it('REST: malformed JSON, missing fields, unknown case, wrong types, long text', async () => {
    const kase = await seededCase('bad@example.com');
    const before = await counts();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', `/api/v1/cases/${kase.number}/replies`, '{"text": ', 400, 'INVALID_JSON'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, {}, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, { text: '   ' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, { text: 42 }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, { text: 'x'.repeat(64 * 1024 + 1) }, 413, 'TEXT_TOO_LONG'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, { text: 'x'.repeat(600 * 1024) }, 413, 'PAYLOAD_TOO_LARGE'],
      ['POST', `/api/v1/cases/${kase.number}/replies`, { text: 'x'.repeat(300 * 1024) }, 413, 'TEXT_TOO_LONG'],
      ['POST', '/api/v1/cases/CS9999999/replies', { text: 'hi' }, 404, 'CASE_NOT_FOUND'],
      ['GET', '/api/v1/cases/CS9999999', undefined, 404, 'CASE_NOT_FOUND'],
      ['GET', '/api/v1/cases/not-a-case', undefined, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/v1/cases/${kase.number}`, { state: 'exploded' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/v1/cases/${kase.number}`, { priority: 9 }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/v1/cases/${kase.number}`, {}, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/v1/cases/${kase.number}`, { queue: 'Nowhere' }, 404, 'QUEUE_NOT_FOUND'],
      ['PATCH', `/api/v1/cases/${kase.number}`, { assignee: 'ghost' }, 404, 'AGENT_NOT_FOUND'],
      ['GET', '/api/v1/cases?limit=100000', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/cases?cursor=garbage', undefined, 400, 'INVALID_CURSOR'],
      ['GET', '/api/v1/nothing-here', undefined, 404, 'NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await t.api(method, path, body);
      expect({ path, body: JSON.stringify(body)?.slice(0, 40), status: r.status, code: r.body?.error?.code }).toEqual({
        path,
        body: JSON.stringify(body)?.slice(0, 40),
        status,
        code,
      });
      expect(typeof r.body.error.message).toBe('string');
    }
    expect(await counts()).toEqual(before);
    expect((await t.api('GET', `/api/v1/cases/${kase.number}`)).body.state).toBe('new');
  });

  it('REST: a wrong content type is refused', async () => {
    const res = await fetch(`${t.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('chat sessions: invalid fields are refused', async () => {
    const before = await inStore(t.app.switchboard.db).chatSession.count();
    for (const body of [{ email: 'not-an-email' }, { name: 'x'.repeat(500) }, { nickname: 'x' }, [1, 2]]) {
      const res = await fetch(`${t.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.code).toBe('VALIDATION_FAILED');
    }
    expect(await inStore(t.app.switchboard.db).chatSession.count()).toBe(before);
  });

  it('chat socket: unknown token is refused before the upgrade; a token only reaches its own session', async () => {
    expect(await upgradeStatus(`${t.url.replace('http', 'ws')}/chat/ws?token=chat_forged`)).toBe(401);
    expect(await upgradeStatus(`${t.url.replace('http', 'ws')}/chat/ws`)).toBe(401);

    const a = await ChatClient.open(t.url, { email: 'a-scope@example.com' });
    a.send({ type: 'message', id: 'secret', text: 'my account number is 1234' });
    await a.waitFor((f) => f.type === 'ack');
    const b = await ChatClient.open(t.url, { email: 'b-scope@example.com' });
    const history = await b.waitFor((f) => f.type === 'history');
    expect(history.messages).toEqual([]);
    // B reusing A's message id writes into B's own session, never A's
    b.send({ type: 'message', id: 'secret', text: 'hello from b' });
    const ack = await b.waitFor((f) => f.type === 'ack');
    expect(ack.duplicate).toBe(false);
    await a.close();
    await b.close();
  });

  it('chat socket: malformed frames get coded errors and the socket stays usable', async () => {
    const c = await ChatClient.open(t.url, { email: 'frames@example.com' });
    await c.waitFor((f) => f.type === 'history');
    const before = await counts();
    c.send('{not json');
    c.send({ type: 'message' });
    c.send({ type: 'launch' });
    c.send({ type: 'message', text: 'y'.repeat(64 * 1024 + 1) });
    const errors = await eventually(async () => {
      const e = c.frames.filter((f) => f.type === 'error');
      return e.length === 4 ? e : null;
    });
    expect(errors.map((e) => e.error.code)).toEqual(['INVALID_JSON', 'INVALID_MESSAGE', 'UNKNOWN_TYPE', 'TEXT_TOO_LONG']);
    expect(await counts()).toEqual(before);
    await new Promise((r) => setTimeout(r, 1100)); // let the bucket refill
    c.send({ type: 'message', id: 'ok', text: 'still works' });
    await c.waitFor((f) => f.type === 'ack' && f.id === 'ok');
    await c.close();
  });

  it('chat socket: a flooding client is rate-limited', async () => {
    const c = await ChatClient.open(t.url, { email: 'flood@example.com' });
    await c.waitFor((f) => f.type === 'history');
    for (let i = 0; i < 30; i++) c.send({ type: 'message', id: `f${i}`, text: `flood ${i}` });
    await c.waitFor((f) => f.type === 'error' && f.error.code === 'RATE_LIMITED');
    await new Promise((r) => setTimeout(r, 300));
    const acks = c.frames.filter((f) => f.type === 'ack').length;
    expect(acks).toBeLessThanOrEqual(6);
    expect(acks).toBeGreaterThanOrEqual(5);
    await c.close();
  });

  it('the session endpoint is rate-limited per client', async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await fetch(`${t.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (res.status === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(((await limited!.json()) as any).error.code).toBe('RATE_LIMITED');
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
