import { inStore } from '../support/store-rows.ts';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN, startApp, type TestApp } from '../support/test-app.ts';

/**
 * Sends the headers of a request whose body is `declaredBytes` long but only `sentBytes` of it, and
 * resolves with the status line the server answers before the rest arrives (or 'no answer').
 */
async function answerBeforeBody(url: string, head: string[], declaredBytes: number, sentBytes: number, waitMs = 3000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer');
    }, waitMs);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.split('\r\n')[0]!);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (answer) resolve(answer.split('\r\n')[0]!);
      else reject(err);
    });
    socket.write([...head, `Content-Length: ${declaredBytes}`, 'Connection: close', '', ''].join('\r\n'));
    socket.write('['.repeat(sentBytes));
  });
}

async function wsOpen(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return ws;
}

const closed = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

describe('authentication comes before the body', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('an unauthenticated write is 401, not a schema error', async () => {
    const res = await t.api('POST', '/api/v1/rules', {}, 'sb_wrong');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    const none = await fetch(`${t.url}/api/v1/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
  });

  it('a 16 MB body without a token is answered 401 after its first bytes, and the server keeps serving meanwhile', async () => {
    const pending = answerBeforeBody(t.url, ['PATCH /api/v1/rules HTTP/1.1', 'Host: x', 'Content-Type: application/json'], 16 * 1024 * 1024, 64 * 1024);
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await pending).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('an admin token does not make a body over the route limit acceptable: 413 as soon as it is declared', async () => {
    const line = await answerBeforeBody(
      t.url,
      ['PATCH /api/v1/rules HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Authorization: Bearer ${ADMIN}`],
      16 * 1024 * 1024,
      1024,
    );
    expect(line).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('deep nesting within the limit is refused before it is parsed', async () => {
    const before = (await t.api('GET', '/api/v1/rules')).body.version;
    const res = await t.api('PATCH', '/api/v1/rules', `{"rules":${'['.repeat(500_000)}${']'.repeat(500_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_JSON' });
    expect(res.body.error.message).toMatch(/nests deeper than 64/);
    expect((await t.api('GET', '/api/v1/rules')).body.version).toBe(before);
  });

  it('an API token in the query string is not accepted outside WebSocket upgrades', async () => {
    const res = await fetch(`${t.url}/api/v1/cases?access_token=${ADMIN}`);
    expect(res.status).toBe(401);
  });
});

describe('open streams follow their token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('the agent stream takes the Authorization header as well as access_token', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const hello = await new Promise<any>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.once('error', reject);
    });
    expect(hello).toMatchObject({ type: 'hello', role: 'admin' });
    ws.close();
  });

  it('revoking a token closes its open streams, and only its own', async () => {
    const issued = await t.api('POST', '/api/v1/tokens', { role: 'supervisor', label: 'wall screen' });
    const other = await t.api('POST', '/api/v1/tokens', { role: 'supervisor', label: 'another screen' });
    const ws = await wsOpen(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${issued.body.token}`);
    const kept = await wsOpen(`${t.url.replace('http', 'ws')}/api/v1/stream`, { authorization: `Bearer ${other.body.token}` });
    const closing = closed(ws);
    expect((await t.api('DELETE', `/api/v1/tokens/${issued.body.id}`)).status).toBe(204);
    expect(await closing).toEqual({ code: 4401, reason: 'token revoked' });
    expect(kept.readyState).toBe(WebSocket.OPEN);
    kept.close();
    // and it cannot come back
    await expect(wsOpen(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${issued.body.token}`)).rejects.toThrow('upgrade refused: 401');
  });

  it("changing an agent's role closes the streams of that agent's tokens with 4409, not as a sign-out: a new stream has the new role", async () => {
    const agent = await t.api('POST', '/api/v1/agents', { name: 'Role Change', email: 'role.change@support.test' });
    const url = `${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${agent.body.token}`;
    const ws = await wsOpen(url);
    const closing = closed(ws);
    expect((await t.api('PATCH', `/api/v1/agents/${agent.body.id}`, { role: 'supervisor' })).status).toBe(200);
    expect(await closing).toEqual({ code: 4409, reason: 'role changed: connect again' });
    const again = await wsOpen(url);
    again.close();
  });

  it('a token revoked by another process (straight in the store) closes its streams too', async () => {
    const issued = await t.api('POST', '/api/v1/tokens', { role: 'agent', label: 'revoked elsewhere' });
    const ws = await wsOpen(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${issued.body.token}`);
    const closing = closed(ws);
    await inStore(t.app.switchboard.db).apiToken.updateMany({ where: { id: issued.body.id }, data: { revokedAt: new Date() } });
    expect(await closing).toMatchObject({ code: 4401 });
  });
});

describe('limits on the public surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WEBHOOK_RATE_LIMIT: '5', AUTH_FAILURE_LIMIT: '3', EMAIL_WEBHOOK_TOKEN: 'hook-secret-token' });
  });
  afterAll(() => t.close());

  it('webhooks are rate-limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${t.url}/webhooks/twilio/status`, { method: 'POST' });
      statuses.push(res.status);
    }
    // the SMS channel is off here: its webhooks answer 503 until the limit, then 429
    expect(statuses).toEqual([503, 503, 503, 503, 503, 429]);
  });

  it('an address that fails authentication too often is refused, even with a good token, until the minute ends; probes still answer', async () => {
    expect((await t.api('GET', '/api/v1/cases')).status).toBe(200);
    for (const token of ['sb_guess1', 'sb_guess2']) expect((await t.api('GET', '/api/v1/cases', undefined, token)).status).toBe(401);
    const mail = await fetch(`${t.url}/webhooks/email`, { method: 'POST', headers: { authorization: 'Bearer guess', 'content-type': 'message/rfc822' }, body: 'x' });
    expect(mail.status).toBe(401);
    const refused = await fetch(`${t.url}/api/v1/cases`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as any).error.code).toBe('RATE_LIMITED');
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('behind a reverse proxy (TRUST_PROXY=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ TRUST_PROXY: 'true', AUTH_FAILURE_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('the client address is the one the proxy appended: a client cannot dodge the limit by writing its own X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      // this test stands in for the proxy, which appends the address it saw (10.0.0.5) to whatever the client sent
      const res = await fetch(`${t.url}/api/v1/cases`, { headers: { authorization: 'Bearer sb_guess', 'x-forwarded-for': `9.9.9.${i}, 10.0.0.5` } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
    // another client behind the same proxy is not locked out
    const other = await fetch(`${t.url}/api/v1/cases`, { headers: { authorization: `Bearer ${ADMIN}`, 'x-forwarded-for': '10.0.0.6' } });
    expect(other.status).toBe(200);
  });

  it('a malformed TRUST_PROXY stops the start', async () => {
    await expect(startApp({ TRUST_PROXY: 'yes please' })).rejects.toThrow(/TRUST_PROXY must be/);
  });
});
