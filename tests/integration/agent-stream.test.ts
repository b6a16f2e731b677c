import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AGENT_STREAM_WINDOW } from '../../gateway/agent-stream.ts';
import type { GatewayEvent } from '../../gateway/events.ts';
import { parseCaseNumber } from '../../routing/case-number.ts';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';

let t: TestApp;
let agentToken: string;

beforeAll(async () => {
  t = await startApp();
  agentToken = (await t.api('POST', '/api/v1/agents', { name: 'Stream Agent', email: 'stream@support.test' })).body.token;
});
afterAll(() => t.close());

const openStream = (token: string) => openAgentStream(t.url, token);

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

/** A chat case opened by a visitor, its id, and the ids of the visitor's messages as the stream announced them. */
async function chatCase(stream: Awaited<ReturnType<typeof openStream>>, email: string, texts: string[]) {
  const visitor = await ChatClient.open(t.url, { email });
  const messages: string[] = [];
  for (const text of texts) {
    visitor.send({ type: 'message', text });
    const added = await stream.waitFor((f) => f.type === 'interaction.added' && f.interaction?.text === text && f.case.contact.email === email);
    messages.push(added.interaction.id);
  }
  const number: string = (await stream.waitFor((f) => f.type === 'case.created' && f.case.contact.email === email)).case.number;
  await visitor.close();
  return { caseId: parseCaseNumber(number)!, number, messages };
}

describe('agent stream when events outpace the store reads', () => {
  it('keeps every frame, in event order, and each interaction its own frame when a case has several events waiting', async () => {
    const { events } = t.app.switchboard;
    const stream = await openStream(agentToken);
    const a = await chatCase(stream, 'order-a@example.com', ['first of a', 'second of a']);
    const b = await chatCase(stream, 'order-b@example.com', ['only of b']);
    const [a1, a2, b1] = [a.messages[0]!, a.messages[1]!, b.messages[0]!];
    const added = (caseId: number, interactionId: string): GatewayEvent => ({ type: 'interaction.added', caseId, interactionId, direction: 'inbound', channel: 'chat', kind: 'message' });

    // emitted in one turn, so they wait together: a's case row serves four frames
    const burst: GatewayEvent[] = [
      { type: 'case.updated', caseId: a.caseId, changes: ['burst-start'] },
      added(a.caseId, a1),
      { type: 'case.updated', caseId: b.caseId, changes: ['burst-b'] },
      added(a.caseId, a2),
      { type: 'interaction.status', caseId: a.caseId, interactionId: a1, status: 'stored' },
      added(b.caseId, b1),
      { type: 'case.updated', caseId: a.caseId, changes: ['burst-end'] },
    ];
    for (const e of burst) events.emit(e);

    await stream.waitFor((f) => f.changes?.[0] === 'burst-end');
    const from = stream.frames.findIndex((f) => f.changes?.[0] === 'burst-start');
    const to = stream.frames.findIndex((f) => f.changes?.[0] === 'burst-end');
    const seen = stream.frames.slice(from, to + 1).map((f) => [f.type, f.case.number, f.interaction?.id ?? f.changes?.[0]]);
    expect(seen).toEqual([
      ['case.updated', a.number, 'burst-start'],
      ['interaction.added', a.number, a1],
      ['case.updated', b.number, 'burst-b'],
      ['interaction.added', a.number, a2],
      ['interaction.status', a.number, a1],
      ['interaction.added', b.number, b1],
      ['case.updated', a.number, 'burst-end'],
    ]);
    expect(stream.frames.filter((f) => f.type === 'resync')).toEqual([]);
    stream.ws.close();
  });

  it('holds at most a window of events, tells the console once to resync, keeps the event loop free and the order', async () => {
    const { events, agentStream } = t.app.switchboard;
    const stream = await openStream(agentToken);
    const { caseId } = await chatCase(stream, 'flood@example.com', ['flood me']);
    await eventually(async () => agentStream.pending() === 0, 10_000, 'the stream to be idle');

    let maxPending = 0;
    for (let i = 0; i < 20_000; i++) {
      events.emit({ type: 'case.updated', caseId, changes: [`flood-${i}`] });
      maxPending = Math.max(maxPending, agentStream.pending());
    }
    // from here on the gateway works the backlog off; the emitting loop above is the test's own
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await eventually(
      async () => {
        maxPending = Math.max(maxPending, agentStream.pending());
        return agentStream.pending() === 0;
      },
      30_000,
      'the backlog to be worked off',
    );
    loop.disable();

    expect(maxPending).toBe(AGENT_STREAM_WINDOW);
    // not a speed goal (that is the benchmark's): one unbounded chain blocked the loop for a minute;
    // batches that yield never hold it for more than a moment, even on a loaded machine
    expect(loop.max / 1e6).toBeLessThan(2_000);

    // afterwards the stream goes on as usual
    for (const n of [1, 2, 3]) events.emit({ type: 'case.updated', caseId, changes: [`after-${n}`] });
    await stream.waitFor((f) => f.changes?.[0] === 'after-3');
    expect(stream.ws.readyState).toBe(WebSocket.OPEN);

    const resyncs = stream.frames.filter((f) => f.type === 'resync');
    expect(resyncs).toHaveLength(1);
    const flood = stream.frames.filter((f) => f.changes?.[0]?.startsWith('flood-')).map((f) => Number(f.changes[0].slice('flood-'.length)));
    // every event is either sent or counted in the resync, and what is sent is the newest, in order
    expect(resyncs[0].skipped + flood.length).toBe(20_000);
    expect(flood).toEqual([...flood].sort((x, y) => x - y));
    expect(flood.at(-1)).toBe(19_999);
    const at = (pred: (f: any) => boolean) => stream.frames.findIndex(pred);
    expect(at((f) => f.type === 'resync')).toBeLessThan(at((f) => f.changes?.[0]?.startsWith('flood-')));
    expect(stream.frames.filter((f) => f.changes?.[0]?.startsWith('after-')).map((f) => f.changes[0])).toEqual(['after-1', 'after-2', 'after-3']);
    stream.ws.close();
  });
});
