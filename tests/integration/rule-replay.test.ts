/**
 * Replaying stored customer messages through a draft of the rules: what would land in another queue or at
 * another priority, from what to what, with examples; streamed with progress; nothing written; a draft
 * that does not validate is refused before anything runs. And how often each live rule matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inStore } from '../support/store-rows.ts';
import { ADMIN, ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let supervisor: { token: string };

async function chat(email: string, ...texts: string[]): Promise<string> {
  const c = await ChatClient.open(t.url, { name: email.split('@')[0], email });
  for (const [i, text] of texts.entries()) {
    c.send({ type: 'message', text, id: `${email.replace("@", "_")}-${i}` });
    await c.waitFor((f) => f.type === 'ack' && f.id === `${email.replace("@", "_")}-${i}`);
  }
  await c.close();
  return eventually(async () => {
    const kase = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0];
    const detail = kase && (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    return detail?.interactions.filter((i: any) => i.direction === 'inbound').length === texts.length ? kase.number : null;
  });
}

/** POSTs a replay and reads its NDJSON lines. */
async function replay(body: unknown, token = ADMIN): Promise<{ status: number; type: string | null; lines: any[]; json: any }> {
  const res = await fetch(`${t.url}/api/v1/rules/replay`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const type = res.headers.get('content-type');
  if (!type?.startsWith('application/x-ndjson')) return { status: res.status, type, lines: [], json: JSON.parse(text) };
  return { status: res.status, type, lines: text.trim().split('\n').map((l) => JSON.parse(l)), json: null };
}

const ESPRESSO_RULE = { id: 'espresso', name: 'Espresso machines', when: { keywords: ['espresso'] }, then: { queue: 'Technical', priority: 1 } };

beforeAll(async () => {
  t = await startApp();
  supervisor = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@support.test', role: 'supervisor' })).body;
  await chat('a@replay.test', 'My espresso machine leaks water');
  await chat('b@replay.test', 'The espresso grinder is stuck');
  await chat('c@replay.test', 'Where can I find the opening hours?');
  // a follow-up mentioning it: its case stays where it is, only its priority may change
  await chat('d@replay.test', 'A question about my account', 'also the espresso maker broke');
});
afterAll(() => t?.close());

describe('a replay of the rules', () => {
  it('tells how many messages a draft moves, from what to what, with examples, and writes nothing', async () => {
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    const p = inStore(t.app.switchboard.db);
    const before = [await p.case.count(), await p.interaction.count(), await p.ruleSetVersion.count(), await p.ruleAudit.count()];

    const r = await replay({ rules: [ESPRESSO_RULE, ...doc.rules] });
    expect(r.status).toBe(200);
    const result = r.lines.at(-1);
    expect(r.lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
    expect(r.lines.at(-2)).toEqual({ type: 'progress', done: 5, total: 1000 });
    expect(result).toMatchObject({ type: 'result', total: 5, queueChanged: 2, liveVersion: doc.version });
    // the two openers move to Technical; the follow-up only rises in priority
    const toTechnical = result.moves.filter((m: any) => m.to.queue === 'Technical' && m.from.queue !== 'Technical');
    expect(toTechnical.reduce((n: number, m: any) => n + m.count, 0)).toBe(2);
    expect(toTechnical.flatMap((m: any) => m.examples.map((e: any) => e.text)).sort()).toEqual(['My espresso machine leaks water', 'The espresso grinder is stuck']);
    expect(result.moves.every((m: any) => m.to.priority === 1)).toBe(true);
    expect(result.priorityChanged).toBe(3);
    expect(result.changed).toBe(3);
    expect(toTechnical[0].examples[0]).toMatchObject({ caseNumber: expect.stringMatching(/^CS\d{7}$/u), channel: 'chat', at: expect.any(String) });

    // the live rules are untouched and nothing was stored
    expect((await t.api('GET', '/api/v1/rules')).body.version).toBe(doc.version);
    expect([await p.case.count(), await p.interaction.count(), await p.ruleSetVersion.count(), await p.ruleAudit.count()]).toEqual(before);
  });

  it('replays the newest messages up to the limit; the live rules as a draft change nothing', async () => {
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    const two = await replay({ rules: [ESPRESSO_RULE, ...doc.rules], limit: 2 });
    expect(two.lines.at(-1)).toMatchObject({ type: 'result', total: 2 });
    const same = await replay({ lexicon: doc.lexicon });
    expect(same.lines.at(-1)).toMatchObject({ type: 'result', total: 5, changed: 0, queueChanged: 0, priorityChanged: 0, moves: [] });
  });

  it('refuses a draft that does not validate, with the path of each problem, before anything runs; and anyone but an admin', async () => {
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    const bad = await replay({ rules: [{ ...ESPRESSO_RULE, then: { queue: 'Nowhere' } }, ...doc.rules] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_RULES');
    expect(bad.json.error.details[0].path).toBe('rules[0].then.queue');
    const unsafe = await replay({ rules: [{ id: 'x', when: { matches: { pattern: '(a+)+$' } }, then: { priority: 1 } }] });
    expect(unsafe.status).toBe(400);
    expect(unsafe.json.error.details[0].path).toMatch(/^rules\[0\]\.when\.matches/u);
    for (const body of [{ limit: 0 }, { limit: 10_001 }, { rules: 'all' }, { whatever: 1 }]) {
      const res = await replay(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await replay({ lexicon: doc.lexicon }, supervisor.token)).status).toBe(403);
    expect((await replay({ lexicon: doc.lexicon }, 'nope')).status).toBe(401);
  });
});

describe('rule match counts', () => {
  it('count the routed messages each rule matched, in the last 24 hours and 7 days, with the last match', async () => {
    const created = await t.api('POST', '/api/v1/rules', { id: 'kettles', when: { keywords: ['kettle'] }, then: { tags: ['kettle'] }, position: 0 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = Date.now();
    await chat('k1@replay.test', 'My kettle does not switch off');
    await chat('k2@replay.test', 'The kettle lid broke', 'and the kettle leaks');
    const hits = await t.api('GET', '/api/v1/rules/hits', undefined, supervisor.token);
    expect(hits.status).toBe(200);
    const kettles = hits.body.items.find((h: any) => h.ruleId === 'kettles');
    expect(kettles).toMatchObject({ last24h: 3, last7d: 3 });
    expect(Date.parse(kettles.lastMatchAt)).toBeGreaterThanOrEqual(started - 1000);
    // a rule that matched nothing is not listed
    expect(hits.body.items.some((h: any) => h.ruleId === 'espresso')).toBe(false);
    const agent = (await t.api('POST', '/api/v1/agents', { name: 'Al', email: 'al@support.test' })).body;
    expect((await t.api('GET', '/api/v1/rules/hits', undefined, agent.token)).status).toBe(403);
  });
});
