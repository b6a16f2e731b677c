import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, startApp, type TestApp } from '../support/test-app.ts';

/** JSON text with a lone surrogate escape, which JSON.stringify would never produce from valid text. */
const LONE = '"\\ud800"';

describe('lone UTF-16 surrogates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const counts = async () => {
    const p = inStore(t.app.switchboard.db);
    return { sessions: await p.chatSession.count(), agents: await p.agent.count(), queues: await p.queue.count(), tokens: await p.apiToken.count() };
  };

  it('are refused with 400 INVALID_UNICODE on every JSON route, naming where, and nothing is stored', async () => {
    const before = await counts();
    const session = await fetch(`${t.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"name":${LONE}}` });
    expect(session.status).toBe(400);
    expect(((await session.json()) as any).error).toMatchObject({ code: 'INVALID_UNICODE', message: expect.stringContaining('body/name') });
    for (const [path, body] of [
      ['/api/v1/agents', `{"name":"a\\udc00b"}`],
      ['/api/v1/queues', `{"name":${LONE}}`],
      ['/api/v1/tokens', `{"role":"agent","label":${LONE}}`],
      ['/api/v1/agents', `{"name":"ok","skills":["x",${LONE}]}`],
      ['/api/v1/agents', `{${LONE}:"key"}`],
    ] as const) {
      const res = await t.api('POST', path, body);
      expect(res.status, `${path} ${body}`).toBe(400);
      expect(res.body.error.code).toBe('INVALID_UNICODE');
    }
    expect(await counts()).toEqual(before);
  });

  it('a surrogate pair (an emoji) written as escapes is fine', async () => {
    const res = await t.api('POST', '/api/v1/queues', '{"name":"Support \\ud83d\\ude00"}');
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Support 😀');
  });

  it('a chat frame with one is refused on the socket, and the socket stays usable', async () => {
    const visitor = await ChatClient.open(t.url);
    visitor.send(`{"type":"message","id":"u1","text":"hi \\udfff"}`);
    expect(await visitor.waitFor((f) => f.type === 'error')).toMatchObject({ error: { code: 'INVALID_UNICODE' } });
    visitor.send({ type: 'message', id: 'u2', text: 'hi again' });
    expect(await visitor.waitFor((f) => f.type === 'ack')).toMatchObject({ id: 'u2' });
    await visitor.close();
  });
});
