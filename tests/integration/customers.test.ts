/**
 * Accounts and contacts through the API: the customers behind the cases, what routing sees of them (tier,
 * VIP), merges of two contacts, and the audit of every change. Bad requests change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { inStore } from '../support/store-rows.ts';

let t: TestApp;
let agentToken: string;
let supervisorToken: string;

beforeAll(async () => {
  t = await startApp();
  agentToken = (await t.api('POST', '/api/v1/agents', { name: 'Cody Agent', email: 'cody@support.test' })).body.token;
  supervisorToken = (await t.api('POST', '/api/v1/agents', { name: 'Sue Visor', email: 'sue@support.test', role: 'supervisor' })).body.token;
});
afterAll(() => t.close());

async function chatAs(email: string, text: string, name?: string) {
  const c = await ChatClient.open(t.url, { email, ...(name ? { name } : {}) });
  c.send({ type: 'message', text });
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0], 10_000, `a case of ${email}`);
  await c.close();
  return kase;
}

describe('accounts', () => {
  it('are created with their domains (lower case, one account each), found by name, domain or external id, and paged', async () => {
    const created = await t.api('POST', '/api/v1/accounts', { name: 'Initech Ltd', domains: ['Initech.TEST', '@initech-mail.test'], tier: 'gold', externalId: 'crm-101', notes: 'Renewal in May' }, supervisorToken);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Initech Ltd', domains: ['initech-mail.test', 'initech.test'], tier: 'gold', vip: false, externalId: 'crm-101', notes: 'Renewal in May', contacts: 0 });
    expect((await t.api('GET', `/api/v1/accounts/${created.body.id}`, undefined, agentToken)).body).toEqual(created.body);
    for (const search of ['initech', 'INITECH LTD', 'initech.test', 'crm-101']) {
      const found = (await t.api('GET', `/api/v1/accounts?search=${encodeURIComponent(search)}`, undefined, agentToken)).body.items.map((a: any) => a.id);
      expect(found, search).toEqual([created.body.id]);
    }
    // a wildcard in the search is taken literally
    expect((await t.api('GET', '/api/v1/accounts?search=%25', undefined, agentToken)).body.items).toEqual([]);

    for (const name of ['Paging One', 'Paging Two', 'Paging Three']) expect((await t.api('POST', '/api/v1/accounts', { name }, supervisorToken)).status).toBe(201);
    const first = (await t.api('GET', '/api/v1/accounts?search=paging&limit=2')).body;
    expect(first.items.map((a: any) => a.name)).toEqual(['Paging Three', 'Paging Two']);
    const second = (await t.api('GET', `/api/v1/accounts?search=paging&limit=2&cursor=${first.nextCursor}`)).body;
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'Paging One' })], nextCursor: null });
  });

  it('refuse a domain or external id another account has, changing nothing', async () => {
    const a = (await t.api('POST', '/api/v1/accounts', { name: 'Umbrella', domains: ['umbrella.test'], externalId: 'crm-202' }, supervisorToken)).body;
    const b = await t.api('POST', '/api/v1/accounts', { name: 'Umbrella Copy', domains: ['UMBRELLA.test'] }, supervisorToken);
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('CONFLICT');
    const c = (await t.api('POST', '/api/v1/accounts', { name: 'Other' }, supervisorToken)).body;
    const patched = await t.api('PATCH', `/api/v1/accounts/${c.id}`, { name: 'Other renamed', externalId: 'crm-202' }, supervisorToken);
    expect(patched.status).toBe(409);
    expect((await t.api('GET', `/api/v1/accounts/${c.id}`)).body.name).toBe('Other');
    expect((await t.api('GET', `/api/v1/accounts/${a.id}`)).body.domains).toEqual(['umbrella.test']);
    expect((await t.api('GET', '/api/v1/accounts?search=Umbrella')).body.items).toHaveLength(1);
  });

  it('route by tier and VIP: a new contact from the domain joins the account and the seeded VIP rule tags the case', async () => {
    const acme = (await t.api('POST', '/api/v1/accounts', { name: 'Acme Corp', domains: ['acme.test'], tier: 'enterprise', vip: true }, supervisorToken)).body;
    const kase = await chatAs('bob@acme.test', 'Our dashboard is down since this morning', 'Bob');
    expect(kase.tags).toContain('vip');
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(JSON.stringify(detail.routing)).toContain('vip');
    const [bob] = (await t.api('GET', '/api/v1/contacts?search=bob%40acme', undefined, agentToken)).body.items;
    expect(bob.account).toEqual({ id: acme.id, name: 'Acme Corp', tier: 'enterprise', vip: true });
    expect((await t.api('GET', `/api/v1/accounts/${acme.id}`)).body.contacts).toBe(1);
    expect((await t.api('GET', `/api/v1/cases?accountId=${acme.id}`)).body.items.map((c: any) => c.number)).toEqual([kase.number]);
  });

  it('a domain added later brings in the contacts without an account, and their open cases', async () => {
    const kase = await chatAs('dora@globex.test', 'Where is my invoice?');
    const globex = (await t.api('POST', '/api/v1/accounts', { name: 'Globex' }, supervisorToken)).body;
    expect((await t.api('GET', `/api/v1/cases?accountId=${globex.id}`)).body.items).toEqual([]);
    const patched = await t.api('PATCH', `/api/v1/accounts/${globex.id}`, { domains: ['globex.test'], vip: true }, supervisorToken);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ domains: ['globex.test'], vip: true, contacts: 1 });
    expect((await t.api('GET', `/api/v1/cases?accountId=${globex.id}`)).body.items.map((c: any) => c.number)).toEqual([kase.number]);
  });
});

describe('contacts', () => {
  it('are created, found, changed, and shown with their cases; one person, one contact', async () => {
    const created = await t.api('POST', '/api/v1/contacts', { name: 'Erin Example', email: 'Erin@Example.test', phone: '+14155550100', externalId: 'crm-p-1' }, agentToken);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Erin Example', email: 'erin@example.test', phone: '+14155550100', externalId: 'crm-p-1', account: null, identities: [] });
    const again = await t.api('POST', '/api/v1/contacts', { email: 'erin@example.test' }, agentToken);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(created.body.id);
    // her first chat finds her by email: no second contact
    const kase = await chatAs('erin@example.test', 'I cannot log in');
    const detail = (await t.api('GET', `/api/v1/contacts/${created.body.id}`, undefined, agentToken)).body;
    expect(detail.cases.map((c: any) => c.number)).toEqual([kase.number]);
    expect(detail.identities).toEqual([{ channel: 'chat', address: expect.any(String), optedOut: false }]);
    for (const search of ['erin', 'EXAMPLE.TEST', '5550100', 'crm-p-1']) {
      expect((await t.api('GET', `/api/v1/contacts?search=${encodeURIComponent(search)}`)).body.items.map((c: any) => c.id), search).toEqual([created.body.id]);
    }
    const account = (await t.api('POST', '/api/v1/accounts', { name: 'Example Inc', tier: 'silver' }, supervisorToken)).body;
    const patched = await t.api('PATCH', `/api/v1/contacts/${created.body.id}`, { name: 'Erin E.', accountId: account.id }, agentToken);
    expect(patched.body).toMatchObject({ name: 'Erin E.', account: { id: account.id, tier: 'silver' } });
    // her open case follows her into the account
    expect((await t.api('GET', `/api/v1/cases?accountId=${account.id}`)).body.items.map((c: any) => c.number)).toEqual([kase.number]);
  });

  it('merge: identities, cases and messages move, the merged contact is gone, every moved case says so, and it is audited', async () => {
    const first = await chatAs('frank@home.test', 'My order is late', 'Frank');
    const second = await chatAs('frank.work@office.test', 'Order 7781 still not here');
    const [keep] = (await t.api('GET', '/api/v1/contacts?search=frank%40home')).body.items;
    const [drop] = (await t.api('GET', '/api/v1/contacts?search=frank.work')).body.items;
    expect(keep.id).not.toBe(drop.id);

    expect((await t.api('POST', `/api/v1/contacts/${keep.id}/merge`, { from: drop.id }, agentToken)).status).toBe(403);
    const merged = await t.api('POST', `/api/v1/contacts/${keep.id}/merge`, { from: drop.id }, supervisorToken);
    expect(merged.status).toBe(200);
    expect(merged.body.moved).toEqual({ identities: 1, cases: [second.number] });
    // two chat sessions, and the merged contact's email address kept as an identity of the email channel
    expect(merged.body.identities.map((i: any) => i.channel).sort()).toEqual(['chat', 'chat', 'email']);
    expect(merged.body.identities).toContainEqual({ channel: 'email', address: 'frank.work@office.test', optedOut: false });
    expect(merged.body).toMatchObject({ name: 'Frank', email: 'frank@home.test' });
    expect((await t.api('GET', `/api/v1/contacts/${drop.id}`)).status).toBe(404);
    const detail = (await t.api('GET', `/api/v1/contacts/${keep.id}`)).body;
    expect(detail.cases.map((c: any) => c.number).sort()).toEqual([first.number, second.number].sort());
    const moved = (await t.api('GET', `/api/v1/cases/${second.number}`)).body;
    expect(moved.contact.email).toBe('frank@home.test');
    expect(moved.interactions.some((i: any) => i.kind === 'event' && /merged into Frank by/.test(i.text))).toBe(true);
    const messages = await inStore(t.app.switchboard.db).interaction.findMany({ where: { caseId: Number(second.number.slice(2)) - 1000, direction: 'inbound' } });
    expect(messages.every((m) => m.contactId === keep.id)).toBe(true);
    // a new message from the merged address lands on the kept contact
    const c = await ChatClient.open(t.url, { email: 'frank.work@office.test' });
    c.send({ type: 'message', text: 'Any news?' });
    await eventually(async () => {
      const cases = (await t.api('GET', `/api/v1/cases?contactId=${keep.id}`)).body.items;
      const texts = await Promise.all(cases.map(async (k: any) => (await t.api('GET', `/api/v1/cases/${k.number}`)).body.interactions.map((i: any) => i.text)));
      return texts.flat().includes('Any news?');
    }, 10_000, 'the follow-up on the kept contact');
    await c.close();
    expect((await t.api('GET', '/api/v1/contacts?search=frank')).body.items.map((x: any) => x.id)).toEqual([keep.id]);
    expect((await t.api('POST', '/api/v1/contacts', { email: 'frank.work@office.test' }, agentToken)).status).toBe(409);
    const audit = (await t.api('GET', `/api/v1/audit?target=contact:${keep.id}`, undefined, supervisorToken)).body.items;
    expect(audit[0]).toMatchObject({ action: 'contact.merged', actorRole: 'supervisor', after: { identities: 1, cases: [second.number] } });
    expect((await t.api('GET', '/api/v1/audit', undefined, agentToken)).status).toBe(403);
  });
});

describe('bad requests change nothing', () => {
  it('are refused with a coded 4xx', async () => {
    const before = (await t.api('GET', '/api/v1/accounts?limit=200')).body.items.length;
    const cases: Array<[string, string, unknown, string, number, string]> = [
      ['POST', '/api/v1/accounts', { name: 'X', domains: ['not a domain'] }, supervisorToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/accounts', { name: '' }, supervisorToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/accounts', { name: 'X', tier: 'Gold Plus!' }, supervisorToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/accounts', { name: 'X', owner: 'me' }, supervisorToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/accounts', { name: 'X' }, agentToken, 403, 'FORBIDDEN'],
      ['PATCH', '/api/v1/accounts/nope', { name: 'Y' }, supervisorToken, 404, 'ACCOUNT_NOT_FOUND'],
      ['PATCH', '/api/v1/accounts/nope', {}, supervisorToken, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/accounts/nope', undefined, agentToken, 404, 'ACCOUNT_NOT_FOUND'],
      ['GET', '/api/v1/accounts?cursor=bm9wZQ', undefined, agentToken, 400, 'INVALID_CURSOR'],
      ['POST', '/api/v1/contacts', { phone: '0155 1234' }, agentToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/contacts', { email: 'no-at-sign' }, agentToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/contacts', {}, agentToken, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/v1/contacts', { name: 'Z', accountId: 'nope' }, agentToken, 404, 'ACCOUNT_NOT_FOUND'],
      ['GET', '/api/v1/contacts/nope', undefined, agentToken, 404, 'CONTACT_NOT_FOUND'],
      ['POST', '/api/v1/contacts/nope/merge', { from: 'other' }, supervisorToken, 404, 'CONTACT_NOT_FOUND'],
      ['POST', '/api/v1/contacts/same/merge', { from: 'same' }, supervisorToken, 400, 'BAD_REQUEST'],
      ['GET', '/api/v1/contacts?cursor=%%%', undefined, agentToken, 400, 'INVALID_CURSOR'],
    ];
    for (const [method, path, body, token, status, code] of cases) {
      const res = await t.api(method, path, body, token);
      expect([res.status, res.body?.error?.code], `${method} ${path} ${JSON.stringify(body)}`).toEqual([status, code]);
    }
    expect((await t.api('GET', '/api/v1/accounts?limit=200')).body.items.length).toBe(before);
    expect((await t.api('GET', '/api/v1/contacts?search=Z')).body.items.filter((c: any) => c.name === 'Z')).toEqual([]);
  });
});
