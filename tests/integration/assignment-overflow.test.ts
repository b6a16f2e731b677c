/**
 * Queue overflow and aging on a clock the test moves, fired by the durable timers: a case that waits too
 * long has its required skills relaxed, agents of another queue let in, its priority raised, the consoles
 * alerted and is moved on, each step on its timeline; aging raises a waiting case's priority step by step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { eventually } from '../support/test-app.ts';
import { refuseWrites } from '../support/refuse-writes.ts';
import { inStore } from '../support/store-rows.ts';

const timerKeys = async (app: AssignmentApp): Promise<string[]> => (await inStore(app.t.app.switchboard.db).timer.findMany()).map((r: { key: string }) => r.key);
import { openAgentStream } from '../support/agent-stream-client.ts';

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

/** Moves the clock and lets the timers fire what fell due, and the passes that follow run. */
async function waitFor(seconds: number): Promise<void> {
  k.clock.advance(seconds);
  k.t.app.switchboard.timers.wake();
  await new Promise((r) => setTimeout(r, 150));
  await k.t.app.switchboard.waitSteps.settled();
  await k.pass();
}

const said = async (n: string) => (await k.getCase(n)).interactions.filter((i: any) => i.kind === 'event').map((i: any) => i.text);

describe('overflow steps', () => {
  it('relax the skills, then let another queue’s agents take the case, each step on the timeline', async () => {
    k = await startAssignmentApp();
    await k.t.api('PATCH', '/api/v1/rules/general', { then: { queue: 'General', requiredSkills: ['french'] } });
    const general = await k.queueId('General');
    const set = await k.t.api('PATCH', `/api/v1/queues/${general}`, {
      overflow: [
        { afterSeconds: 60, actions: [{ type: 'relaxSkills' }] },
        { afterSeconds: 120, actions: [{ type: 'widen', queues: ['Billing'] }] },
      ],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.overflow).toHaveLength(2);
    const ann = await k.agent('Ann', { queues: ['General'] }, 'busy');
    const bob = await k.agent('Bob', { queues: ['Billing'] });
    const n = await k.write('overflow@customer.test', 'bonjour, une question');
    await k.t.app.switchboard.waitSteps.settled();
    await k.pass();
    expect((await k.getCase(n))).toMatchObject({ requiredSkills: ['french'], offeredTo: null });

    await waitFor(59);
    expect((await k.getCase(n)).requiredSkills).toEqual(['french']);
    await waitFor(1);
    expect((await k.getCase(n)).requiredSkills).toEqual([]);
    expect(await said(n)).toContain('waited 60 s in General: required skills french dropped');
    expect((await k.getCase(n)).offeredTo).toBeNull(); // Ann is busy, Bob works Billing only

    await waitFor(60);
    expect(await said(n)).toContain('waited 120 s in General: agents of Billing may take it');
    await k.offeredTo(n, bob.id);
    expect((await k.getCase(n)).routing.assignment.trace.join('\n')).toContain('Bob: idle longest');
    // Bob may take it as long as the case stays widened
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, bob.token)).status).toBe(200);
    void ann;
  });

  it('steps given to a queue later apply to the cases already waiting in it, from when they began to wait', async () => {
    k = await startAssignmentApp();
    const n = await k.write('early@customer.test');
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(30);
    const set = await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { overflow: [{ afterSeconds: 60, actions: [{ type: 'priority', value: 2 }] }] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(29);
    expect((await k.getCase(n)).priority).toBe(3);
    await waitFor(1);
    expect((await k.getCase(n)).priority).toBe(2);
    // taking the steps away again: nothing more happens
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { overflow: [] })).status).toBe(200);
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(3600);
    expect((await k.getCase(n)).priority).toBe(2);
  });

  it('a case whose steps could not be planned (the database refused) is planned again a moment later', async () => {
    k = await startAssignmentApp();
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { overflow: [{ afterSeconds: 60, actions: [{ type: 'priority', value: 1 }] }] });
    // for a second and a half the database refuses the overflow timers
    await refuseWrites(k.t.app.switchboard.db, { name: 'refuse_wait_timer', table: 'Timer', on: 'INSERT', when: `NEW."kind" = 'wait'`, seconds: 1.5 });
    const n = await k.write('retried@customer.test');
    await eventually(async () => ((await timerKeys(k)).some((key) => key.startsWith('wait:')) ? true : null), 6000, 'the wait timer, once allowed');
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(60);
    expect((await k.getCase(n)).priority).toBe(1);
  });

  it('skills relaxed by a step stay relaxed when the customer writes again while the case waits', async () => {
    k = await startAssignmentApp();
    await k.t.api('PATCH', '/api/v1/rules/general', { then: { queue: 'General', requiredSkills: ['french'] } });
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { overflow: [{ afterSeconds: 60, actions: [{ type: 'relaxSkills' }] }] });
    const chat = await k.chat('relaxed@customer.test');
    chat.send({ type: 'message', text: 'bonjour, une question' });
    const n = await k.caseOf('relaxed@customer.test');
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(60);
    expect((await k.getCase(n)).requiredSkills).toEqual([]);
    chat.send({ type: 'message', text: 'toujours là ?' });
    const after = await eventually(async () => {
      const c = await k.getCase(n);
      return c.interactions.filter((i: any) => i.direction === 'inbound').length === 2 ? c : null;
    });
    expect(after.requiredSkills).toEqual([]);
    // an agent without the skill can take it
    const ann = await k.agent('Ann');
    await k.offeredTo(n, ann.id);
  });

  it('aging raises the priority step by step; a later step alerts the consoles and moves the case on, where its timer ends', async () => {
    k = await startAssignmentApp();
    const lead = await k.agent('Lea', { role: 'supervisor', queues: ['Billing'] }, 'offline');
    const stream = await openAgentStream(k.t.url, lead.token);
    const set = await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, {
      agingSeconds: 60,
      overflow: [{ afterSeconds: 150, actions: [{ type: 'alert' }, { type: 'move', queue: 'Technical' }] }],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const n = await k.write('aging@customer.test');
    await k.t.app.switchboard.waitSteps.settled();
    expect((await k.getCase(n)).priority).toBe(3);
    await waitFor(60);
    expect((await k.getCase(n)).priority).toBe(2);
    expect(await said(n)).toContain('waited 60 s in General: priority raised from 3 to 2 by aging');
    await waitFor(60);
    expect((await k.getCase(n)).priority).toBe(1);
    await waitFor(30);
    const kase = await k.getCase(n);
    expect(kase).toMatchObject({ queue: 'Technical', priority: 1 });
    expect(await said(n)).toContain('waited 150 s in General: consoles alerted; moved to Technical');
    expect(await stream.waitFor((f) => f.type === 'assignment.alert')).toMatchObject({ case: { number: n }, reason: 'waited 150 s in General' });
    // Technical has no steps: nothing more happens, however long it waits
    await waitFor(3600);
    expect((await said(n)).filter((t: string) => t.startsWith('waited'))).toHaveLength(3);
    stream.ws.close();
  });

  it('a priority set by a supervisor while the case waits is aged from there', async () => {
    k = await startAssignmentApp();
    await k.t.api('PATCH', '/api/v1/rules/general', { then: { queue: 'General', priority: 1 } });
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { agingSeconds: 60 });
    const n = await k.write('lowered@customer.test');
    await k.t.app.switchboard.waitSteps.settled();
    expect((await k.getCase(n)).priority).toBe(1); // nothing to age
    await waitFor(10);
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { priority: 3 })).status).toBe(200);
    await k.t.app.switchboard.waitSteps.settled();
    await waitFor(50);
    expect((await k.getCase(n)).priority).toBe(2);
  });

  it('settings that cannot work are refused with the path of each problem, and change nothing', async () => {
    k = await startAssignmentApp();
    const general = await k.queueId('General');
    const cases: Array<[object, string]> = [
      [{ overflow: [{ afterSeconds: 60, actions: [{ type: 'move', queue: 'General' }] }] }, 'overflow[0].actions[0].queue'],
      [{ overflow: [{ afterSeconds: 60, actions: [{ type: 'move', queue: 'Nowhere' }] }] }, 'overflow[0].actions[0].queue'],
      [{ overflow: [{ afterSeconds: 60, actions: [{ type: 'widen', queues: ['Billing', 'Nowhere'] }] }] }, 'overflow[0].actions[0].queues[1]'],
      [{ overflow: [{ afterSeconds: 120, actions: [{ type: 'alert' }] }, { afterSeconds: 60, actions: [{ type: 'alert' }] }] }, 'overflow[1].afterSeconds'],
    ];
    for (const [body, path] of cases) {
      const res = await k.t.api('PATCH', `/api/v1/queues/${general}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QUEUE');
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    for (const body of [{ agingSeconds: 5 }, { overflow: [{ afterSeconds: 60, actions: [] }] }, { overflow: [{ afterSeconds: 60, actions: [{ type: 'teleport' }] }] }]) {
      expect((await k.t.api('PATCH', `/api/v1/queues/${general}`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await k.t.api('GET', '/api/v1/queues')).body.items.find((q: any) => q.id === general)).toMatchObject({ overflow: [], agingSeconds: null });

    // moves that come round again: Billing → Technical, Technical → General, so General → Billing is a circle
    const move = (queue: string) => ({ overflow: [{ afterSeconds: 60, actions: [{ type: 'move', queue }] }] });
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('Billing')}`, move('Technical'))).status).toBe(200);
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('Technical')}`, move('General'))).status).toBe(200);
    const circle = await k.t.api('PATCH', `/api/v1/queues/${general}`, move('Billing'));
    expect(circle.status).toBe(400);
    expect(circle.body.error.details).toEqual([{ path: 'overflow[0].actions[0].queue', message: 'cases would go round in circles: General → Billing → Technical → General' }]);
  });
});
