/**
 * SLA policies through the API: the seeded defaults, every change validated with the path of each problem
 * and nothing changed when refused, versions and their restore, the audit trail, roles, and the simulation
 * ("a priority-3 email arriving Friday 16:30 is due Monday 12:30").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agentToken: string;
let supervisorToken: string;
beforeAll(async () => {
  t = await startApp({ DEFAULT_TIME_ZONE: 'UTC' });
  agentToken = (await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@support.test' })).body.token;
  supervisorToken = (await t.api('POST', '/api/v1/agents', { name: 'Sue Supervisor', email: 'sue@support.test', role: 'supervisor' })).body.token;
});
afterAll(() => t?.close());

describe('the seeded policies', () => {
  it('answer priority 1 within 15 business minutes and everything else within 4 business hours', async () => {
    const res = await t.api('GET', '/api/v1/sla-policies', undefined, agentToken);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: any) => [p.name, p.match, p.calendar, p.targets])).toEqual([
      ['Urgent', { priority: [1] }, 'case', { firstResponse: 'PT15M' }],
      ['Standard', {}, 'case', { firstResponse: 'PT4H' }],
    ]);
  });

  it('simulate: when a case opened at a moment would be due, on the default calendar (Monday to Friday, 09:00–17:00)', async () => {
    const friday = '2026-06-05T16:30:00Z';
    const standard = await t.api('POST', '/api/v1/sla-policies/simulate', { priority: 3, channel: 'email', at: friday }, supervisorToken);
    expect(standard.status).toBe(200);
    expect(standard.body).toMatchObject({ policy: 'Standard', calendar: 'Default', firstResponse: { dueAt: '2026-06-08T12:30:00.000Z' }, nextResponse: null, resolution: null });
    expect(standard.body.trace).toEqual(['Urgent: priority 3 not in [1]', 'Standard: applies']);
    const urgent = await t.api('POST', '/api/v1/sla-policies/simulate', { priority: 1, channel: 'email', at: friday }, supervisorToken);
    expect(urgent.body).toMatchObject({ policy: 'Urgent', firstResponse: { dueAt: '2026-06-05T16:45:00.000Z' } });
    // a draft list is tried instead of the policies in force
    const draft = await t.api(
      'POST',
      '/api/v1/sla-policies/simulate',
      { priority: 1, channel: 'email', at: friday, policies: [{ name: 'Calendar time', calendar: null, targets: { firstResponse: 'PT1H', resolution: 'P2D' } }] },
      supervisorToken,
    );
    expect(draft.body).toMatchObject({ policy: 'Calendar time', calendar: null, firstResponse: { dueAt: '2026-06-05T17:30:00.000Z' }, resolution: { dueAt: '2026-06-07T16:30:00.000Z' } });
  });
});

describe('changes', () => {
  it('are versions with an audit entry each, and an earlier version can be restored', async () => {
    const before = (await t.api('GET', '/api/v1/sla-policies')).body;
    const created = await t.api('POST', '/api/v1/sla-policies', { name: 'VIP', match: { vip: true, tier: ['gold', 'platinum'] }, targets: { firstResponse: 'PT30M', nextResponse: 'PT1H' }, warnBefore: '20%', position: 0 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'VIP', calendar: 'case', match: { vip: true, tier: ['gold', 'platinum'] }, pauseStates: ['awaiting_customer'], escalations: [], warnBefore: '20%' });
    const list = (await t.api('GET', '/api/v1/sla-policies')).body;
    expect(list.version).toBe(before.version + 1);
    expect(list.items.map((p: any) => p.name)).toEqual(['VIP', 'Urgent', 'Standard']);

    const patched = await t.api('PATCH', `/api/v1/sla-policies/${created.body.id}`, { targets: { firstResponse: 'PT20M' }, position: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body.targets).toEqual({ firstResponse: 'PT20M' });
    expect((await t.api('GET', '/api/v1/sla-policies')).body.items.map((p: any) => p.name)).toEqual(['Urgent', 'Standard', 'VIP']);

    const versions = (await t.api('GET', '/api/v1/sla-policies/versions', undefined, supervisorToken)).body.items;
    expect(versions[0]).toMatchObject({ version: before.version + 2, author: expect.any(String) });
    const restored = await t.api('POST', `/api/v1/sla-policies/versions/${before.version}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.items.map((p: any) => p.name)).toEqual(['Urgent', 'Standard']);
    expect(restored.body.version).toBe(before.version + 3);

    const audit = (await t.api('GET', '/api/v1/audit?limit=10')).body.items.map((a: any) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['sla-policy.created', 'sla-policy.updated', 'sla-policies.restored']));
  });

  it('are refused with the path of every problem, and change nothing', async () => {
    const before = (await t.api('GET', '/api/v1/sla-policies')).body;
    const cases: Array<[object, string]> = [
      [{ name: 'x', targets: {} }, 'policies[2].targets'],
      [{ name: 'x', targets: { firstResponse: 'four hours' } }, 'policies[2].targets.firstResponse'],
      [{ name: 'x', targets: { firstResponse: 'P1M' } }, 'policies[2].targets.firstResponse'],
      [{ name: 'x', targets: { firstResponse: 'PT0S' } }, 'policies[2].targets.firstResponse'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, warnBefore: '150%' }, 'policies[2].warnBefore'],
      // a lead as long as a target would warn as each case opens
      [{ name: 'x', targets: { firstResponse: 'PT15M', resolution: 'PT8H' }, warnBefore: 'PT30M' }, 'policies[2].warnBefore'],
      [{ name: 'x', targets: { firstResponse: 'PT30M' }, warnBefore: 'PT30M' }, 'policies[2].warnBefore'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, calendar: 'no-such-calendar' }, 'policies[2].calendar'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, match: { queue: 'Nowhere' } }, 'policies[2].match.queue[0]'],
      [{ name: 'standard', targets: { firstResponse: 'PT1H' } }, 'policies[2].name'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, escalations: [{ when: 'breach', target: 'resolution', actions: [{ type: 'tag', value: 'late' }] }] }, 'policies[2].escalations[0].target'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'queue', value: 'Nowhere' }] }] }, 'policies[2].escalations[0].actions[0].value'],
      [{ name: 'x', targets: { firstResponse: 'PT1H' }, escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'assign', value: 'nobody' }] }] }, 'policies[2].escalations[0].actions[0].value'],
    ];
    for (const [body, path] of cases) {
      const res = await t.api('POST', '/api/v1/sla-policies', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_SLA_POLICY');
      expect(res.body.error.details.map((d: any) => d.path), JSON.stringify(body)).toContain(path);
    }
    // shapes the schema refuses
    for (const body of [{ targets: { firstResponse: 'PT1H' } }, { name: 'x', targets: { firstResponse: 'PT1H' }, escalations: [{ when: 'later', target: 'any', actions: [{ type: 'tag', value: 'a' }] }] }, { name: 'x', targets: { firstResponse: 'PT1H' }, match: { priority: 9 } }, { name: 'x', targets: { firstResponse: 'PT1H' }, surprise: true }]) {
      const res = await t.api('POST', '/api/v1/sla-policies', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api('POST', '/api/v1/sla-policies', '{"name": "x", ')).status).toBe(400);
    expect((await t.api('GET', '/api/v1/sla-policies')).body).toEqual(before);
  });

  it('need the admin role; an unknown policy or version is 404', async () => {
    expect((await t.api('POST', '/api/v1/sla-policies', { name: 'x', targets: { firstResponse: 'PT1H' } }, supervisorToken)).status).toBe(403);
    expect((await t.api('POST', '/api/v1/sla-policies/simulate', { priority: 1, channel: 'email' }, agentToken)).status).toBe(403);
    expect((await t.api('GET', '/api/v1/sla-policies', undefined, 'nope')).status).toBe(401);
    expect((await t.api('PATCH', '/api/v1/sla-policies/missing', { name: 'y' })).body.error.code).toBe('SLA_POLICY_NOT_FOUND');
    expect((await t.api('DELETE', '/api/v1/sla-policies/missing')).status).toBe(404);
    expect((await t.api('GET', '/api/v1/sla-policies/versions/9999', undefined, supervisorToken)).status).toBe(404);
  });
});
