import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agentToken: string;

beforeAll(async () => {
  t = await startApp();
  const agent = await t.api('POST', '/api/v1/agents', { name: 'Bea Agent', email: 'bea@support.test', presence: 'online' });
  expect(agent.status).toBe(201);
  agentToken = agent.body.token;
});
afterAll(() => t.close());

async function caseOfContact(email: string) {
  return eventually(async () => {
    const r = await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`);
    return r.body.items[0];
  });
}

describe('web chat end to end', () => {
  it('a visitor message opens a case and the agent reply arrives on the socket', async () => {
    const c = await ChatClient.open(t.url, { name: 'Ann', email: 'ann@example.com' });
    const history = await c.waitFor((f) => f.type === 'history');
    expect(history.messages).toEqual([]);

    c.send({ type: 'message', id: 'm1', text: 'My parcel never arrived' });
    const ack = await c.waitFor((f) => f.type === 'ack' && f.id === 'm1');
    expect(ack.duplicate).toBe(false);

    const kase = await caseOfContact('ann@example.com');
    expect(kase).toMatchObject({ state: 'new', channel: 'chat', queue: 'Orders & Delivery', subject: 'My parcel never arrived' });
    expect(kase.number).toMatch(/^CS\d{7}$/);
    expect(kase.contact).toEqual({ name: 'Ann', email: 'ann@example.com', phone: null });

    const reply = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Sorry! Sending a new one today.' }, agentToken);
    expect(reply.status).toBe(202);
    const msg = await c.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(msg).toMatchObject({ text: 'Sorry! Sending a new one today.', caseNumber: kase.number, agent: 'Bea Agent' });

    const detail = await eventually(async () => {
      const r = await t.api('GET', `/api/v1/cases/${kase.number}`);
      return r.body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'delivered') ? r.body : null;
    });
    expect(detail.state).toBe('awaiting_customer');
    expect(detail.interactions.map((i: any) => i.direction)).toEqual(['inbound', 'outbound']);

    // the follow-up joins the same case and puts it back to open
    c.send({ type: 'message', id: 'm2', text: 'Thanks, great!' });
    await eventually(async () => {
      const r = await t.api('GET', `/api/v1/cases/${kase.number}`);
      return r.body.interactions.length === 3 && r.body.state === 'open';
    });
    await c.close();
  });

  it('the same client message id sent twice makes one interaction', async () => {
    const c = await ChatClient.open(t.url, { email: 'dup@example.com' });
    c.send({ type: 'message', id: 'same', text: 'hello once' });
    c.send({ type: 'message', id: 'same', text: 'hello once' });
    const acks = await eventually(async () => {
      const a = c.frames.filter((f) => f.type === 'ack');
      return a.length === 2 ? a : null;
    });
    expect(acks.map((a) => a.duplicate)).toEqual([false, true]);
    expect(acks[0].interactionId).toBe(acks[1].interactionId);
    const kase = await caseOfContact('dup@example.com');
    const detail = await t.api('GET', `/api/v1/cases/${kase.number}`);
    expect(detail.body.interactions).toHaveLength(1);
    await c.close();
  });

  it('a reply to a visitor who is offline is delivered when they reconnect', async () => {
    const c = await ChatClient.open(t.url, { email: 'away@example.com' });
    c.send({ type: 'message', id: 'a1', text: 'Is anyone there?' });
    const kase = await caseOfContact('away@example.com');
    await c.close();

    await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Yes, we are here.' }, agentToken);
    await eventually(async () => {
      const r = await t.api('GET', `/api/v1/cases/${kase.number}`);
      return r.body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'sent');
    });

    await c.connect();
    const history = await c.waitFor((f) => f.type === 'history');
    expect(history.messages.map((m: any) => [m.direction, m.text])).toEqual([
      ['inbound', 'Is anyone there?'],
      ['outbound', 'Yes, we are here.'],
    ]);
    await eventually(async () => {
      const r = await t.api('GET', `/api/v1/cases/${kase.number}`);
      return r.body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'delivered');
    });
    await c.close();
  });

  it('an internal note is stored on the case and never reaches the visitor', async () => {
    const c = await ChatClient.open(t.url, { email: 'note@example.com' });
    c.send({ type: 'message', id: 'n1', text: 'Question about my bill' });
    const kase = await caseOfContact('note@example.com');
    const note = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'customer is on the old plan', internal: true }, agentToken);
    expect(note.status).toBe(202);
    const detail = await t.api('GET', `/api/v1/cases/${kase.number}`);
    expect(detail.body.interactions.map((i: any) => i.direction)).toEqual(['inbound', 'note']);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.frames.filter((f) => f.type === 'message')).toHaveLength(0);
    await c.close();
  });

  it('resolving and reopening through the API', async () => {
    const c = await ChatClient.open(t.url, { email: 'state@example.com' });
    c.send({ type: 'message', id: 's1', text: 'Password reset please' });
    const kase = await caseOfContact('state@example.com');
    const resolved = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'resolved' }, agentToken);
    expect(resolved.status).toBe(200);
    expect(resolved.body.state).toBe('resolved');
    expect(resolved.body.resolvedAt).not.toBeNull();
    // a new message in the same session reopens it (within REOPEN_DAYS)
    c.send({ type: 'message', id: 's2', text: 'It did not work' });
    await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.state === 'open');
    const list = await t.api('GET', `/api/v1/cases?contact=state@example.com`);
    expect(list.body.items).toHaveLength(1);
    await c.close();
  });
});
