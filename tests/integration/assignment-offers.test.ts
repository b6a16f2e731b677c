/**
 * Offers on the real app: strategies, skills, capacity per channel, presence, most urgent first, offer
 * timeouts (with an injected clock), a reopened case back to its agent, and resuming after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import type { GatewayEvent } from '../../gateway/events.ts';

class ManualClock {
  private t = Date.parse('2024-05-14T10:00:00Z');
  now = () => new Date(this.t);
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

let t: TestApp;
let clock: ManualClock;
let events: GatewayEvent[];
const chats: ChatClient[] = [];

async function boot(dataDir?: string, reuseClock?: ManualClock): Promise<TestApp> {
  clock = reuseClock ?? new ManualClock();
  const app = await startApp({}, { clock }, dataDir);
  events = [];
  app.app.switchboard.events.on((e) => events.push(e));
  // this test renders events, as a console would: they then carry their case
  app.app.switchboard.events.wantViews();
  return app;
}

afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.close()));
  await t?.close();
});

type Agent = { id: string; token: string; name: string };

async function agent(name: string, extra: Record<string, unknown> = {}, presence = 'online'): Promise<Agent> {
  const res = await t.api('POST', '/api/v1/agents', { name, email: `${name.toLowerCase()}@support.test`, ...extra });
  expect(res.status).toBe(201);
  if (presence !== 'offline') await setPresence(res.body, presence);
  return res.body;
}

async function setPresence(a: Agent, presence: string) {
  const res = await t.api('PUT', `/api/v1/agents/${a.id}/presence`, { presence }, a.token);
  expect(res.status).toBe(200);
}

/** A chat visitor writes; resolves with the case number. */
async function write(email: string, text: string): Promise<string> {
  const c = await ChatClient.open(t.url, { name: email.split('@')[0], email });
  chats.push(c);
  c.send({ type: 'message', text });
  return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]?.number);
}

const getCase = async (n: string) => (await t.api('GET', `/api/v1/cases/${n}`)).body;
const offeredTo = (n: string, who: string | null) => eventually(async () => ((await getCase(n)).offeredTo === who ? true : null), 5000, `offer of ${n} to ${who}`);
const idle = () => t.app.switchboard.pipeline.idle();
const pass = () => t.app.switchboard.assignment.runOnce();

async function queueId(name: string): Promise<string> {
  return (await t.api('GET', '/api/v1/queues')).body.items.find((q: any) => q.name === name).id;
}

describe('round robin and offer timeouts', () => {
  it('offers to the longest idle agent; an offer not taken in time moves to the next, then a new round starts', async () => {
    t = await boot();
    await t.api('PATCH', `/api/v1/queues/${await queueId('General')}`, { offerTimeoutSeconds: 60 });
    const a = await agent('Ann');
    const b = await agent('Bob');
    const n1 = await write('c1@customer.test', 'hello, a question');
    const first = await eventually(async () => (await getCase(n1)).offeredTo);
    const second = first === a.id ? b.id : a.id;
    expect(events).toContainEqual(expect.objectContaining({ type: 'case.updated', caseId: 1, changes: ['offeredTo'], actor: 'assignment', origin: 'assignment' }));
    // the event carries the case as the offer left it: listeners need not read it
    expect((events.find((e) => e.type === 'case.updated' && e.caseId === 1 && e.origin === 'assignment') as { case?: unknown } | undefined)?.case).toMatchObject({ number: 'CS0001001', offeredTo: expect.any(String) });

    // the next case goes to the other agent: they have been idle longer
    const n2 = await write('c2@customer.test', 'another question');
    await offeredTo(n2, second);

    clock.advance(59);
    await pass();
    expect((await getCase(n1)).offeredTo).toBe(first);
    clock.advance(2);
    await pass();
    // case 1 lapsed with `first` and moves on; case 2 lapsed with `second` and moves to `first`
    expect((await getCase(n1)).offeredTo).toBe(second);
    expect((await getCase(n2)).offeredTo).toBe(first);
    expect((await getCase(n1)).routing.assignment.trace.join('\n')).toMatch(/let an offer of this case lapse/);

    clock.advance(61);
    await pass();
    // both agents let case 1 lapse once: the round is over, and the next starts after a back-off (30 s)
    expect((await getCase(n1)).offeredTo).toBeNull();
    expect((await getCase(n1)).interactions.map((i: any) => i.text)).toContainEqual(expect.stringMatching(/^nobody took the case in offer round 1 \(passed: (Ann, Bob|Bob, Ann)\); round 2 starts at /u));
    clock.advance(29);
    await pass();
    expect((await getCase(n1)).offeredTo).toBeNull();
    clock.advance(1);
    await pass();
    const third = (await getCase(n1)).offeredTo;
    expect([a.id, b.id]).toContain(third);
  });

  it('the offer timer resumes after a restart: an offer that lapsed while the gateway was down moves on at start', async () => {
    const dir = tempDir();
    t = await boot(dir);
    await t.api('PATCH', `/api/v1/queues/${await queueId('General')}`, { offerTimeoutSeconds: 30 });
    const a = await agent('Ann');
    const n = await write('c1@customer.test', 'hello');
    await offeredTo(n, a.id);
    await t.close();

    const sameClock = clock;
    sameClock.advance(10);
    t = await boot(dir, sameClock);
    await idle();
    await pass();
    expect((await getCase(n)).offeredTo).toBe(a.id); // not lapsed yet: the stored offer stands
    const b = await agent('Bob');
    await t.close();

    sameClock.advance(25);
    t = await boot(dir, sameClock);
    await offeredTo(n, b.id); // the first pass at start moved it, no request needed
    expect(b.id).not.toBe(a.id);
  });
});

describe('strategies', () => {
  it('least_loaded picks the agent with the fewest open cases', async () => {
    t = await boot();
    await t.api('PATCH', `/api/v1/queues/${await queueId('General')}`, { strategy: 'least_loaded' });
    const busy = await agent('Busy');
    const n1 = await write('c1@customer.test', 'first');
    await offeredTo(n1, busy.id);
    expect((await t.api('POST', `/api/v1/cases/${n1}/claim`, undefined, busy.token)).status).toBe(200);
    const free = await agent('Free');
    const n2 = await write('c2@customer.test', 'second');
    await offeredTo(n2, free.id);
    expect((await getCase(n2)).routing.assignment.trace.join('\n')).toMatch(/fewest open cases \(0\)/);
  });

  it('manual queues offer nothing; an agent pulls the case with claim', async () => {
    t = await boot();
    await t.api('PATCH', `/api/v1/queues/${await queueId('General')}`, { strategy: 'manual' });
    const a = await agent('Ann');
    const n = await write('c1@customer.test', 'hello');
    await idle();
    await pass();
    expect((await getCase(n)).offeredTo).toBeNull();
    const claimed = await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, a.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ assignee: a.id, state: 'open', offeredTo: null });
  });
});

describe('skill levels', () => {
  it('best_skilled offers to the highest level in the skills the case needs, then the least loaded', async () => {
    t = await boot();
    await t.api('PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', requiredSkills: ['billing'] } });
    expect((await t.api('PATCH', `/api/v1/queues/${await queueId('Billing')}`, { strategy: 'best_skilled' })).body.strategy).toBe('best_skilled');
    const ann = await agent('Ann', { skills: ['billing'], skillLevels: { Billing: 2 }, capacity: 5 });
    const bob = await agent('Bob', { skills: ['billing'], skillLevels: { billing: 5 }, capacity: 1 });
    expect((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === bob.id).skillLevels).toEqual({ billing: 5 });
    expect((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === ann.id).skillLevels).toEqual({ billing: 2 });
    const n1 = await write('b1@customer.test', 'please refund the double payment on my invoice');
    await offeredTo(n1, bob.id);
    expect((await getCase(n1)).routing.assignment.trace).toEqual(['Bob: best skilled (billing 5), then fewest open cases (0)']);
    // Bob is full now: the next goes to Ann, less skilled but free
    const n2 = await write('b2@customer.test', 'my invoice shows a wrong fee, please refund it');
    await offeredTo(n2, ann.id);
    const bad = await t.api('PATCH', `/api/v1/agents/${ann.id}`, { skillLevels: { billing: 9 } });
    expect(bad.status).toBe(400);
  });
});

describe('skills, capacity and presence', () => {
  it('a case that needs a skill is offered only to agents who have it', async () => {
    t = await boot();
    await t.api('PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', requiredSkills: ['billing'] } });
    const plain = await agent('Plain');
    const n = await write('c1@customer.test', 'please refund the double payment on my invoice');
    await idle();
    await pass();
    expect((await getCase(n)).offeredTo).toBeNull(); // Plain is online and idle, but lacks the skill
    const expert = await agent('Expert', { skills: ['Billing'] });
    await offeredTo(n, expert.id);
    expect((await getCase(n)).routing.assignment.trace.join('\n')).toContain('Plain: skipped, missing skills billing');
    // nor can Plain pull it
    const pulled = await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, plain.token);
    expect(pulled.status).toBe(409); // it is offered to Expert
    await setPresence(expert, 'offline');
    await offeredTo(n, null);
    const again = await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, plain.token);
    expect(again.status).toBe(403);
    expect(again.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringMatching(/missing skills billing/) });
  });

  it('capacity is per channel: offers and open cases count, a resolved case frees room', async () => {
    t = await boot();
    const a = await agent('Ann', { capacity: { chat: 1, email: 3 } });
    const n1 = await write('c1@customer.test', 'first chat');
    await offeredTo(n1, a.id);
    const n2 = await write('c2@customer.test', 'second chat');
    await idle();
    await pass();
    expect((await getCase(n2)).offeredTo).toBeNull(); // the open offer holds Ann's one chat seat
    expect((await t.api('POST', `/api/v1/cases/${n1}/claim`, undefined, a.token)).status).toBe(200);
    await pass();
    expect((await getCase(n2)).offeredTo).toBeNull(); // now the assigned case does
    expect((await getCase(n2)).routing.assignment).toMatchObject({ offeredTo: null, trace: expect.arrayContaining(['Ann: skipped, at chat capacity (1/1)']) });
    expect((await t.api('PATCH', `/api/v1/cases/${n1}`, { state: 'resolved' }, a.token)).status).toBe(200);
    await offeredTo(n2, a.id);
  });

  it('presence drives offers: nobody online, the case waits; coming online takes it; going away withdraws it', async () => {
    t = await boot();
    const a = await agent('Ann', {}, 'offline');
    const n = await write('c1@customer.test', 'hello');
    await idle();
    await pass();
    expect((await getCase(n)).offeredTo).toBeNull();
    await setPresence(a, 'online'); // no explicit pass: the presence change triggers it
    await offeredTo(n, a.id);
    await setPresence(a, 'away');
    await offeredTo(n, null);
    expect(events.filter((e) => e.type === 'case.updated' && e.changes.includes('offeredTo'))).toHaveLength(2);
  });
});

describe('order and reopening', () => {
  it('the most urgent case is offered first, then the oldest', async () => {
    t = await boot();
    const a = await agent('Ann', { capacity: 1 }, 'offline');
    const calm1 = await write('c1@customer.test', 'hello, a small question about my account settings');
    clock.advance(1);
    const calm2 = await write('c2@customer.test', 'hello, another small question');
    clock.advance(1);
    const angry = await write('c3@customer.test', 'THIRD time I write!! Nobody answers, I am furious and still waiting. This is a joke!!');
    await idle();
    const [p1, p2, p3] = await Promise.all([calm1, calm2, angry].map(async (n) => (await getCase(n)).priority));
    expect(p3).toBeLessThan(p1!);
    expect(p1).toBe(p2);
    await setPresence(a, 'online');
    await offeredTo(angry, a.id);
    expect((await t.api('POST', `/api/v1/cases/${angry}/claim`, undefined, a.token)).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/cases/${angry}`, { state: 'resolved' }, a.token)).status).toBe(200);
    await offeredTo(calm1, a.id);
    expect((await getCase(calm2)).offeredTo).toBeNull();
  });

  it('a reopened case is offered to the agent who had it, even when another has been idle longer', async () => {
    t = await boot();
    const other = await agent('Olive', {}, 'offline');
    const ann = await agent('Ann');
    const c = await ChatClient.open(t.url, { name: 'Cy', email: 'cy@customer.test' });
    chats.push(c);
    c.send({ type: 'message', text: 'my question' });
    const n = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=cy%40customer.test')).body.items[0]?.number);
    await offeredTo(n, ann.id);
    expect((await t.api('POST', `/api/v1/cases/${n}/claim`, undefined, ann.token)).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/cases/${n}`, { state: 'resolved' }, ann.token)).status).toBe(200);
    await setPresence(other, 'online'); // never assigned: idle longest
    c.send({ type: 'message', text: 'it broke again' });
    await eventually(async () => ((await getCase(n)).state === 'open' ? true : null));
    await offeredTo(n, ann.id);
    expect((await getCase(n)).routing.assignment.trace.join('\n')).toMatch(/previous agent of this case and available/);
  });
});
