/**
 * The rules admin API on the real app: read, create, change, delete, versions, audit, restore; refused
 * changes leave the running rules exactly as they were; simulate stores nothing; roles.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agent: { id: string; token: string };
let supervisor: { id: string; token: string };

beforeAll(async () => {
  t = await startApp();
  agent = (await t.api('POST', '/api/v1/agents', { name: 'Ada', email: 'ada@support.test' })).body;
  supervisor = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@support.test', role: 'supervisor' })).body;
});
afterAll(() => t.close());

/** Row counts of every table a routing decision or a rules change could touch. */
async function rowCounts() {
  const p = inStore(t.app.switchboard.db);
  return {
    cases: await p.case.count(),
    interactions: await p.interaction.count(),
    contacts: await p.contact.count(),
    identities: await p.channelIdentity.count(),
    outbox: await p.outboxItem.count(),
    versions: await p.ruleSetVersion.count(),
    audit: await p.ruleAudit.count(),
  };
}

async function caseOf(email: string) {
  return eventually(async () => {
    const list = await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`);
    return list.body.items[0] ? (await t.api('GET', `/api/v1/cases/${list.body.items[0].number}`)).body : null;
  });
}

describe('seeded at first start', () => {
  it('queues, a lexicon, templates and rules, as version 1 by "system"', async () => {
    const queues = (await t.api('GET', '/api/v1/queues')).body.items.map((q: any) => q.name);
    expect(queues).toEqual(['General', 'Billing', 'Orders & Delivery', 'Account', 'Technical']);
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    expect(doc).toMatchObject({ version: 1, author: 'system', businessHours: null });
    expect(doc.rules.map((r: any) => r.id)).toContain('billing');
    expect(Object.keys(doc.lexicon.categories)).toEqual(['Billing', 'Orders & Delivery', 'Account', 'Technical', 'General']);
    expect(doc.templates['after-hours']).toMatch(/\{\{caseNumber\}\}/);
    const audit = (await t.api('GET', '/api/v1/rules/audit')).body.items;
    expect(audit).toEqual([expect.objectContaining({ version: 1, actor: 'system', action: 'config.seeded' })]);
  });
});

describe('roles', () => {
  it('agents may not read or simulate; supervisors read and simulate but do not write', async () => {
    expect((await t.api('GET', '/api/v1/rules', undefined, agent.token)).status).toBe(403);
    expect((await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'hi' }, agent.token)).status).toBe(403);
    expect((await t.api('GET', '/api/v1/rules', undefined, supervisor.token)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/rules/audit', undefined, supervisor.token)).status).toBe(200);
    expect((await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'hi' }, supervisor.token)).status).toBe(200);
    const before = await rowCounts();
    for (const [method, path, body] of [
      ['POST', '/api/v1/rules', { id: 'x', when: {}, then: { tags: ['x'] } }],
      ['PATCH', '/api/v1/rules/billing', { enabled: false }],
      ['DELETE', '/api/v1/rules/billing', undefined],
      ['PATCH', '/api/v1/rules', { templates: {} }],
      ['POST', '/api/v1/rules/versions/1/restore', undefined],
    ] as const) {
      const res = await t.api(method, path, body, supervisor.token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('changing rules while running', () => {
  it('a created rule routes the very next message (no restart), is versioned and audited with its author', async () => {
    const created = await t.api('POST', '/api/v1/rules', {
      id: 'vip-desk',
      name: 'Partnerships go to Account',
      when: { keywords: ['partnership', 'reseller programme'] },
      then: { queue: 'Account', tags: ['partner'] },
    });
    expect(created.status).toBe(201);
    // placed before the catch-all, or it could never choose a queue
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    expect(doc.rules[created.body.position].id).toBe('vip-desk');
    expect(doc.rules.findIndex((r: any) => r.id === 'general')).toBe(created.body.position + 1);
    expect(doc.version).toBe(created.body.version);

    const c = await ChatClient.open(t.url, { name: 'Pat', email: 'pat@partner.test' });
    c.send({ type: 'message', text: 'Hi, who handles a partnership with your company?' });
    const kase = await caseOf('pat@partner.test');
    expect(kase).toMatchObject({ queue: 'Account', tags: ['partner'] });
    expect(kase.routing.version).toBe(created.body.version);
    expect(kase.routing.decision).toMatchObject({ queue: 'Account', queueRuleId: 'vip-desk' });
    await c.close();

    const audit = (await t.api('GET', '/api/v1/rules/audit?rule=vip-desk')).body.items;
    expect(audit).toEqual([
      expect.objectContaining({ action: 'rule.created', target: 'vip-desk', actorRole: 'admin', version: created.body.version, after: expect.objectContaining({ rule: expect.objectContaining({ id: 'vip-desk' }) }) }),
    ]);
    expect(audit[0].actor).toMatch(/^token:/);
  });

  it('PATCH and DELETE one rule: new versions, each audited with before and after', async () => {
    const patched = await t.api('PATCH', '/api/v1/rules/vip-desk', { then: { queue: 'Billing' }, enabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body.rule).toMatchObject({ id: 'vip-desk', then: { queue: 'Billing' } });
    expect((await t.api('GET', '/api/v1/rules/vip-desk')).body.rule.then).toEqual({ queue: 'Billing' });
    const sim = await t.api('POST', '/api/v1/rules/simulate', { channel: 'email', from: 'a@b.test', text: 'a partnership question' });
    expect(sim.body.queue).toBe('Billing');

    const deleted = await t.api('DELETE', '/api/v1/rules/vip-desk');
    expect(deleted.status).toBe(200);
    expect(deleted.body.version).toBe(patched.body.version + 1);
    expect((await t.api('GET', '/api/v1/rules/vip-desk')).status).toBe(404);
    expect((await t.api('DELETE', '/api/v1/rules/vip-desk')).body.error.code).toBe('RULE_NOT_FOUND');

    const audit = (await t.api('GET', '/api/v1/rules/audit?rule=vip-desk')).body.items;
    expect(audit.map((a: any) => a.action)).toEqual(['rule.deleted', 'rule.updated', 'rule.created']);
    expect(audit[1].before.rule.then).toEqual({ queue: 'Account', tags: ['partner'] });
    expect(audit[1].after.rule.then).toEqual({ queue: 'Billing' });
    const versions = (await t.api('GET', '/api/v1/rules/versions')).body.items;
    expect(versions[0]).toMatchObject({ version: deleted.body.version, change: 'rule vip-desk deleted' });
  });

  it('an old version can be read and restored, as a new version', async () => {
    const before = (await t.api('GET', '/api/v1/rules')).body;
    const v1 = (await t.api('GET', '/api/v1/rules/versions/1')).body;
    expect(v1.rules.some((r: any) => r.id === 'vip-desk')).toBe(false);
    const restored = await t.api('POST', '/api/v1/rules/versions/1/restore');
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(before.version + 1);
    expect(restored.body.rules).toEqual(v1.rules);
    expect((await t.api('POST', '/api/v1/rules/versions/999/restore')).body.error.code).toBe('VERSION_NOT_FOUND');
  });

  it('PATCH /rules replaces the lexicon, templates or business hours; the lexicon drives routing at once', async () => {
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    const lexicon = structuredClone(doc.lexicon);
    lexicon.categories.Technical.push({ term: 'flux capacitor', weight: 5 });
    const res = await t.api('PATCH', '/api/v1/rules', { lexicon });
    expect(res.status).toBe(200);
    const sim = await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'my flux capacitor hums' });
    expect(sim.body).toMatchObject({ queue: 'Technical', category: 'Technical' });
    const audit = (await t.api('GET', '/api/v1/rules/audit?limit=1')).body.items[0];
    expect(audit).toMatchObject({ action: 'config.updated', target: 'lexicon' });
  });

  it('with ?version=N a change made on a stale copy is refused with 409', async () => {
    const { version } = (await t.api('GET', '/api/v1/rules')).body;
    const stale = await t.api('PATCH', `/api/v1/rules/urgent?version=${version - 1}`, { enabled: false });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const fresh = await t.api('PATCH', `/api/v1/rules/urgent?version=${version}`, { enabled: false });
    expect(fresh.status).toBe(200);
    await t.api('PATCH', '/api/v1/rules/urgent', { enabled: true });
  });
});

describe('refused changes change nothing', () => {
  const bad: Array<[string, string, string, unknown, number, string, RegExp]> = [
    ['sentiment out of range', 'POST', '/api/v1/rules', { id: 'b1', when: { sentiment: { below: -3 } }, then: { queue: 'Billing' } }, 400, 'INVALID_RULES', /^when\.sentiment\.below: must be a number between -1 and 1/],
    ['typo in a condition', 'POST', '/api/v1/rules', { id: 'b2', when: { keywrods: ['x'] }, then: { queue: 'Billing' } }, 400, 'INVALID_RULES', /^when\.keywrods: unknown key/],
    ['unknown queue', 'POST', '/api/v1/rules', { id: 'b3', when: {}, then: { queue: 'Nowhere' } }, 400, 'INVALID_RULES', /^then\.queue: no queue named "Nowhere"/],
    ['unknown template', 'PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', autoReplyTemplate: 'nope' } }, 400, 'INVALID_RULES', /^then\.autoReplyTemplate: no template "nope"/],
    ['catastrophic regex', 'POST', '/api/v1/rules', { id: 'b4', when: { matches: { pattern: '(a+)+$' } }, then: { tags: ['x'] } }, 400, 'INVALID_RULES', /^when\.matches\.pattern: .*catastrophic backtracking/],
    ['backreference', 'POST', '/api/v1/rules', { id: 'b5', when: { matches: { pattern: '(a)\\1' } }, then: { tags: ['x'] } }, 400, 'INVALID_RULES', /^when\.matches\.pattern: must not use backreferences/],
    ['duplicate id', 'POST', '/api/v1/rules', { id: 'billing', when: {}, then: { tags: ['x'] } }, 409, 'RULE_EXISTS', /billing/],
    ['reserved id', 'POST', '/api/v1/rules', { id: 'versions', when: {}, then: { tags: ['x'] } }, 400, 'INVALID_RULES', /^id: "versions" is reserved/],
    ['whole set with a deep error', 'PATCH', '/api/v1/rules', { rules: [{ id: 'a', when: {}, then: { queue: 'General' } }, { id: 'b', when: { case: { priority: { atMost: 9 } } }, then: { tags: ['t'] } }] }, 400, 'INVALID_RULES', /^rules\[1\]\.when\.case\.priority\.atMost: must be a number between 1 and 4/],
    ['lexicon category a rule needs is gone', 'PATCH', '/api/v1/rules', { lexicon: { categories: { Billing: ['invoice'] } } }, 400, 'INVALID_RULES', /^rules\[\d+\]\.when\.category\[0\]: no category "Orders & Delivery" in the lexicon/],
    ['bad time zone', 'PATCH', '/api/v1/rules', { businessHours: { timezone: 'Nowhere/City', days: [1], open: '09:00', close: '17:00' } }, 400, 'INVALID_RULES', /^businessHours\.timezone: unknown time zone/],
    ['not a rule list', 'PATCH', '/api/v1/rules', { rules: 'all' }, 400, 'VALIDATION_FAILED', /rules/],
    ['empty patch', 'PATCH', '/api/v1/rules', {}, 400, 'VALIDATION_FAILED', /.+/],
    ['unknown rule', 'PATCH', '/api/v1/rules/ghost', { enabled: false }, 404, 'RULE_NOT_FOUND', /ghost/],
    ['malformed JSON', 'POST', '/api/v1/rules', '{"id": "x", "when": {', 400, 'INVALID_JSON', /.+/],
  ];

  it.each(bad)('%s: %s %s → %i %s, with the exact path, nothing changed', async (_what, method, path, body, status, code, message) => {
    const before = await rowCounts();
    const rulesBefore = (await t.api('GET', '/api/v1/rules')).body;
    const simBefore = (await t.api('POST', '/api/v1/rules/simulate', { channel: 'email', from: 'a@b.test', text: 'refund my invoice' })).body;
    const res = await t.api(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    if (code === 'INVALID_RULES') {
      expect(res.body.error.message).toMatch(/the running rules are unchanged/);
      expect(res.body.error.details[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
    expect(await rowCounts()).toEqual(before);
    expect((await t.api('GET', '/api/v1/rules')).body).toEqual(rulesBefore);
    expect((await t.api('POST', '/api/v1/rules/simulate', { channel: 'email', from: 'a@b.test', text: 'refund my invoice' })).body).toEqual(simBefore);
  });

  it('reports every problem of a rule set, not just the first', async () => {
    const res = await t.api('PATCH', '/api/v1/rules', {
      rules: [
        { id: 'a', when: { channel: ['fax'] }, then: { queue: 'General' } },
        { id: 'a', when: {}, then: { priority: 7 } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'rules[0].when.channel[0]', message: 'must be one of chat, email, sms, slack' },
      { path: 'rules[1].id', message: 'duplicate id "a" (also rules[0])' },
      { path: 'rules[1].then.priority', message: 'must be 1, 2, 3 or 4' },
    ]);
    expect(res.body.error.message).toMatch(/\(and 2 more problems\)/);
  });
});

describe('simulate', () => {
  it('returns the decision with its trace and stores nothing', async () => {
    const before = await rowCounts();
    const res = await t.api('POST', '/api/v1/rules/simulate', {
      channel: 'email',
      from: 'angry@customer.test',
      subject: 'Charged twice',
      text: 'This is the third time I write: you charged my card twice and nobody answers. I want my money back NOW!!',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queue: 'Billing', category: 'Billing', frustrated: true, tags: expect.arrayContaining(['frustrated']) });
    expect(res.body.sentiment).toBeLessThan(-0.5);
    expect(res.body.priority).toBeLessThanOrEqual(2);
    const kinds = res.body.trace.map((e: any) => e.kind);
    expect(kinds[0]).toBe('scores');
    expect(kinds).toContain('rule');
    expect(kinds.slice(-2)).toEqual(['queue', 'priority']);
    expect(res.body.trace.find((e: any) => e.kind === 'rule' && e.ruleId === 'billing')).toMatchObject({ matched: true, applied: ['queue Billing'] });
    expect(await rowCounts()).toEqual(before);
  });

  it('uses the stored contact of the sender (tier, VIP) without changing it, or the contact given', async () => {
    const p = inStore(t.app.switchboard.db);
    const account = (await t.api('POST', '/api/v1/accounts', { name: 'BigCorp', domains: ['bigcorp.test'], tier: 'enterprise', vip: true })).body;
    expect((await t.api('POST', '/api/v1/contacts', { name: 'Vera', email: 'vera@bigcorp.test', accountId: account.id })).status).toBe(201);
    const before = await rowCounts();
    const known = await t.api('POST', '/api/v1/rules/simulate', { channel: 'email', from: 'vera@bigcorp.test', text: 'a question' });
    expect(known.body.contact).toMatchObject({ name: 'Vera', vip: true, tier: 'enterprise', accountName: 'BigCorp' });
    expect(known.body.tags).toContain('vip');
    const given = await t.api('POST', '/api/v1/rules/simulate', { channel: 'email', from: 'vera@bigcorp.test', text: 'a question', contact: { vip: false } });
    expect(given.body.tags).not.toContain('vip');
    expect(await rowCounts()).toEqual(before);
    expect(await p.contact.findFirst({ where: { email: 'vera@bigcorp.test' } })).toMatchObject({ name: 'Vera' });
  });

  it('simulates a follow-up and an after-hours moment', async () => {
    await t.api('PATCH', '/api/v1/rules', { businessHours: { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' } });
    const night = await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'hello', at: '2024-05-14T22:00:00Z' });
    expect(night.body.autoReply).toEqual({ template: 'after-hours', text: expect.stringContaining('CS0000000') });
    const day = await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'hello', at: '2024-05-14T10:00:00Z' });
    expect(day.body.autoReply).toBeNull();
    const followUp = await t.api('POST', '/api/v1/rules/simulate', { channel: 'chat', from: 'x', text: 'THIRD time: still waiting!!', case: { state: 'open', priority: 4 } });
    expect(followUp.body.priority).toBeLessThan(4);
    await t.api('PATCH', '/api/v1/rules', { businessHours: null });
  });

  it.each([
    ['a 1 MB text', { channel: 'chat', from: 'x', text: 'a'.repeat(1024 * 1024) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['a text over 64 KB', { channel: 'chat', from: 'x', text: 'é'.repeat(40 * 1024) }, 413, 'TEXT_TOO_LONG'],
    ['no text', { channel: 'chat', from: 'x' }, 400, 'VALIDATION_FAILED'],
    ['an unknown channel', { channel: 'fax', from: 'x', text: 'hi' }, 400, 'VALIDATION_FAILED'],
    ['a bad moment', { channel: 'chat', from: 'x', text: 'hi', at: 'yesterday' }, 400, 'VALIDATION_FAILED'],
  ])('%s → %i %s, nothing stored', async (_what, body, status, code) => {
    const before = await rowCounts();
    const res = await t.api('POST', '/api/v1/rules/simulate', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await rowCounts()).toEqual(before);
  });
});
