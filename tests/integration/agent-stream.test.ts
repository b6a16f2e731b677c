import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChatClient, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agentToken: string;

beforeAll(async () => {
  t = await startApp();
  agentToken = (await t.api('POST', '/api/v1/agents', { name: 'Stream Agent', email: 'stream@support.test' })).body.token;
});
afterAll(() => t.close());

/** An agent console's socket, recording every frame. */
async function openStream(token: string) {
  const frames: any[] = [];
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${encodeURIComponent(token)}`);
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (pred: (f: any) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = frames.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching frame in ${JSON.stringify(frames).slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ws, frames, waitFor };
}

/** The HTTP status the server answers a WebSocket upgrade with, when it refuses it. */
async function upgradeStatus(query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream${query}`);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', () => undefined);
  });
}

describe('agent stream', () => {
  it('refuses a missing or unknown token before the upgrade', async () => {
    expect(await upgradeStatus('')).toBe(401);
    expect(await upgradeStatus('?access_token=sb_nope')).toBe(401);
  });

  it('pushes new cases, customer messages, replies and their delivery to a connected agent', async () => {
    const stream = await openStream(agentToken);
    expect(await stream.waitFor((f) => f.type === 'hello')).toMatchObject({ role: 'agent' });

    const visitor = await ChatClient.open(t.url, { name: 'Pia', email: 'pia@example.com' });
    visitor.send({ type: 'message', id: 'p1', text: 'Where is my refund?' });

    const created = await stream.waitFor((f) => f.type === 'case.created');
    expect(created.case).toMatchObject({ state: 'new', channel: 'chat', contact: { email: 'pia@example.com' } });
    const inbound = await stream.waitFor((f) => f.type === 'interaction.added' && f.interaction?.direction === 'inbound');
    expect(inbound.interaction.text).toBe('Where is my refund?');
    expect(inbound.case.number).toBe(created.case.number);

    const reply = await t.api('POST', `/api/v1/cases/${created.case.number}/replies`, { text: 'Refunded today.' }, agentToken);
    expect(reply.status).toBe(202);
    const outbound = await stream.waitFor((f) => f.type === 'interaction.added' && f.interaction?.id === reply.body.interactionId);
    expect(outbound.interaction).toMatchObject({ direction: 'outbound', text: 'Refunded today.' });
    const delivered = await stream.waitFor((f) => f.type === 'interaction.status' && f.interaction?.id === reply.body.interactionId && f.interaction.status === 'delivered');
    expect(delivered.case.state).toBe('awaiting_customer');

    // events keep their order: the inbound message comes before the answer to it
    const order = stream.frames.filter((f) => f.interaction).map((f) => f.interaction.id);
    expect(order.indexOf(inbound.interaction.id)).toBeLessThan(order.indexOf(reply.body.interactionId));

    await visitor.close();
    stream.ws.close();
  });

  it('a socket that sends junk stays open and keeps receiving', async () => {
    const stream = await openStream(agentToken);
    stream.ws.send('not json at all');
    stream.ws.send('{"type":"ping"}');
    expect(await stream.waitFor((f) => f.type === 'pong')).toEqual({ type: 'pong' });
    const visitor = await ChatClient.open(t.url, { email: 'junk@example.com' });
    visitor.send({ type: 'message', text: 'still there?' });
    await stream.waitFor((f) => f.type === 'case.created' && f.case.contact.email === 'junk@example.com');
    await visitor.close();
    stream.ws.close();
  });
});
