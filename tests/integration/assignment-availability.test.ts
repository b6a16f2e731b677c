/**
 * When an agent gets offers: not during the queue's wrap-up after a resolve, not while busy or on a
 * break (which says why and until when), and not after letting offers lapse in a row (set away).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';

const NO_SWEEP = { ASSIGNMENT_SWEEP_MS: '3600000' };

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

const agentView = async (id: string) => (await k.t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === id);

describe('wrap-up', () => {
  it('after resolving, the agent gets no offer for the queue’s wrap-up time, then the waiting case', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { wrapUpSeconds: 45 })).body.wrapUpSeconds).toBe(45);
    const ann = await k.agent('Ann', { capacity: 1 });
    const first = await k.write('first@customer.test');
    await k.offeredTo(first, ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${first}/claim`, undefined, ann.token)).status).toBe(200);
    const second = await k.write('second@customer.test');
    await k.pass();
    expect((await k.getCase(second)).offeredTo).toBeNull(); // at capacity

    expect((await k.t.api('PATCH', `/api/v1/cases/${first}`, { state: 'resolved' }, ann.token)).status).toBe(200);
    await k.pass();
    expect((await k.getCase(second)).offeredTo).toBeNull();
    expect((await agentView(ann.id)).wrapUpUntil).toBe('2024-05-14T10:00:45.000Z');
    expect((await k.getCase(first)).interactions.map((i: any) => i.text)).toContainEqual(expect.stringContaining('Ann wraps up until 2024-05-14T10:00:45.000Z'));
    expect((await k.getCase(second)).routing.assignment?.trace ?? []).not.toContain(ann.id);
    k.clock.advance(44);
    await k.pass();
    expect((await k.getCase(second)).offeredTo).toBeNull();
    k.clock.advance(1);
    await k.pass();
    expect((await k.getCase(second)).offeredTo).toBe(ann.id);
  });
});

describe('presence with reasons', () => {
  it('busy and a break take no offers; a break says why and until when; online takes offers again', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const onBreak = await k.t.api('PUT', `/api/v1/agents/${ann.id}/presence`, { presence: 'break', reason: 'lunch', minutes: 30 }, ann.token);
    expect(onBreak.status).toBe(200);
    expect(onBreak.body).toMatchObject({ presence: 'break', presenceReason: 'lunch', presenceUntil: '2024-05-14T10:30:00.000Z' });
    const n = await k.write('break@customer.test');
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    const busy = await k.t.api('PUT', `/api/v1/agents/${ann.id}/presence`, { presence: 'busy' }, ann.token);
    expect(busy.body).toMatchObject({ presence: 'busy', presenceReason: null, presenceUntil: null });
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    await k.setPresence(ann, 'online');
    await k.offeredTo(n, ann.id);
    // going on a break withdraws the offer at once, on the record
    await k.setPresence(ann, 'break');
    await k.offeredTo(n, null);
    expect((await k.getCase(n)).interactions.map((i: any) => i.text)).toContain('offer to Ann withdrawn: Ann is break');

    for (const bad of [{ presence: 'lunch' }, { presence: 'break', minutes: 0 }, { presence: 'break', reason: '' }, { presence: 'break', until: 'later' }]) {
      const res = await k.t.api('PUT', `/api/v1/agents/${ann.id}/presence`, bad, ann.token);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await agentView(ann.id)).presence).toBe('break');
  });
});

describe('missed offers', () => {
  it('an agent who lets three offers in a row lapse is set away, on the record; taking one in between resets the count', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: 10 });
    const ann = await k.agent('Ann', { capacity: 10 });
    const lapse = async () => {
      k.clock.advance(11);
      await k.pass();
    };
    const [a, b] = await k.writeAll(['m1@customer.test', 'm2@customer.test']);
    await k.offeredTo(a!, ann.id);
    await k.offeredTo(b!, ann.id);
    await lapse(); // two missed
    // answering an offer (here: declining) ends the run
    const c = await k.write('m3@customer.test');
    await k.offeredTo(c, ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${c}/decline`, undefined, ann.token)).status).toBe(200);
    await k.pass();
    expect((await agentView(ann.id)).presence).toBe('online');

    k.clock.advance(60); // past the back-off: the three cases start their next round, all offered to Ann
    await k.pass();
    for (const n of [a!, b!, c]) expect((await k.getCase(n)).offeredTo).toBe(ann.id);
    await lapse();
    const view = await agentView(ann.id);
    expect(view).toMatchObject({ presence: 'away', presenceReason: 'missed 3 offers in a row' });
    const texts = (await Promise.all([a!, b!, c].map(async (n) => (await k.getCase(n)).interactions.map((i: any) => i.text)))).flat();
    expect(texts).toContain('offer to Ann not taken in time; Ann set away: missed 3 offers in a row');
    await k.pass();
    for (const n of [a!, b!, c]) expect((await k.getCase(n)).offeredTo).toBeNull();
    // back online: offers again, and the count starts afresh
    await k.setPresence(ann, 'online');
    expect(await agentView(ann.id)).toMatchObject({ presence: 'online', presenceReason: null });
    await k.pass(); // Ann passed on all three already: their second round ends, the third waits out a back-off (60 s)
    k.clock.advance(60);
    await k.pass();
    await k.offeredTo(a!, ann.id);
  });

  it('answering an offered case ends the run as a claim does', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: 10 });
    const ann = await k.agent('Ann', { capacity: 10 });
    const [a, b] = await k.writeAll(['r1@customer.test', 'r2@customer.test']);
    await k.offeredTo(a!, ann.id);
    await k.offeredTo(b!, ann.id);
    k.clock.advance(11);
    await k.pass(); // two missed
    await k.pass(); // nobody else: a back-off
    k.clock.advance(30);
    await k.pass();
    await k.offeredTo(a!, ann.id);
    await k.offeredTo(b!, ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${a}/replies`, { text: 'here to help' }, ann.token)).status).toBe(202);
    k.clock.advance(11);
    await k.pass(); // b lapses: one missed since the answer
    expect((await agentView(ann.id)).presence).toBe('online');
  });

  it('counts lapses one offer at a time too: a new offer does not start the count again', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: 10 });
    const ann = await k.agent('Ann', { capacity: 1 });
    const cases = await k.writeAll(['o1@customer.test', 'o2@customer.test', 'o3@customer.test']);
    const offered = async () => {
      await k.pass();
      const views = await Promise.all(cases.map((n) => k.getCase(n)));
      return views.filter((c) => c.offeredTo === ann.id).map((c) => c.number);
    };
    const seen = new Set<string>();
    for (let i = 1; i <= 3; i++) {
      const now = await offered();
      expect(now).toHaveLength(1); // one at a time: capacity 1
      seen.add(now[0]!);
      k.clock.advance(11);
      await k.pass();
    }
    expect(seen.size).toBe(3);
    expect(await agentView(ann.id)).toMatchObject({ presence: 'away', presenceReason: 'missed 3 offers in a row' });
  });
});
