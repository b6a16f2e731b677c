import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agent: { id: string; token: string };
let other: { id: string; token: string };
let supervisor: { id: string; token: string };

beforeAll(async () => {
  t = await startApp();
  agent = (await t.api('POST', '/api/v1/agents', { name: 'Ada', email: 'ada@support.test', role: 'agent' })).body;
  other = (await t.api('POST', '/api/v1/agents', { name: 'Oli', email: 'oli@support.test', role: 'agent' })).body;
  supervisor = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@support.test', role: 'supervisor' })).body;
});
afterAll(() => t.close());

describe('roles are checked on every call', () => {
  it('no token or a wrong token: 401', async () => {
    for (const token of ['', 'sb_wrong']) {
      const res = await fetch(`${t.url}/api/v1/cases`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('an agent token cannot do admin things, and nothing changes', async () => {
    const queuesBefore = (await t.api('GET', '/api/v1/queues')).body.items.length;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/queues', { name: 'Sneaky' }],
      ['POST', '/api/v1/agents', { name: 'Mallory', role: 'admin' }],
      ['PATCH', `/api/v1/agents/${agent.id}`, { role: 'admin' }],
      ['POST', '/api/v1/tokens', { role: 'admin' }],
      ['PUT', `/api/v1/agents/${other.id}/presence`, { presence: 'offline' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await t.api(method, path, body, agent.token);
      expect([path, r.status, r.body.error.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect((await t.api('GET', '/api/v1/queues')).body.items).toHaveLength(queuesBefore);
    const me = await t.api('GET', '/api/v1/me', undefined, agent.token);
    expect(me.body).toMatchObject({ role: 'agent', agent: { id: agent.id, role: 'agent' } });
    expect((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === other.id).presence).toBe('offline');
  });

  it('an agent sets their own presence; a supervisor sets anyone', async () => {
    expect((await t.api('PUT', `/api/v1/agents/${agent.id}/presence`, { presence: 'online' }, agent.token)).body.presence).toBe('online');
    expect((await t.api('PUT', `/api/v1/agents/${other.id}/presence`, { presence: 'away' }, supervisor.token)).body.presence).toBe('away');
  });

  it('an agent claims a case for themselves but cannot assign it to someone else', async () => {
    const c = await ChatClient.open(t.url, { email: 'roles@example.com' });
    c.send({ type: 'message', id: 'r', text: 'help' });
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=roles@example.com')).body.items[0]);
    await c.close();
    const toOther = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { assignee: other.id }, agent.token);
    expect(toOther.status).toBe(403);
    const claim = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { assignee: agent.id }, agent.token);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ assignee: agent.id, state: 'open' });
    const byOther = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { assignee: null }, other.token);
    expect(byOther.status).toBe(403);
    const moved = await t.api('PATCH', `/api/v1/cases/${kase.number}`, { assignee: other.id }, supervisor.token);
    expect(moved.body.assignee).toBe(other.id);
    const detail = await t.api('GET', `/api/v1/cases/${kase.number}`, undefined, agent.token);
    expect(detail.body.interactions.filter((i: any) => i.direction === 'event').map((i: any) => i.text)).toEqual([
      'assigned to Ada by Ada',
      'assigned to Oli by Sue',
    ]);
  });

  it('admin manages queues and tokens; a revoked token stops working', async () => {
    const q = await t.api('POST', '/api/v1/queues', { name: 'VIP', strategy: 'least_loaded' });
    expect(q.status).toBe(201);
    expect((await t.api('POST', '/api/v1/queues', { name: 'VIP' })).status).toBe(409);
    const tok = await t.api('POST', '/api/v1/tokens', { role: 'supervisor', label: 'ops' });
    expect(tok.status).toBe(201);
    expect((await t.api('GET', '/api/v1/cases', undefined, tok.body.token)).status).toBe(200);
    expect((await t.api('DELETE', `/api/v1/tokens/${tok.body.id}`)).status).toBe(204);
    expect((await t.api('GET', '/api/v1/cases', undefined, tok.body.token)).status).toBe(401);
  });
});
