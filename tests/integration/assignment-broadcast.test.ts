/**
 * Broadcast offers (a queue's `broadcastOffers`): a chat case goes to several eligible agents at once, the
 * first to accept takes it and the others' offers end at once; each offer reserves its agent's room, a
 * decline or a lapse ends only that agent's offer, and offers lapse together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp, type TestAgent } from '../support/assignment-kit.ts';

const NO_SWEEP = { ASSIGNMENT_SWEEP_MS: '3600000' };

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

const offersOf = async (a: TestAgent): Promise<string[]> => (await k.t.api('GET', '/api/v1/cases?offeredTo=me', undefined, a.token)).body.items.map((c: any) => c.number);
const heldOffers = async (a: TestAgent): Promise<number> => (await k.t.api('GET', '/api/v1/stats/agents')).body.items.find((x: any) => x.id === a.id).offers;

/** Four agents in General, which offers a chat case to three at once; one case written. */
async function broadcastFloor() {
  k = await startAssignmentApp(NO_SWEEP);
  const set = await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { broadcastOffers: 3, offerTimeoutSeconds: 20 });
  expect(set.body.broadcastOffers).toBe(3);
  const agents = [await k.agent('Ann'), await k.agent('Bob'), await k.agent('Cy'), await k.agent('Dee')];
  const n = await k.write('ring@customer.test');
  await k.pass();
  const holders: TestAgent[] = [];
  for (const a of agents) if ((await offersOf(a)).includes(n)) holders.push(a);
  return { agents, n, holders, others: agents.filter((a) => !holders.includes(a)) };
}

describe('broadcast offers', () => {
  it('offer a chat case to three agents at once; the first to accept takes it and the other offers end at once', async () => {
    const { n, holders, others } = await broadcastFloor();
    expect(holders).toHaveLength(3);
    for (const a of holders) expect(await heldOffers(a)).toBe(1);
    expect(await heldOffers(others[0]!)).toBe(0);
    const trace: string[] = (await k.getCase(n)).routing.assignment.trace;
    expect(trace.at(-1)).toMatch(/^broadcast: also offered to \w+, \w+; the first to accept takes it$/u);

    // one who holds a further offer (not the case's own) accepts
    const own = (await k.getCase(n)).offeredTo;
    const taker = holders.find((a) => a.id !== own)!;
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, taker.token)).status).toBe(200);
    expect(await k.getCase(n)).toMatchObject({ assignee: taker.id, offeredTo: null });
    for (const a of holders.filter((h) => h !== taker)) {
      expect(await offersOf(a)).toEqual([]);
      expect(await heldOffers(a)).toBe(0);
      const late = await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, a.token);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('CASE_NOT_CLAIMABLE');
    }
    // someone never offered it cannot take it either
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, others[0]!.token)).status).toBe(409);
  });

  it('answering is accepting: a holder of a further offer who answers takes the case, and the others’ offers end', async () => {
    const { n, holders } = await broadcastFloor();
    const own = (await k.getCase(n)).offeredTo;
    const answerer = holders.find((a) => a.id !== own)!;
    expect((await k.t.api('POST', `/api/v1/cases/${n}/replies`, { text: 'Hello, I can help.' }, answerer.token)).status).toBe(202);
    expect((await k.getCase(n)).assignee).toBe(answerer.id);
    for (const a of holders) expect(await offersOf(a)).toEqual([]);
    for (const a of holders.filter((h) => h !== answerer)) expect(await heldOffers(a)).toBe(0);
  });

  it('a decline ends only that agent’s offer, whether theirs was the case’s own or a further one', async () => {
    const { n, holders } = await broadcastFloor();
    const ownId = (await k.getCase(n)).offeredTo as string;
    const first = holders.find((a) => a.id === ownId)!;
    const [second, third] = holders.filter((a) => a.id !== ownId);
    expect((await k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, first.token)).status).toBe(200);
    expect(await offersOf(first)).toEqual([]);
    expect(await offersOf(second!)).toEqual([n]);
    expect(await offersOf(third!)).toEqual([n]);
    expect((await k.getCase(n)).offeredTo).not.toBeNull();
    expect((await k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, second!.token)).status).toBe(200);
    expect(await offersOf(third!)).toEqual([n]);
    // declining again, or an offer one does not hold: refused, nothing changes
    const again = await k.t.api('POST', `/api/v1/cases/${n}/decline`, undefined, second!.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_OFFERED');
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, third!.token)).status).toBe(200);
    expect((await k.getCase(n)).assignee).toBe(third!.id);
  });

  it('the offers lapse together, each a missed offer for its agent, and the next round goes to the agent not yet asked', async () => {
    const { n, holders, others } = await broadcastFloor();
    k.clock.advance(21);
    await k.pass();
    for (const a of holders) expect(await offersOf(a)).toEqual([]);
    const said = (await k.getCase(n)).interactions.map((i: any) => i.text);
    for (const a of holders) expect(said).toContain(`offer to ${a.name} not taken in time`);
    // Dee has not been asked: she is offered it now
    await k.pass();
    expect(await offersOf(others[0]!)).toEqual([n]);
  });

  it('refuses a broadcast size outside 1 to 20, changing nothing', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const general = await k.queueId('General');
    for (const broadcastOffers of [0, 21, 2.5, '3']) {
      expect((await k.t.api('PATCH', `/api/v1/queues/${general}`, { broadcastOffers })).status, String(broadcastOffers)).toBe(400);
    }
    expect((await k.t.api('GET', '/api/v1/queues')).body.items.find((q: any) => q.id === general).broadcastOffers).toBe(1);
  });
});
