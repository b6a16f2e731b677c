/**
 * Canned responses: each agent keeps their own (no one else sees them), admins keep the team's shared ones,
 * a queue can narrow where one is offered, and a shortcut is taken once per scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let ann: { id: string; token: string };
let bob: { id: string; token: string };

beforeAll(async () => {
  t = await startApp();
  ann = (await t.api('POST', '/api/v1/agents', { name: 'Ann' })).body;
  bob = (await t.api('POST', '/api/v1/agents', { name: 'Bob' })).body;
});
afterAll(async () => {
  await t?.close();
});

const shortcuts = async (token: string, query = '') => {
  const res = await t.api('GET', `/api/v1/canned-responses${query}`, undefined, token);
  expect(res.status).toBe(200);
  return res.body.items.map((r: { shortcut: string; shared: boolean }) => `${r.shortcut}${r.shared ? ' (shared)' : ''}`);
};

describe('canned responses', () => {
  it('are one’s own or the team’s; a queue narrows where they are offered', async () => {
    const own = await t.api('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'Thanks', text: 'Thanks {{contact.firstName}}, glad to help!' }, ann.token);
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ shortcut: 'thanks', shared: false, ownerId: ann.id, queue: null });
    const shared = await t.api('POST', '/api/v1/canned-responses', { shortcut: 'refund', title: 'Refund on its way', text: 'Your refund for {{case.number}} is on its way.', shared: true, queue: 'Billing' });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ shared: true, ownerId: null, queue: 'Billing' });
    // the same shortcut in another scope is fine; twice in one scope is not
    expect((await t.api('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'Thanks (team)', text: 'Thank you!', shared: true })).status).toBe(201);
    const twice = await t.api('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'Again', text: 'Again' }, ann.token);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('"thanks" is taken');

    expect(await shortcuts(ann.token)).toEqual(['refund (shared)', 'thanks (shared)', 'thanks']);
    expect(await shortcuts(bob.token)).toEqual(['refund (shared)', 'thanks (shared)']);
    expect(await shortcuts(ann.token, '?queue=General')).toEqual(['thanks (shared)', 'thanks']);
    expect(await shortcuts(ann.token, '?queue=Billing')).toEqual(['refund (shared)', 'thanks (shared)', 'thanks']);
    expect((await t.api('GET', '/api/v1/canned-responses?queue=Nowhere', undefined, ann.token)).status).toBe(404);
  });

  it('only admins keep shared ones; another agent’s own is not even seen', async () => {
    const refused = await t.api('POST', '/api/v1/canned-responses', { shortcut: 'hi', title: 'Hi', text: 'Hi', shared: true }, ann.token);
    expect(refused.status).toBe(403);
    const noAgent = await t.api('POST', '/api/v1/canned-responses', { shortcut: 'hi', title: 'Hi', text: 'Hi' });
    expect(noAgent.status).toBe(403);
    expect(noAgent.body.error.code).toBe('NOT_AN_AGENT');

    const mine = (await t.api('POST', '/api/v1/canned-responses', { shortcut: 'bye', title: 'Bye', text: 'Bye!' }, bob.token)).body;
    expect((await t.api('PATCH', `/api/v1/canned-responses/${mine.id}`, { text: 'Goodbye!' }, ann.token)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/canned-responses/${mine.id}`, undefined, ann.token)).status).toBe(404);
    const changed = await t.api('PATCH', `/api/v1/canned-responses/${mine.id}`, { text: 'Goodbye, {{contact.firstName}}!', queue: 'General' }, bob.token);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ text: 'Goodbye, {{contact.firstName}}!', queue: 'General' });

    const team = (await t.api('GET', '/api/v1/canned-responses', undefined, ann.token)).body.items.find((r: { shortcut: string; shared: boolean }) => r.shortcut === 'refund');
    expect((await t.api('PATCH', `/api/v1/canned-responses/${team.id}`, { title: 'Mine now' }, ann.token)).status).toBe(403);
    expect((await t.api('PATCH', `/api/v1/canned-responses/${team.id}`, { title: 'Refund sent' })).body.title).toBe('Refund sent');
    expect((await t.api('PATCH', `/api/v1/canned-responses/${team.id}`, { shared: false })).status).toBe(400);

    expect((await t.api('DELETE', `/api/v1/canned-responses/${mine.id}`, undefined, bob.token)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/canned-responses/${mine.id}`, undefined, bob.token)).status).toBe(404);
  });

  it('refuses malformed ones with a clear 400, changing nothing', async () => {
    const before = await shortcuts(ann.token);
    for (const body of [
      { shortcut: 'Hello World', title: 'x', text: 'x' },
      { shortcut: 'x'.repeat(41), title: 'x', text: 'x' },
      { shortcut: 'ok', title: '', text: 'x' },
      { shortcut: 'ok', title: 'x', text: 'x'.repeat(10_001) },
      { shortcut: 'ok', title: 'x' },
      { shortcut: 'ok', title: 'x', text: 'x', extra: true },
    ]) {
      const res = await t.api('POST', '/api/v1/canned-responses', body, ann.token);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const own = (await t.api('GET', '/api/v1/canned-responses', undefined, ann.token)).body.items.find((r: { shared: boolean }) => !r.shared);
    expect((await t.api('PATCH', `/api/v1/canned-responses/${own.id}`, {}, ann.token)).status).toBe(400);
    expect((await t.api('PATCH', `/api/v1/canned-responses/${own.id}`, { queue: 'Nowhere' }, ann.token)).status).toBe(404);
    expect(await shortcuts(ann.token)).toEqual(before);
  });
});
