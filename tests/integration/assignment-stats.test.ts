/**
 * Live statistics of the floor, on a clock the test moves: queue depth and waits, the service level
 * (answered within the queue's target), agents by presence; per agent load, occupancy and handle time;
 * the same pushed to wallboards on the agent stream; and the case list's "offered to me".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

describe('queue and agent statistics', () => {
  it('give depth, waits, service level and presence per queue, and load, occupancy and handle time per agent', async () => {
    k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000', DEFAULT_TIME_ZONE: 'UTC' });
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { serviceLevelSeconds: 60 })).body.serviceLevelSeconds).toBe(60);
    const ann = await k.agent('Ann', { capacity: 2 });
    const bob = await k.agent('Bob');
    await k.t.api('PUT', `/api/v1/agents/${bob.id}/presence`, { presence: 'break', reason: 'lunch', minutes: 30 }, bob.token);
    const lead = await k.agent('Lea', { role: 'supervisor', queues: ['Billing'] }, 'offline');

    const [c1, c2] = await k.writeAll(['s1@customer.test', 's2@customer.test']);
    await k.offeredTo(c1!, ann.id);
    await k.offeredTo(c2!, ann.id);
    expect((await k.t.api('GET', '/api/v1/cases?offeredTo=me', undefined, ann.token)).body.items.map((c: any) => c.number).sort()).toEqual([c1, c2].sort());
    expect((await k.t.api('GET', '/api/v1/cases?offeredTo=me')).body.error.code).toBe('NOT_AN_AGENT');
    k.clock.advance(30);
    expect((await k.t.api('POST', `/api/v1/cases/${c1}/replies`, { text: 'On it' }, ann.token)).status).toBe(202); // in time (30 s)
    k.clock.advance(60);
    expect((await k.t.api('POST', `/api/v1/cases/${c2}/replies`, { text: 'Sorry for the wait' }, ann.token)).status).toBe(202); // late (90 s)
    const c3 = await k.write('s3@customer.test'); // Ann is full, Bob on a break: it waits
    await k.pass();
    k.clock.advance(120);

    const queues = await k.t.api('GET', '/api/v1/stats/queues', undefined, ann.token);
    expect(queues.status).toBe(200);
    const general = queues.body.items.find((q: any) => q.queue === 'General');
    expect(general).toMatchObject({
      waiting: 1,
      offered: 0,
      longestWaitSeconds: 120,
      averageWaitSeconds: 120,
      serviceLevel: { targetSeconds: 60, today: { inTime: 1, late: 2, share: 0.333 }, lastHour: { inTime: 1, late: 2 } },
      agents: { online: 1, break: 1, busy: 0, away: 0, offline: 0 },
    });
    expect(queues.body.items.find((q: any) => q.queue === 'Billing')).toMatchObject({ waiting: 0, longestWaitSeconds: 0, serviceLevel: { today: { share: null } }, agents: { offline: 1 } });

    expect((await k.t.api('GET', '/api/v1/stats/agents', undefined, ann.token)).status).toBe(403);
    k.clock.advance(60);
    expect((await k.t.api('PATCH', `/api/v1/cases/${c1}`, { state: 'resolved' }, ann.token)).status).toBe(200);
    await k.pass(); // c3 goes to Ann, who has room again
    const agents = await k.t.api('GET', '/api/v1/stats/agents', undefined, lead.token);
    expect(agents.status).toBe(200);
    // Ann took c1 with her answer 30 s after it opened and resolved it 240 s later
    expect(agents.body.items.find((a: any) => a.id === ann.id)).toMatchObject({ presence: 'online', openCases: 1, offers: 1, capacity: 2, occupancy: 1, resolvedToday: 1, averageHandleSeconds: 240 });
    expect(agents.body.items.find((a: any) => a.id === bob.id)).toMatchObject({ presence: 'break', presenceReason: 'lunch', presenceUntil: '2024-05-14T10:30:00.000Z', openCases: 0, resolvedToday: 0, averageHandleSeconds: null });
    void c3;
  });

  it('are pushed to wallboards on the agent stream, the agents only to supervisors', async () => {
    k = await startAssignmentApp({ STATS_PUSH_SECONDS: '1' });
    const ann = await k.agent('Ann');
    const lead = await k.agent('Lea', { role: 'supervisor' });
    const board = await openAgentStream(k.t.url, lead.token, { stats: true });
    const mine = await openAgentStream(k.t.url, ann.token, { stats: true });
    const plain = await openAgentStream(k.t.url, ann.token);
    const full = await board.waitFor((f) => f.type === 'stats');
    expect(full.queues.map((q: any) => q.queue)).toContain('General');
    expect(full.agents.map((a: any) => a.name)).toEqual(expect.arrayContaining(['Ann', 'Lea']));
    const partial = await mine.waitFor((f) => f.type === 'stats');
    expect(partial.agents).toBeUndefined();
    // and again every second
    await board.waitFor((f) => f.type === 'stats' && f !== full, 5000);
    expect(plain.frames.some((f) => f.type === 'stats')).toBe(false);
    for (const s of [board, mine, plain]) s.ws.close();
  });
});
