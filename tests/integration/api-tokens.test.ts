/**
 * API tokens as an admin manages them: listed with role, label, owner, creation and last use (never the
 * secret), revoked on the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(() => t?.close());

describe('API tokens', () => {
  it('are listed with their owner and last use, never their secret; a revoked one says when', async () => {
    const ann = (await t.api('POST', '/api/v1/agents', { name: 'Ann', email: 'ann@acme.test' })).body;
    const issued = await t.api('POST', '/api/v1/tokens', { role: 'supervisor', agentId: ann.id, label: 'wallboard' });
    expect(issued.status).toBe(201);
    const listed = await t.api('GET', '/api/v1/tokens');
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((x: any) => x.id === issued.body.id);
    expect(row).toEqual({ id: issued.body.id, role: 'supervisor', label: 'wallboard', agentId: ann.id, agentName: 'Ann', createdAt: expect.any(String), lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    // newest first
    expect(listed.body.items[0].id).toBe(issued.body.id);

    const before = Date.now();
    expect((await t.api('GET', '/api/v1/me', undefined, issued.body.token)).status).toBe(200);
    const used = await eventually(async () => (await t.api('GET', '/api/v1/tokens')).body.items.find((x: any) => x.id === issued.body.id && x.lastUsedAt));
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(before - 1000);

    expect((await t.api('DELETE', `/api/v1/tokens/${issued.body.id}`)).status).toBe(204);
    const revoked = (await t.api('GET', '/api/v1/tokens')).body.items.find((x: any) => x.id === issued.body.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect((await t.api('GET', '/api/v1/me', undefined, issued.body.token)).status).toBe(401);

    // on the record, without the secret
    const audit = (await t.api('GET', `/api/v1/audit?target=${encodeURIComponent(`token:${issued.body.id}`)}`)).body.items;
    expect(audit.map((e: any) => [e.action, e.actorRole])).toEqual([['token.revoked', 'admin'], ['token.issued', 'admin']]);
    expect(audit[1].after).toEqual({ role: 'supervisor', agentId: ann.id, label: 'wallboard' });
    expect(JSON.stringify(audit)).not.toContain(issued.body.token);
  });

  it('only admins see them', async () => {
    const sue = (await t.api('POST', '/api/v1/agents', { name: 'Sue', email: 'sue@acme.test', role: 'supervisor' })).body;
    expect((await t.api('GET', '/api/v1/tokens', undefined, sue.token)).status).toBe(403);
    expect((await t.api('GET', '/api/v1/tokens', undefined, 'nope')).status).toBe(401);
  });
});
