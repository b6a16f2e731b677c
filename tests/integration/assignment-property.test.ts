/**
 * A property of assignment, on the real app: whatever the sequence of arrivals, declines, claims,
 * releases, resolves, presence and admin changes (capacity, queues, skills) and the passing of time,
 * after each step's pass no case is offered to an agent who may not take it, no agent holds an offer
 * that puts them past their capacity, and no claim succeeds for an agent who was not eligible.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inStore } from '../support/store-rows.ts';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';

type Op =
  | { op: 'write'; billing: boolean }
  | { op: 'decline'; agent: number }
  | { op: 'claim'; agent: number; pick: number }
  | { op: 'release'; agent: number }
  | { op: 'resolve'; agent: number }
  | { op: 'presence'; agent: number; presence: 'online' | 'busy' | 'offline' }
  | { op: 'capacity'; agent: number; capacity: number }
  | { op: 'queues'; agent: number; queues: string[] }
  | { op: 'skills'; agent: number; skills: string[] }
  | { op: 'wait'; seconds: number };

const agentIx = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), billing: fc.boolean() }), weight: 4 },
  fc.record({ op: fc.constant('decline' as const), agent: agentIx }),
  { arbitrary: fc.record({ op: fc.constant('claim' as const), agent: agentIx, pick: fc.nat(20) }), weight: 2 },
  fc.record({ op: fc.constant('release' as const), agent: agentIx }),
  fc.record({ op: fc.constant('resolve' as const), agent: agentIx }),
  fc.record({ op: fc.constant('presence' as const), agent: agentIx, presence: fc.constantFrom('online' as const, 'busy' as const, 'offline' as const) }),
  fc.record({ op: fc.constant('capacity' as const), agent: agentIx, capacity: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('queues' as const), agent: agentIx, queues: fc.constantFrom([], ['General'], ['Billing'], ['General', 'Billing']) }),
  fc.record({ op: fc.constant('skills' as const), agent: agentIx, skills: fc.constantFrom([], ['billing']) }),
  fc.record({ op: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 150 }) }),
);

interface AgentState {
  id: string;
  name: string;
  presence: string;
  capacity: number;
  queues: string[];
  skills: string[];
}

async function snapshot(k: AssignmentApp) {
  const agents: AgentState[] = (await k.t.api('GET', '/api/v1/agents')).body.items;
  const cases: any[] = (await k.t.api('GET', '/api/v1/cases?limit=200')).body.items;
  // the further offers of broadcasts, as the cases they are of, offered to their agents
  const byId = new Map(cases.map((c) => [Number(c.number.slice(2)) - 1000, c]));
  const broadcast = (await inStore(k.t.app.switchboard.db).broadcastOffer.findMany()).map((b: any) => ({ ...byId.get(b.caseId), offeredTo: b.agentId }));
  return { agents, cases, offers: [...cases.filter((c) => c.offeredTo && !c.assignee), ...broadcast] };
}

const active = (c: any) => ['new', 'open', 'awaiting_customer'].includes(c.state);
const inQueue = (a: AgentState, queue: string | null) => a.queues.length === 0 || (queue !== null && a.queues.includes(queue));
const hasSkills = (a: AgentState, needed: string[]) => needed.every((s) => a.skills.map((x) => x.toLowerCase()).includes(s.toLowerCase()));

/** What must hold after every pass. */
function checkInvariants(s: Awaited<ReturnType<typeof snapshot>>, step: string): void {
  for (const c of s.offers) {
    const a = s.agents.find((x) => x.id === c.offeredTo)!;
    expect(a.presence, `${step}: ${c.number} offered to ${a.name}`).toBe('online');
    expect(inQueue(a, c.queue), `${step}: ${c.number} (${c.queue}) offered to ${a.name} (${a.queues.join(',')})`).toBe(true);
    expect(hasSkills(a, c.requiredSkills), `${step}: ${c.number} needs ${c.requiredSkills} offered to ${a.name} (${a.skills})`).toBe(true);
  }
  for (const a of s.agents) {
    const offers = s.offers.filter((c) => c.offeredTo === a.id).length;
    const assigned = s.cases.filter((c) => c.assignee === a.id && active(c)).length;
    // an admin may lower a capacity below the cases an agent has: then at least no offer adds to them
    if (offers > 0) expect(assigned + offers, `${step}: ${a.name} holds ${assigned} cases and ${offers} offers with capacity ${a.capacity}`).toBeLessThanOrEqual(a.capacity);
  }
}

async function run(k: AssignmentApp, ops: Op[], agents: Array<{ id: string; token: string }>): Promise<void> {
  let n = 0;
  for (const [i, o] of ops.entries()) {
    const who = 'agent' in o ? agents[o.agent]! : null;
    const step = `step ${i} ${JSON.stringify(o)}`;
    const before = await snapshot(k);
    const mine = (cond: (c: any) => boolean) => before.cases.find((c) => cond(c));
    switch (o.op) {
      case 'write':
        await k.write(`p${n++}@customer.test`, o.billing ? 'please refund the double payment on my invoice' : 'hello, a question');
        break;
      case 'decline': {
        const c = before.offers.find((c) => c.offeredTo === who!.id);
        if (c) await k.t.api('POST', `/api/v1/cases/${c.number}/decline`, undefined, who!.token);
        break;
      }
      case 'claim': {
        const open = before.cases.filter((c) => active(c) && c.state !== 'awaiting_customer');
        const c = open[o.pick % Math.max(open.length, 1)];
        if (!c) break;
        const res = await k.t.api('POST', `/api/v1/cases/${c.number}/claim`, undefined, who!.token);
        if (res.status === 200 && c.assignee !== who!.id) {
          // it was free for this agent, and they were eligible (presence aside)
          const a = before.agents.find((x) => x.id === who!.id)!;
          const held = before.offers.some((x) => x.number === c.number && x.offeredTo === a.id);
          const load = before.cases.filter((x) => x.assignee === a.id && active(x)).length + before.offers.filter((x) => x.offeredTo === a.id).length - (held ? 1 : 0);
          expect(c.assignee, step).toBeNull();
          // offered to nobody, or to them (the case's own offer or one of a broadcast's)
          expect(c.offeredTo === null || held, step).toBe(true);
          expect(inQueue(a, c.queue) && hasSkills(a, c.requiredSkills) && load < a.capacity, `${step}: claim by ${a.name} (${JSON.stringify(a)}, load ${load}) of ${JSON.stringify(c)}`).toBe(true);
        } else if (res.status !== 200) {
          expect([403, 409], `${step}: ${JSON.stringify(res.body)}`).toContain(res.status);
        }
        break;
      }
      case 'release': {
        const c = mine((c) => c.assignee === who!.id && active(c));
        if (c) expect((await k.t.api('PATCH', `/api/v1/cases/${c.number}`, { assignee: null }, who!.token)).status).toBe(200);
        break;
      }
      case 'resolve': {
        const c = mine((c) => c.assignee === who!.id && active(c));
        if (c) expect((await k.t.api('PATCH', `/api/v1/cases/${c.number}`, { state: 'resolved' }, who!.token)).status).toBe(200);
        break;
      }
      case 'presence':
        expect((await k.t.api('PUT', `/api/v1/agents/${who!.id}/presence`, { presence: o.presence }, who!.token)).status).toBe(200);
        break;
      case 'capacity':
        expect((await k.t.api('PATCH', `/api/v1/agents/${who!.id}`, { capacity: o.capacity })).status).toBe(200);
        break;
      case 'queues':
        expect((await k.t.api('PATCH', `/api/v1/agents/${who!.id}`, { queues: o.queues })).status).toBe(200);
        break;
      case 'skills':
        expect((await k.t.api('PATCH', `/api/v1/agents/${who!.id}`, { skills: o.skills })).status).toBe(200);
        break;
      case 'wait':
        k.clock.advance(o.seconds);
        break;
    }
    await k.t.app.switchboard.pipeline.idle();
    await k.pass();
    checkInvariants(await snapshot(k), step);
    expect(await keptLoad(k), `${step}: the load kept by the triggers`).toEqual(await countedLoad(k));
  }
}

/** Each agent's load per channel as the store keeps it (AgentLoad), and as counted from the cases. */
async function keptLoad(k: AssignmentApp): Promise<Record<string, number>> {
  const rows = await inStore(k.t.app.switchboard.db).agentLoad.findMany();
  return Object.fromEntries(rows.filter((r: any) => r.n !== 0).map((r: any) => [`${r.agentId}/${r.channel}`, r.n]));
}
async function countedLoad(k: AssignmentApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const store = inStore(k.t.app.switchboard.db);
  const holders = (await store.case.findMany()).map((c: any) => ({
    who: c.assigneeId && ['new', 'open', 'awaiting_customer'].includes(c.state) ? c.assigneeId : !c.assigneeId && c.offeredToId ? c.offeredToId : null,
    channel: c.channel,
  }));
  for (const b of await store.broadcastOffer.findMany()) holders.push({ who: b.agentId, channel: b.channel });
  for (const { who, channel } of holders) if (who) out[`${who}/${channel}`] = (out[`${who}/${channel}`] ?? 0) + 1;
  return out;
}

describe('assignment under any sequence of events', () => {
  it('never offers a case to an ineligible agent, never fills an agent past capacity with offers, never lets an ineligible agent claim', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 30 }), async (ops) => {
        const k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000', OFFER_TIMEOUT_SECONDS: '60' });
        try {
          await k.t.api('PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', requiredSkills: ['billing'] } });
          // General rings two agents at once
          await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { broadcastOffers: 2 });
          const agents = [await k.agent('Ann', { capacity: 2 }), await k.agent('Bob', { capacity: 1, skills: ['billing'] }), await k.agent('Cy', { capacity: 2, queues: ['General'] })];
          await run(k, ops, agents);
        } finally {
          await k.close();
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );
  }, 240_000);
});
