/**
 * Taking cases is race-free: concurrent claims (in one process, and in two processes on one database)
 * give the case to exactly one agent, and two assignment workers never offer one case twice.
 */
import { inStore } from '../support/store-rows.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import type { GatewayEvent } from '../../gateway/events.ts';

const apps: TestApp[] = [];
const chats: ChatClient[] = [];
afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.close()));
  for (const a of apps.splice(0)) await a.close();
});

async function boot(dataDir?: string): Promise<TestApp> {
  const t = await startApp({}, {}, dataDir);
  apps.push(t);
  return t;
}

type Agent = { id: string; token: string };

async function agent(t: TestApp, name: string, extra: Record<string, unknown> = {}): Promise<Agent> {
  const res = await t.api('POST', '/api/v1/agents', { name, email: `${name.toLowerCase()}@support.test`, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

async function write(t: TestApp, email: string, text = 'hello'): Promise<string> {
  const c = await ChatClient.open(t.url, { name: email.split('@')[0], email });
  chats.push(c);
  c.send({ type: 'message', text });
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]?.number);
}

async function makeManual(t: TestApp) {
  const general = (await t.api('GET', '/api/v1/queues')).body.items.find((q: any) => q.name === 'General');
  expect((await t.api('PATCH', `/api/v1/queues/${general.id}`, { strategy: 'manual' })).status).toBe(200);
}

const claimEvents = async (t: TestApp, n: string) =>
  (await t.api('GET', `/api/v1/cases/${n}`)).body.interactions.filter((i: any) => i.kind === 'event' && /^claimed by/.test(i.text));

describe('claiming', () => {
  it('twenty concurrent claims by two agents: exactly one agent gets the case, once', async () => {
    const t = await boot();
    await makeManual(t);
    const a = await agent(t, 'Ann');
    const b = await agent(t, 'Bob');
    const n = await write(t, 'c1@customer.test');
    const events: GatewayEvent[] = [];
    t.app.switchboard.events.on((e) => events.push(e));

    const tries = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b));
    const results = await Promise.all(tries.map(async (who) => ({ who: who.id, res: await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, who.token) })));
    const winners = new Set(results.filter((r) => r.res.status === 200).map((r) => r.who));
    expect(winners.size).toBe(1);
    const winner = [...winners][0]!;
    for (const r of results) {
      if (r.who === winner) expect(r.res.status).toBe(200); // claiming your own case again changes nothing
      else expect(r.res.body.error).toMatchObject({ code: 'CASE_NOT_CLAIMABLE', message: expect.stringMatching(/already assigned|just taken/) });
    }
    expect((await t.api('GET', `/api/v1/cases/${n}`)).body).toMatchObject({ assignee: winner, state: 'open' });
    expect(await claimEvents(t, n)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'case.updated' && e.changes.includes('assignee'))).toHaveLength(1);
  });

  it('two gateways on one database: concurrent claims through both still give the case to one agent, with no errors', async () => {
    const dir = tempDir();
    const t1 = await boot(dir);
    const t2 = await boot(dir);
    await makeManual(t1);
    const a = await agent(t1, 'Ann');
    const b = await agent(t1, 'Bob');
    for (let round = 0; round < 5; round++) {
      const n = await write(t1, `c${round}@customer.test`);
      const tries = Array.from({ length: 10 }, (_, i) => ({ via: i % 2 ? t1 : t2, who: i % 4 < 2 ? a : b }));
      const results = await Promise.all(tries.map(async ({ via, who }) => ({ who: who.id, res: await via.api('POST', `/api/v1/cases/${n}/claim`, undefined, who.token) })));
      expect(results.map((r) => r.res.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const winners = new Set(results.filter((r) => r.res.status === 200).map((r) => r.who));
      expect(winners.size).toBe(1);
      expect((await t2.api('GET', `/api/v1/cases/${n}`)).body.assignee).toBe([...winners][0]);
      expect(await claimEvents(t1, n)).toHaveLength(1);
    }
  });

  it('two assignment workers on one database never offer a case twice nor overfill an agent', async () => {
    const dir = tempDir();
    const t1 = await boot(dir);
    const t2 = await boot(dir);
    const offers: Array<{ app: number; caseId: number }> = [];
    // each gateway's own events: on PostgreSQL each also hears the other's
    t1.app.switchboard.events.on((e, source) => source === 'local' && e.type === 'case.updated' && e.origin === 'assignment' && offers.push({ app: 1, caseId: e.caseId }));
    t2.app.switchboard.events.on((e, source) => source === 'local' && e.type === 'case.updated' && e.origin === 'assignment' && offers.push({ app: 2, caseId: e.caseId }));
    const a = await agent(t1, 'Ann', { capacity: 2 });
    const b = await agent(t1, 'Bob', { capacity: 2 });
    const numbers: string[] = [];
    for (let i = 0; i < 6; i++) numbers.push(await write(t1, `c${i}@customer.test`));
    await t1.app.switchboard.pipeline.idle();
    // both online at once, then both workers race, several times
    await inStore(t1.app.switchboard.db).agent.updateMany({ data: { presence: 'online' } });
    for (let i = 0; i < 5; i++) {
      await Promise.all([t1.app.switchboard.assignment.runOnce(), t2.app.switchboard.assignment.runOnce(), t1.app.switchboard.assignment.runOnce()]);
    }
    const cases = await Promise.all(numbers.map(async (n) => (await t1.api('GET', `/api/v1/cases/${n}`)).body));
    const held = cases.filter((c) => c.offeredTo);
    expect(held).toHaveLength(4);
    expect(held.filter((c) => c.offeredTo === a.id)).toHaveLength(2);
    expect(held.filter((c) => c.offeredTo === b.id)).toHaveLength(2);
    // one offer event per offered case, whichever gateway made it
    const perCase = new Map<number, number>();
    for (const o of offers) perCase.set(o.caseId, (perCase.get(o.caseId) ?? 0) + 1);
    expect([...perCase.values()]).toEqual([1, 1, 1, 1]);
    // the two oldest waiting cases are the ones still waiting? no: the four oldest were offered
    expect(cases.slice(0, 4).every((c) => c.offeredTo)).toBe(true);
  });
});

describe('accepting and declining offers', () => {
  it('the offered agent claims; a declined offer moves to the next agent at once', async () => {
    const t = await boot();
    const a = await agent(t, 'Ann', { presence: 'online' });
    const b = await agent(t, 'Bob', { presence: 'online' });
    const n = await write(t, 'c1@customer.test');
    const first = await eventually(async () => (await t.api('GET', `/api/v1/cases/${n}`)).body.offeredTo);
    const [holder, next] = first === a.id ? [a, b] : [b, a];

    const wrong = await t.api('POST', `/api/v1/cases/${n}/decline`, undefined, next.token);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('NOT_OFFERED');
    const stolen = await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, next.token);
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toMatch(/is offered to /);

    expect((await t.api('POST', `/api/v1/cases/${n}/decline`, undefined, holder.token)).status).toBe(200);
    await eventually(async () => ((await t.api('GET', `/api/v1/cases/${n}`)).body.offeredTo === next.id ? true : null));
    const taken = await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, next.token);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ assignee: next.id, offeredTo: null, state: 'open' });
  });

  it.each([
    ['a token without an agent', 'admin', 'CS0001001', 403, 'NOT_AN_AGENT'],
    ['an unknown case', 'agent', 'CS0009999', 404, 'CASE_NOT_FOUND'],
    ['a malformed number', 'agent', 'case-1', 400, 'VALIDATION_FAILED'],
    ['a resolved case', 'agent', 'resolved', 409, 'CASE_NOT_CLAIMABLE'],
  ])('claiming with %s → %i %s, nothing changed', async (_what, who, number, status, code) => {
    const t = await boot();
    await makeManual(t);
    const a = await agent(t, 'Ann');
    const n = await write(t, 'c1@customer.test');
    if (number === 'resolved') expect((await t.api('PATCH', `/api/v1/cases/${n}`, { state: 'resolved' })).status).toBe(200);
    // the SLA clocks follow the resolve; a running clock's remaining seconds tick on by themselves
    await t.app.switchboard.slaClocks.settled();
    const stored = async () => JSON.parse(JSON.stringify((await t.api('GET', `/api/v1/cases/${n}`)).body, (k, v) => (k === 'remainingSeconds' ? undefined : v)));
    const before = await stored();
    const res = await t.api('POST', `/api/v1/cases/${number === 'resolved' ? n : number}/claim`, undefined, who === 'admin' ? undefined : a.token);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await stored()).toEqual(before);
  });
});
