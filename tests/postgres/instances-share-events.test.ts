/**
 * Two gateways on one PostgreSQL database hear each other's events (LISTEN/NOTIFY): a chat visitor on one
 * gets the answer the other sent, consoles on one see changes made through the other, a rule changed on
 * one routes the next message on the other, and a token revoked on one stops working on the other at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function twoInstances(): Promise<[TestApp, TestApp]> {
  const dir = tempDir();
  const a = await startApp({}, {}, dir);
  apps.push(a);
  const b = await startApp({}, {}, dir);
  apps.push(b);
  return [a, b];
}

async function caseOf(t: TestApp, email: string) {
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0], 10_000, `a case of ${email}`);
}

describe('events shared by two instances on one PostgreSQL database', () => {
  it('agents on two instances see each other on a case they both have open, typing too, and leaving', async () => {
    const [a, b] = await twoInstances();
    const ann = (await a.api('POST', '/api/v1/agents', { name: 'Ann' })).body;
    const bob = (await a.api('POST', '/api/v1/agents', { name: 'Bob' })).body;
    const onA = await openAgentStream(a.url, ann.token);
    const onB = await openAgentStream(b.url, bob.token);
    const seen = (s: typeof onA, want: string) =>
      s.waitFor(() => {
        const last = s.frames.filter((f) => f.type === 'case.presence' && f.case === 'CS0001001').at(-1);
        return last && last.viewers.map((v: { name: string; typing: boolean }) => `${v.name}${v.typing ? ' typing' : ''}`).join(', ') === want;
      });
    onA.ws.send(JSON.stringify({ type: 'watch', case: 'CS0001001' }));
    await seen(onA, 'Ann');
    onB.ws.send(JSON.stringify({ type: 'watch', case: 'CS0001001', typing: true }));
    await seen(onA, 'Ann, Bob typing');
    await seen(onB, 'Ann, Bob typing');
    onB.ws.close();
    await seen(onA, 'Ann');
    onA.ws.close();
  });

  it('an answer sent by the instance without the visitor’s socket reaches the visitor, recorded delivered', async () => {
    const [a, b] = await twoInstances();
    // only B's outbox sends: A holds the socket but never sends the answer itself
    await a.app.switchboard.outbox.stop();
    const agent = await b.api('POST', '/api/v1/agents', { name: 'Remy Remote', email: 'remy@support.test', presence: 'online' });
    const visitor = await ChatClient.open(a.url, { name: 'Vic', email: 'vic@example.com' });
    await visitor.waitFor((f) => f.type === 'history');
    visitor.send({ type: 'message', id: 'v1', text: 'Where is my refund?' });
    await visitor.waitFor((f) => f.type === 'ack' && f.id === 'v1');
    const kase = await caseOf(b, 'vic@example.com');

    const reply = await b.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'It left our bank this morning.' }, agent.body.token);
    expect(reply.status).toBe(202);
    const frame = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(frame).toMatchObject({ text: 'It left our bank this morning.', caseNumber: kase.number, agent: 'Remy Remote' });
    const delivered = await eventually(async () => {
      const detail = (await a.api('GET', `/api/v1/cases/${kase.number}`)).body;
      return detail.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'delivered');
    }, 10_000, 'the answer recorded delivered');
    expect(delivered.text).toBe('It left our bank this morning.');
    // handed over once
    await new Promise((r) => setTimeout(r, 300));
    expect(visitor.frames.filter((f) => f.type === 'message' && f.direction === 'outbound')).toHaveLength(1);
    await visitor.close();
  });

  it('a console connected to one instance sees the changes made through the other', async () => {
    const [a, b] = await twoInstances();
    const agent = await a.api('POST', '/api/v1/agents', { name: 'Cora Console', email: 'cora@support.test' });
    const stream = await openAgentStream(a.url, agent.body.token);
    const visitor = await ChatClient.open(b.url, { name: 'Otto', email: 'otto@example.com' });
    visitor.send({ type: 'message', id: 'o1', text: 'The app crashes when I log in' });
    const kase = await caseOf(b, 'otto@example.com');
    expect((await b.api('PATCH', `/api/v1/cases/${kase.number}`, { priority: 1 })).status).toBe(200);
    const seen = await eventually(async () => {
      const created = stream.frames.find((f) => f.type === 'case.created' && f.case.number === kase.number);
      const message = stream.frames.find((f) => f.type === 'interaction.added' && f.interaction?.text === 'The app crashes when I log in');
      const updated = stream.frames.find((f) => f.type === 'case.updated' && f.case.number === kase.number && f.case.priority === 1 && f.changes?.includes('priority'));
      return created && message && updated ? { created, message, updated } : null;
    }, 10_000, 'the other instance’s changes on the stream');
    expect(seen.updated.changes).toContain('priority');
    stream.ws.close();
    await visitor.close();
  });

  it('a rule created through one instance routes the next message on the other', async () => {
    const [a, b] = await twoInstances();
    const created = await a.api('POST', '/api/v1/rules', { id: 'resellers', when: { keywords: ['reseller programme'] }, then: { queue: 'Account', tags: ['reseller'] } });
    expect(created.status).toBe(201);
    await eventually(async () => ((await b.api('GET', '/api/v1/rules')).body.version === created.body.version ? true : null), 5_000, 'the new version on the other instance');
    const visitor = await ChatClient.open(b.url, { email: 'rae@shop.test' });
    visitor.send({ type: 'message', text: 'How do I join your reseller programme?' });
    const kase = await caseOf(b, 'rae@shop.test');
    expect(kase).toMatchObject({ queue: 'Account', tags: ['reseller'] });
    const detail = (await b.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(detail.routing).toMatchObject({ version: created.body.version, decision: { queueRuleId: 'resellers' } });
    await visitor.close();
  });

  it('a token revoked through one instance is refused by the other at once', async () => {
    const [a, b] = await twoInstances();
    const token = await a.api('POST', '/api/v1/tokens', { role: 'supervisor', label: 'temp' });
    // the other instance has the token cached as valid
    expect((await b.api('GET', '/api/v1/cases', undefined, token.body.token)).status).toBe(200);
    expect((await a.api('DELETE', `/api/v1/tokens/${token.body.id}`)).status).toBe(204);
    await eventually(async () => ((await b.api('GET', '/api/v1/cases', undefined, token.body.token)).status === 401 ? true : null), 2_000, 'the revoked token refused');
  });
});
