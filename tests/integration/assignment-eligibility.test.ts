/**
 * Assignment a lead can trust: round robin stays even under bursts, nobody answers their way past an
 * offer or the queue's rules, a released case goes to someone else, offers end when the agent stops being
 * eligible, and admin changes start assignment at once (the sweep is switched off here to prove it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/test-app.ts';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';
import { refuseWrites, stopRefusing } from '../support/refuse-writes.ts';

// no periodic sweep: only the changes themselves can start a pass
const NO_SWEEP = { ASSIGNMENT_SWEEP_MS: '3600000' };

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@customer.test`);

/** How many of the cases are offered to each agent, once every case is offered. */
async function offersPerAgent(numbers: string[]): Promise<Map<string, number>> {
  return eventually(
    async () => {
      const counts = new Map<string, number>();
      for (const n of numbers) {
        const to = (await k.getCase(n)).offeredTo as string | null;
        if (!to) return null;
        counts.set(to, (counts.get(to) ?? 0) + 1);
      }
      return counts;
    },
    15_000,
    'every case offered',
  );
}

describe('fair round robin', () => {
  for (const strategy of ['round_robin', 'least_loaded']) {
    it(`${strategy}: sixty chats arriving together over three agents are offered 20/20/20`, async () => {
      k = await startAssignmentApp();
      await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { strategy });
      const agents = [await k.agent('Ann', { capacity: 100 }), await k.agent('Bob', { capacity: 100 }), await k.agent('Cy', { capacity: 100 })];
      const numbers = await k.writeAll(emails('burst', 60));
      const counts = await offersPerAgent(numbers);
      expect(agents.map((a) => counts.get(a.id) ?? 0)).toEqual([20, 20, 20]);
    });
  }

  it('arrivals in waves of seven stay within one of even', async () => {
    k = await startAssignmentApp();
    const agents = [await k.agent('Ann', { capacity: 100 }), await k.agent('Bob', { capacity: 100 }), await k.agent('Cy', { capacity: 100 })];
    const numbers: string[] = [];
    for (let wave = 0; wave < 5; wave++) {
      const got = await k.writeAll(emails(`wave${wave}-`, 7));
      await offersPerAgent(got);
      numbers.push(...got);
    }
    const counts = await offersPerAgent(numbers);
    const per = agents.map((a) => counts.get(a.id) ?? 0);
    expect(Math.max(...per) - Math.min(...per), per.join('/')).toBeLessThanOrEqual(1);
  });
});

describe('answering is no way past the rules', () => {
  it('an agent cannot answer a case offered to someone else, nor one they are not eligible for; a supervisor takes over explicitly, on the record', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('offered@customer.test');
    await k.offeredTo(n, ann.id);
    const bob = await k.agent('Bob');
    const outsider = await k.agent('Olga', { queues: ['Billing'] });
    const full = await k.agent('Zed', { capacity: 0 });
    const lead = await k.agent('Lea', { role: 'supervisor' });

    const before = (await k.getCase(n)).interactions.length;
    for (const who of [bob, outsider, full]) {
      const res = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'I will take this' }, who.token);
      expect(res.status, who.name).toBe(409);
      expect(res.body.error.code).toBe('CASE_NOT_CLAIMABLE');
      expect(res.body.error.message).toContain('offered to Ann');
    }
    // a supervisor too must say they take it over
    const plain = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'Let me help' }, lead.token);
    expect(plain.status).toBe(409);
    expect(plain.body.error.message).toMatch(/takeover/u);
    let kase = await k.getCase(n);
    expect(kase.interactions).toHaveLength(before);
    expect(kase).toMatchObject({ offeredTo: ann.id, assignee: null });

    // a note is no answer: anyone may add one
    expect((await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'FYI: VIP', internal: true }, bob.token)).status).toBe(202);

    const taken = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'Let me help', takeover: true }, lead.token);
    expect(taken.status).toBe(202);
    kase = await k.getCase(n);
    expect(kase).toMatchObject({ assignee: lead.id, offeredTo: null });
    expect(kase.interactions.some((i: any) => i.kind === 'event' && i.text === 'taken over by Lea (supervisor) from an offer to Ann')).toBe(true);

    // now assigned: another agent's answer is refused, and an agent may not take over
    const other = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'me too', takeover: true }, bob.token);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    const assigned = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'me too' }, bob.token);
    expect(assigned.status).toBe(409);
    expect(assigned.body.error.message).toContain('assigned to Lea');
  });

  it('answering an unoffered case takes it only for an agent who could claim it', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { strategy: 'manual' });
    const outsider = await k.agent('Olga', { queues: ['Billing'] });
    const full = await k.agent('Zed', { capacity: 0 });
    const ann = await k.agent('Ann');
    const n = await k.write('waiting@customer.test');
    for (const [who, why] of [[outsider, 'not in queue General'], [full, 'at capacity (0/0 cases)']] as const) {
      const res = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'hello' }, who.token);
      expect(res.status, who.name).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringContaining(why) });
    }
    expect((await k.getCase(n)).assignee).toBeNull();
    const res = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'hello' }, ann.token);
    expect(res.status).toBe(202);
    expect((await k.getCase(n)).assignee).toBe(ann.id);
  });

  it('an agent assigning a case to themselves is held to the rules of a claim; a supervisor’s assignment is a move on the record', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('self@customer.test');
    await k.offeredTo(n, ann.id);
    const bob = await k.agent('Bob');
    const outsider = await k.agent('Olga', { queues: ['Billing'] });
    const full = await k.agent('Zed', { capacity: 0 });
    const before = (await k.getCase(n)).interactions.length;
    for (const who of [bob, outsider, full]) {
      const res = await k.t.api('PATCH', `/api/v1/cases/${n}`, { assignee: who.id }, who.token);
      expect(res.status, who.name).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CASE_NOT_CLAIMABLE', message: expect.stringContaining('offered to Ann') });
    }
    expect(await k.getCase(n)).toMatchObject({ offeredTo: ann.id, assignee: null, interactions: { length: before } });

    // not offered to anyone: eligibility still counts
    const lead = await k.agent('Lea', { role: 'supervisor' });
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { assignee: null, queue: 'General' }, lead.token)).status).toBe(200);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { strategy: 'manual' });
    const free = await k.write('unoffered@customer.test');
    for (const [who, why] of [[outsider, 'not in queue General'], [full, 'at capacity (0/0 cases)']] as const) {
      const res = await k.t.api('PATCH', `/api/v1/cases/${free}`, { assignee: who.id }, who.token);
      expect(res.status, who.name).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringContaining(why) });
    }
    expect((await k.getCase(free)).assignee).toBeNull();
    expect((await k.t.api('PATCH', `/api/v1/cases/${free}`, { assignee: bob.id }, bob.token)).status).toBe(200);
    // a supervisor moves it to whoever they choose, rules or not, and the timeline says so
    const moved = await k.t.api('PATCH', `/api/v1/cases/${free}`, { assignee: outsider.id }, lead.token);
    expect(moved.body.assignee).toBe(outsider.id);
    expect((await k.getCase(free)).interactions.some((i: any) => i.text === 'assigned to Olga by Lea')).toBe(true);
  });
});

describe('a released case', () => {
  it('goes to another idle agent, not straight back to the one who released it', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('released@customer.test');
    await k.offeredTo(n, ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, ann.token)).status).toBe(200);
    const bob = await k.agent('Bob');
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { assignee: null }, ann.token)).status).toBe(200);
    await k.offeredTo(n, bob.id);

    // released by a supervisor: the same
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, bob.token)).status).toBe(200);
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { assignee: null })).status).toBe(200);
    await k.offeredTo(n, ann.id);
  });
});

describe('a case that changes hands or queue starts its rounds afresh', () => {
  /** Ann passes on a new General case: it waits out the back-off before its next round. */
  async function declinedByAnn() {
    const ann = await k.agent('Ann', { queues: ['General'] });
    const n = await k.write('afresh@customer.test');
    await k.offeredTo(n, ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, ann.token)).status).toBe(200);
    await k.pass();
    expect((await k.getCase(n)).interactions.map((i: any) => i.text)).toContainEqual(expect.stringContaining('round 2 starts at'));
    return { ann, n };
  }

  it('an agent who has not passed on it, coming online during the back-off, is offered it at once; the one who passed waits out the back-off', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const { ann, n } = await declinedByAnn();
    const bob = await k.agent('Bob', { queues: ['General'] }, 'offline');
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    expect((await k.t.api('PUT', `/api/v1/agents/${bob.id}/presence`, { presence: 'online' }, bob.token)).status).toBe(200);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBe(bob.id);
    // Bob passes too: nobody new is left, so the case waits for round 2 at the time set when round 1 ended (30 s after Ann passed)
    expect((await k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, bob.token)).status).toBe(200);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    const said = (await k.getCase(n)).interactions.map((i: any) => i.text).filter((t: string) => t.startsWith('nobody took'));
    expect(said).toHaveLength(1);
    k.clock.advance(30);
    await k.pass();
    expect([ann.id, bob.id]).toContain((await k.getCase(n)).offeredTo);
  });

  it('moved to another queue, it is offered there at once, not after the old queue’s back-off', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const { n } = await declinedByAnn();
    const bob = await k.agent('Bob', { queues: ['Billing'] });
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { queue: 'Billing' })).status).toBe(200);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBe(bob.id);
  });

  for (const how of ['answer', 'takeover'] as const) {
    it(`taken by ${how === 'answer' ? 'an answer' : 'a supervisor’s takeover'} and released, it goes to the agent who passed before the take`, async () => {
      k = await startAssignmentApp(NO_SWEEP);
      const { ann, n } = await declinedByAnn();
      const taker = await k.agent('Tom', how === 'takeover' ? { role: 'supervisor', queues: ['Billing'] } : { queues: ['General'] }, 'busy');
      const reply = await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'on it', ...(how === 'takeover' ? { takeover: true } : {}) }, taker.token);
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      expect((await k.getCase(n)).assignee).toBe(taker.id);
      // the answer leaves it awaiting the customer: open again, to be offered
      expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { assignee: null, state: 'open' }, taker.token)).status).toBe(200);
      // a new wait: Ann's pass on the old one is forgotten, Tom (who released it) is skipped
      await k.pass();
      expect((await k.getCase(n)).offeredTo).toBe(ann.id);
    });
  }
});

describe('offers end when eligibility does', () => {
  it('removing the agent from the queue, or switching the queue to manual, withdraws the offer at once, and a stale claim fails', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('stale@customer.test');
    await k.offeredTo(n, ann.id);
    expect((await k.t.api('PATCH', `/api/v1/agents/${ann.id}`, { queues: ['Billing'] })).status).toBe(200);
    // the claim does not wait for a pass: it checks for itself
    const claim = await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, ann.token);
    expect(claim.status).toBe(403);
    expect(claim.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringContaining('not in queue General') });
    await k.offeredTo(n, null);

    expect((await k.t.api('PATCH', `/api/v1/agents/${ann.id}`, { queues: [] })).status).toBe(200);
    await k.offeredTo(n, ann.id);
    expect((await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { strategy: 'manual' })).status).toBe(200);
    await k.offeredTo(n, null);
    // each ending is on the case, with the agent's name and the reason
    const said = (await k.getCase(n)).interactions.filter((i: any) => i.kind === 'event').map((i: any) => i.text);
    expect(said).toEqual(expect.arrayContaining(['offer to Ann withdrawn: not in queue General', 'offer to Ann withdrawn: queue General is manual']));
  });

  it('a case that stops waiting for an agent (answered by an integration, set awaiting or resolved) is no longer offered, and its agent has the room again', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann', { capacity: 1 });
    const first = await k.write('int1@customer.test');
    await k.offeredTo(first, ann.id);
    const second = await k.write('int2@customer.test');
    await k.pass();
    expect((await k.getCase(second)).offeredTo).toBeNull(); // Ann is full
    // an integration's token (no agent) answers
    expect((await k.t.api('POST', `/api/v1/cases/${first}/replies`, { text: 'We are on it.' })).status).toBe(202);
    expect((await k.getCase(first)).offeredTo).toBeNull();
    await k.offeredTo(second, ann.id);
    expect((await k.t.api('PATCH', `/api/v1/cases/${second}`, { state: 'resolved' })).status).toBe(200);
    expect((await k.getCase(second)).offeredTo).toBeNull();
    const load = await k.t.api('GET', '/api/v1/stats/agents');
    expect(load.body.items.find((x: any) => x.id === ann.id)).toMatchObject({ offers: 0 });
  });

  it('a pass that fails while it withdraws leaves the offers to check for the next one', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('refused@customer.test');
    await k.offeredTo(n, ann.id);
    await k.pass();
    // the database refuses to end offers for a while: the pass the agent's change starts fails
    const db = k.t.app.switchboard.db;
    await refuseWrites(db, { name: 'refuse_withdraw', table: 'Case', on: 'UPDATE OF "offeredToId"', when: `NEW."offeredToId" IS NULL` });
    expect((await k.t.api('PATCH', `/api/v1/agents/${ann.id}`, { queues: ['Billing'] })).status).toBe(200);
    expect(await k.pass()).toBeNull();
    expect((await k.getCase(n)).offeredTo).toBe(ann.id);
    await stopRefusing(db, 'refuse_withdraw');
    // no change and no lapse since: only the remembered check can end the offer
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
  });

  it('a follow-up that needs a skill the agent lacks withdraws the offer', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    await k.t.api('PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', requiredSkills: ['billing'] } });
    const ann = await k.agent('Ann');
    const chat = await k.chat('skills@customer.test');
    chat.send({ type: 'message', text: 'hello there' });
    const n = await k.caseOf('skills@customer.test');
    await k.offeredTo(n, ann.id);
    chat.send({ type: 'message', text: 'also, please refund the double payment on my invoice' });
    await k.offeredTo(n, null);
    const kase = await k.getCase(n);
    expect(kase.requiredSkills).toEqual(['billing']);
    expect(kase.interactions.some((i: any) => i.text === 'offer to Ann withdrawn: missing skills billing')).toBe(true);
  });
});

describe('declining does not loop', () => {
  it('a round nobody takes is followed by the next after a back-off, and at the queue’s limit the case is flagged and the consoles told', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const general = await k.queueId('General');
    expect((await k.t.api('PATCH', `/api/v1/queues/${general}`, { maxOfferRounds: 2 })).body).toMatchObject({ maxOfferRounds: 2, wrapUpSeconds: 0 });
    const lead = await k.agent('Lea', { role: 'supervisor', queues: ['Billing'] });
    const stream = await openAgentStream(k.t.url, lead.token);
    const ann = await k.agent('Ann');
    const n = await k.write('declined@customer.test');
    await k.offeredTo(n, ann.id);
    const decline = () => k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, ann.token);

    expect((await decline()).status).toBe(200);
    await k.pass();
    // not straight back to the one agent who just declined it
    expect((await k.getCase(n)).offeredTo).toBeNull();
    const said = async () => (await k.getCase(n)).interactions.map((i: any) => i.text);
    expect(await said()).toContain('nobody took the case in offer round 1 (passed: Ann); round 2 starts at 2024-05-14T10:00:30.000Z');
    k.clock.advance(29);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    k.clock.advance(1);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBe(ann.id);

    expect((await decline()).status).toBe(200);
    await k.pass();
    const given = 'nobody took the case in 2 offer rounds (passed: Ann): tagged no-taker; it waits for a supervisor, or an agent who has not passed on it';
    expect(await said()).toContain(given);
    expect((await k.getCase(n)).tags).toContain('no-taker');
    const alert = await stream.waitFor((f) => f.type === 'assignment.alert');
    expect(alert).toMatchObject({ case: { number: n }, reason: given });
    // no further rounds, however long it waits
    k.clock.advance(3600);
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    expect((await said()).filter((t: string) => t.startsWith('nobody took'))).toHaveLength(2);
    // someone who has not passed on it yet gets it
    const bob = await k.agent('Bob');
    await k.offeredTo(n, bob.id);
    stream.ws.close();
  });
});

describe('cases nobody can take', () => {
  it('do not hide the cases behind them, however many fill a page', async () => {
    k = await startAssignmentApp({ ...NO_SWEEP, ASSIGNMENT_BATCH: '5' });
    const ann = await k.agent('Ann', { skills: ['english'] }, 'offline');
    // twelve older cases need a skill nobody has: more than two pages of five
    await k.t.api('PATCH', '/api/v1/rules/general', { then: { queue: 'General', requiredSkills: ['french'] } });
    const stuck = await k.writeAll(emails('fr', 12));
    await k.t.api('PATCH', '/api/v1/rules/general', { then: { queue: 'General', requiredSkills: ['english'] } });
    const n = await k.write('plain@customer.test');
    await k.setPresence(ann, 'online');
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBe(ann.id);
    for (const s of stuck) expect((await k.getCase(s)).offeredTo).toBeNull();
  });
});

describe('admin changes start assignment at once', () => {
  it('raising capacity from 0, adding a skill, or coming online offers the waiting case without a sweep', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann', { capacity: 0 });
    const n = await k.write('cap@customer.test');
    await k.pass();
    expect((await k.getCase(n)).offeredTo).toBeNull();
    // why nobody was offered it is on the case, by name
    expect((await k.getCase(n)).routing.assignment).toMatchObject({ offeredTo: null, trace: expect.arrayContaining(['Ann: skipped, at capacity (0/0 cases)']) });
    expect((await k.t.api('PATCH', `/api/v1/agents/${ann.id}`, { capacity: 10 })).status).toBe(200);
    await k.offeredTo(n, ann.id);

    await k.setPresence(ann, 'offline');
    await k.offeredTo(n, null);
    await k.setPresence(ann, 'online');
    await k.offeredTo(n, ann.id);
  });
});
