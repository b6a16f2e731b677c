/**
 * Saved views: each agent keeps named sets of the case list's filters on the server (every browser they
 * sign in from has them); no one else sees or deletes them, and what the list refuses a view refuses too.
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

const names = async (token: string) => {
  const res = await t.api('GET', '/api/v1/saved-views', undefined, token);
  expect(res.status).toBe(200);
  return res.body.items.map((v: { name: string }) => v.name);
};

describe('saved views', () => {
  it('are each agent’s own, by name, with the filters that say something', async () => {
    const vip = await t.api('POST', '/api/v1/saved-views', { name: ' VIP refunds ', filters: { tag: 'vip', q: 'refund', state: 'active', sort: 'priority', channel: undefined } }, ann.token);
    expect(vip.status).toBe(201);
    expect(vip.body).toEqual({ id: expect.any(String), name: 'VIP refunds', filters: { tag: 'vip', q: 'refund', state: 'active', sort: 'priority' }, createdAt: expect.any(String) });
    expect((await t.api('POST', '/api/v1/saved-views', { name: 'Mine, oldest', filters: { assignee: 'me', sort: 'oldest', q: '' } }, ann.token)).body.filters).toEqual({ assignee: 'me', sort: 'oldest' });
    // the same name: refused for Ann, fine for Bob
    const again = await t.api('POST', '/api/v1/saved-views', { name: 'VIP refunds', filters: {} }, ann.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SAVED_VIEW_EXISTS');
    expect((await t.api('POST', '/api/v1/saved-views', { name: 'VIP refunds', filters: { priority: 1 } }, bob.token)).status).toBe(201);
    expect(await names(ann.token)).toEqual(['Mine, oldest', 'VIP refunds']);
    expect(await names(bob.token)).toEqual(['VIP refunds']);

    // Bob cannot delete Ann's; Ann can, once
    expect((await t.api('DELETE', `/api/v1/saved-views/${vip.body.id}`, undefined, bob.token)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/saved-views/${vip.body.id}`, undefined, ann.token)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/saved-views/${vip.body.id}`, undefined, ann.token)).status).toBe(404);
    expect(await names(ann.token)).toEqual(['Mine, oldest']);
  });

  it('refuse what the case list refuses, and a token of no agent', async () => {
    for (const body of [
      { name: '', filters: {} },
      { name: '   ', filters: {} },
      { name: 'x'.repeat(61), filters: {} },
      { name: 'bad state', filters: { state: 'sleeping' } },
      { name: 'bad priority', filters: { priority: 9 } },
      { name: 'unknown filter', filters: { owner: 'me' } },
      { name: 'no filters' },
      { name: 'filters not an object', filters: 'tag=vip' },
    ]) {
      const res = await t.api('POST', '/api/v1/saved-views', body, ann.token);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const admin = await t.api('POST', '/api/v1/saved-views', { name: 'admin', filters: {} });
    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe('NOT_AN_AGENT');
    expect((await t.api('GET', '/api/v1/saved-views', undefined, 'nope')).status).toBe(401);
    expect(await names(ann.token)).toEqual(['Mine, oldest']);
  });
});
