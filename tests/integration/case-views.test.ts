/**
 * The inbox's views as server queries: unassigned in my queues, active, by priority then age, breaching
 * soon, with cursors per order, exact counts per view, and when an offer lapses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { eventually } from '../support/test-app.ts';

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

const NO_SWEEP = { ASSIGNMENT_SWEEP_MS: '3600000', OFFER_TIMEOUT_SECONDS: '90' };

async function numbers(path: string, token?: string): Promise<string[]> {
  const res = await k.t.api('GET', path, undefined, token);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.items.map((c: { number: string }) => c.number);
}

/** Every page of a list, by its cursor, `limit` at a time. */
async function allPages(path: string, limit: number, token?: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await k.t.api('GET', `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((c: { number: string }) => c.number));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('the inbox views', () => {
  it('filter unassigned and active cases in my queues, sort by priority then age with cursors, and count each view', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    // five chats land in General (no keywords of another queue), one in Billing
    // by number, which is the order they were stored in (chats arriving together are stored in any order)
    const general = (await k.writeAll(['a@c.test', 'b@c.test', 'c@c.test', 'd@c.test', 'e@c.test'], 'hello, a question about your service')).sort();
    const billing = await k.write('f@c.test', 'I was charged twice on my invoice, refund please');
    expect((await k.getCase(billing)).queue).toBe('Billing');
    const [g1, g2, g3, g4, g5] = general as [string, string, string, string, string];
    for (const [n, priority] of [[g2, 1], [g4, 2], [g5, 1], [billing, 3]] as const) expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { priority })).status).toBe(200);
    expect((await k.t.api('PATCH', `/api/v1/cases/${g3}`, { state: 'resolved' })).status).toBe(200);
    // Ann works General only, and has not come online: nothing is offered
    const ann = await k.agent('Ann', { queues: ['General'] }, 'offline');
    expect((await k.t.api('PATCH', `/api/v1/cases/${g1}`, { assignee: ann.id })).status).toBe(200);

    expect(await numbers('/api/v1/cases?assignee=none&state=active&queue=mine&sort=oldest', ann.token)).toEqual([g2, g4, g5]);
    expect(await numbers('/api/v1/cases?assignee=none&state=active&sort=oldest')).toEqual([g2, g4, g5, billing]);
    expect(await numbers('/api/v1/cases?assignee=me&state=active', ann.token)).toEqual([g1]);
    expect(await numbers('/api/v1/cases?state=active&priority=1&sort=oldest')).toEqual([g2, g5]);
    // priority first, then the oldest; paged two at a time by its own cursor, nothing lost or repeated
    const byPriority = [g2, g5, g4, g1, billing];
    expect(await numbers('/api/v1/cases?state=active&sort=priority')).toEqual(byPriority);
    expect(await allPages('/api/v1/cases?state=active&sort=priority', 2)).toEqual(byPriority);
    expect(await allPages('/api/v1/cases?state=active&sort=oldest', 2)).toEqual([g1, g2, g4, g5, billing]);
    expect(await allPages('/api/v1/cases?state=active', 2)).toEqual([billing, g5, g4, g2, g1]);
    // a cursor of one order is refused by another
    const first = await k.t.api('GET', '/api/v1/cases?state=active&sort=priority&limit=2');
    const mixed = await k.t.api('GET', `/api/v1/cases?state=active&sort=oldest&cursor=${first.body.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.code).toBe('INVALID_CURSOR');

    const counts = await k.t.api('GET', '/api/v1/cases/counts', undefined, ann.token);
    expect(counts.status).toBe(200);
    // the default SLA policies give priority 1 a first response within the half hour: both are breaching soon
    expect(counts.body).toEqual({ offeredToMe: 0, mine: 1, unassigned: 3, open: 5, breachingSoon: 2, resolved: 1 });
    // a token of no agent: nothing of its own, every queue
    expect((await k.t.api('GET', '/api/v1/cases/counts')).body).toMatchObject({ offeredToMe: 0, mine: 0, unassigned: 4 });

    for (const bad of ['state=opened', 'priority=9', 'sort=random', 'sla=later', 'assignee=' + 'x'.repeat(101)]) {
      const res = await k.t.api('GET', `/api/v1/cases?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('VALIDATION_FAILED');
    }
  });

  it('breaching soon: cases whose SLA promise is broken or due within 30 minutes, the nearest first', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    for (const p of (await k.t.api('GET', '/api/v1/sla-policies')).body.items) await k.t.api('DELETE', `/api/v1/sla-policies/${p.id}`);
    await k.t.api('POST', '/api/v1/sla-policies', { name: 'Urgent', match: { priority: 1 }, calendar: null, targets: { firstResponse: 'PT20M' } });
    await k.t.api('POST', '/api/v1/sla-policies', { name: 'Usual', calendar: null, targets: { firstResponse: 'PT4H' } });
    const [relaxed, urgent, later] = (await k.writeAll(['r@c.test', 'u@c.test', 'l@c.test'], 'hello, a question about your service')).sort() as [string, string, string];
    expect((await k.t.api('PATCH', `/api/v1/cases/${urgent}`, { priority: 1 })).status).toBe(200);
    // the clocks are worked out again just after the change
    await eventually(async () => (await numbers('/api/v1/cases?sla=soon')).length > 0);
    expect(await numbers('/api/v1/cases?sla=soon')).toEqual([urgent]);
    expect((await k.t.api('GET', '/api/v1/cases/counts')).body.breachingSoon).toBe(1);
    // three hours and a half on, the 4-hour promises are due within the half hour too, the urgent one long broken
    k.clock.advance(3.6 * 3600);
    expect(await numbers('/api/v1/cases?sla=soon')).toEqual([urgent, relaxed, later]);
    expect((await k.t.api('GET', '/api/v1/cases/counts')).body.breachingSoon).toBe(3);
    // resolved without an answer, its broken promise stays on the case: neither the list nor the count shows it
    expect((await k.t.api('PATCH', `/api/v1/cases/${urgent}`, { state: 'resolved' })).status).toBe(200);
    expect(await numbers('/api/v1/cases?sla=soon')).toEqual([relaxed, later]);
    expect((await k.t.api('GET', '/api/v1/cases/counts')).body.breachingSoon).toBe(2);
  });

  it('an offer says when it was made and when it lapses (the queue’s timeout, else OFFER_TIMEOUT_SECONDS)', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const ann = await k.agent('Ann');
    const n = await k.write('offer@c.test');
    await k.offeredTo(n, ann.id);
    const kase = await k.getCase(n);
    expect(Date.parse(kase.offerExpiresAt) - Date.parse(kase.offeredAt)).toBe(90_000);
    expect(kase.contactId).toEqual(expect.any(String));
    const listed = (await k.t.api('GET', '/api/v1/cases?offeredTo=me', undefined, ann.token)).body.items[0];
    expect(listed).toMatchObject({ number: n, offeredAt: kase.offeredAt, offerExpiresAt: kase.offerExpiresAt });
    expect((await k.t.api('GET', '/api/v1/cases/counts', undefined, ann.token)).body.offeredToMe).toBe(1);

    // a new timeout moves the deadline of the offer already open: the countdown shown is the one the worker keeps
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: 30 });
    const moved = await k.getCase(n);
    expect(moved.offeredTo).toBe(ann.id);
    expect(Date.parse(moved.offerExpiresAt) - Date.parse(moved.offeredAt)).toBe(30_000);
    // back to the default (OFFER_TIMEOUT_SECONDS) and to 30 s again
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: null });
    expect(Date.parse((await k.getCase(n)).offerExpiresAt) - Date.parse(moved.offeredAt)).toBe(90_000);
    await k.t.api('PATCH', `/api/v1/queues/${await k.queueId('General')}`, { offerTimeoutSeconds: 30 });
    const bob = await k.agent('Bob');
    for (const body of [{ reason: '' }, { reason: 'x'.repeat(201) }, { why: 'busy' }, 'busy']) {
      const bad = await k.t.api('POST', `/api/v1/cases/${n}/decline`, body, ann.token);
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect((await k.getCase(n)).offeredTo).toBe(ann.id);
    expect((await k.t.api('POST', `/api/v1/cases/${n}/decline`, { reason: 'Busy with another customer' }, ann.token)).status).toBe(200);
    expect((await k.getCase(n)).interactions.some((i: any) => i.text === 'offer declined by Ann: Busy with another customer')).toBe(true);
    await k.offeredTo(n, bob.id);
    const again = await k.getCase(n);
    expect(Date.parse(again.offerExpiresAt) - Date.parse(again.offeredAt)).toBe(30_000);
    // taken: no offer, no times
    expect((await k.t.api('POST', `/api/v1/cases/${n}/claim`, undefined, bob.token)).status).toBe(200);
    expect(await k.getCase(n)).toMatchObject({ offeredTo: null, offeredAt: null, offerExpiresAt: null });
  });

  it('tags are set by a PATCH of all of them, each once, and the timeline says what changed', async () => {
    k = await startAssignmentApp(NO_SWEEP);
    const n = await k.write('tags@c.test');
    const set = await k.t.api('PATCH', `/api/v1/cases/${n}`, { tags: ['vip ', 'refund', 'VIP'] });
    expect(set.status).toBe(200);
    expect(set.body.tags).toEqual(['vip', 'refund']);
    expect((await k.t.api('PATCH', `/api/v1/cases/${n}`, { tags: ['refund', 'follow-up'] })).body.tags).toEqual(['refund', 'follow-up']);
    const said = (await k.getCase(n)).interactions.filter((i: any) => i.kind === 'event').map((i: any) => i.text);
    expect(said.filter((t: string) => t.includes('tagged'))).toEqual([expect.stringMatching(/^tagged vip, refund by /u), expect.stringMatching(/^tagged follow-up; untagged vip by /u)]);
    expect((await k.t.api('GET', `/api/v1/cases?q=${n}`)).body.items[0].tags).toEqual(['refund', 'follow-up']);
    // the tag filter: a whole tag, whatever its case; wildcards and parts of a tag match nothing
    const other = await k.write('tags2@c.test');
    expect((await k.t.api('PATCH', `/api/v1/cases/${other}`, { tags: ['Ärger', '50%_off', 'refund-later'] })).status).toBe(200);
    expect(await numbers('/api/v1/cases?tag=REFUND')).toEqual([n]);
    expect(await numbers(`/api/v1/cases?tag=${encodeURIComponent('Ärger')}`)).toEqual([other]);
    expect(await numbers(`/api/v1/cases?tag=${encodeURIComponent('50%_off')}`)).toEqual([other]);
    for (const none of ['refun', '%', '_', 'follow', '"refund"']) expect(await numbers(`/api/v1/cases?tag=${encodeURIComponent(none)}`), none).toEqual([]);
    expect((await k.t.api('GET', `/api/v1/cases?tag=${'x'.repeat(51)}`)).status).toBe(400);
    for (const tags of [[''], ['x'.repeat(51)], Array.from({ length: 21 }, (_, i) => `t${i}`), 'vip']) {
      const bad = await k.t.api('PATCH', `/api/v1/cases/${n}`, { tags });
      expect(bad.status, JSON.stringify(tags)).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
