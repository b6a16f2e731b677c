/**
 * People in the workspace: an admin invites an agent, who sets a password through the one-time link and is
 * signed in with an httpOnly, SameSite=Strict cookie; every change made with the cookie needs the session's
 * CSRF token; wrong passwords pause the account; sign-out everywhere ends every session and its streams.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApp, type TestApp } from '../support/test-app.ts';
import { ManualClock } from '../support/assignment-kit.ts';
import { startEmailApp } from './email-kit.ts';
import { parseMail } from '../support/smtp-sink.ts';
import { inStore } from '../support/store-rows.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

interface Browser {
  cookie: string;
  csrf: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, setCookie: res.headers.get('set-cookie') };
}

/** What a browser holds after a sign-in: the cookie, and the CSRF token from the answer. */
function browserOf(setCookie: string | null, csrf: string): Browser {
  const cookie = /sb_session=([^;]+)/.exec(setCookie ?? '')?.[1];
  if (!cookie) throw new Error(`no session cookie in ${setCookie}`);
  const b: Browser = {
    cookie: `sb_session=${cookie}`,
    csrf,
    call: (method, path, body, headers = {}) => send(method, path, body, { cookie: b.cookie, ...headers }),
  };
  return b;
}

async function invited(name: string, email: string, role = 'agent'): Promise<{ id: string; link: string }> {
  const res = await t.api('POST', '/api/v1/agents', { name, email, role, queues: ['General'] });
  expect(res.status).toBe(201);
  return { id: res.body.id, link: res.body.invite.url };
}
const tokenOf = (link: string) => link.split('#/invite/')[1]!;

async function signIn(email: string, password: string): Promise<Browser> {
  const res = await send('POST', '/auth/sign-in', { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return browserOf(res.setCookie, res.body.csrfToken);
}

describe('an invitation', () => {
  it('lets the agent set a password once, signs them in with an httpOnly SameSite cookie, and works no more', async () => {
    t = await startApp({ PUBLIC_URL: 'https://desk.acme.test' });
    const ann = await invited('Ann Agent', 'Ann@Acme.test');
    expect(ann.link).toMatch(/^https:\/\/desk\.acme\.test\/console\/#\/invite\/inv_[\w-]{20,}$/u);
    const token = tokenOf(ann.link);
    expect((await send('GET', `/auth/invitations/${token}`)).body).toEqual({ name: 'Ann Agent', email: 'ann@acme.test' });

    for (const [password, why] of [['short', 'at least 10 characters'], ['ann@acme.test', 'not be the email']] as const) {
      const weak = await send('POST', `/auth/invitations/${token}`, { password });
      expect(weak.status).toBe(400);
      expect(weak.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(why) });
    }
    const set = await send('POST', `/auth/invitations/${token}`, { password: 'correct horse battery' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ agent: { id: ann.id, name: 'Ann Agent' }, role: 'agent', csrfToken: expect.any(String) });
    expect(set.setCookie).toMatch(/HttpOnly/iu);
    expect(set.setCookie).toMatch(/SameSite=Strict/iu);
    expect(set.setCookie).toMatch(/Secure/iu);
    expect(JSON.stringify(set.body)).not.toContain(/sb_session=([^;]+)/.exec(set.setCookie!)![1]);

    // used: the link says so, and cannot set the password again
    expect((await send('GET', `/auth/invitations/${token}`)).status).toBe(404);
    const again = await send('POST', `/auth/invitations/${token}`, { password: 'another long password' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('INVITATION_INVALID');

    // the password set works; the email is matched whatever its case
    const b = await signIn('ANN@acme.test', 'correct horse battery');
    expect((await b.call('GET', '/api/v1/me')).body).toMatchObject({ role: 'agent', agent: { id: ann.id } });
  });

  it('a new link replaces the old one; an agent without an email gets none; only admins invite', async () => {
    t = await startApp();
    const ann = await invited('Ann', 'ann@acme.test');
    const fresh = await t.api('POST', `/api/v1/agents/${ann.id}/invitations`);
    expect(fresh.status).toBe(201);
    expect((await send('GET', `/auth/invitations/${tokenOf(ann.link)}`)).status).toBe(404);
    expect((await send('GET', `/auth/invitations/${tokenOf(fresh.body.url)}`)).status).toBe(200);

    const noEmail = await t.api('POST', '/api/v1/agents', { name: 'Bob' });
    expect(noEmail.body.invite).toBeNull();
    const refused = await t.api('POST', `/api/v1/agents/${noEmail.body.id}/invitations`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('AGENT_HAS_NO_EMAIL');
    expect((await t.api('POST', `/api/v1/agents/${ann.id}/invitations`, undefined, noEmail.body.token)).status).toBe(403);
    expect((await t.api('POST', '/api/v1/agents/nobody/invitations')).status).toBe(404);
    // no outbound SMTP: nobody is mailed, the admin hands the link over
    expect(fresh.body.emailedTo).toBeNull();
  });

  it('is mailed to the agent when outbound SMTP is set, as an automatic mail the link is in', async () => {
    const e = await startEmailApp({ PUBLIC_URL: 'https://desk.acme.test' });
    t = e;
    const res = await t.api('POST', '/api/v1/agents', { name: 'Cleo Agent', email: 'cleo@acme.test', role: 'agent' });
    expect(res.status).toBe(201);
    expect(res.body.invite.emailedTo).toBe('cleo@acme.test');
    const [mail] = await e.sink.waitFor(1);
    expect(mail!.to).toEqual(['cleo@acme.test']);
    const parsed = await parseMail(mail!.raw);
    expect(parsed.subject).toBe('Your invitation to Switchboard');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.text).toContain(res.body.invite.url);
    expect(parsed.text).toContain('Hello Cleo Agent,');
    // the link in the mail is the one that works
    expect((await send('GET', `/auth/invitations/${tokenOf(res.body.invite.url)}`)).body).toEqual({ name: 'Cleo Agent', email: 'cleo@acme.test' });
    // a new link is mailed too; the mail is kept nowhere in the database (only the link's hash is)
    const again = await t.api('POST', `/api/v1/agents/${res.body.id}/invitations`);
    expect(again.body.emailedTo).toBe('cleo@acme.test');
    await e.sink.waitFor(2);
    const stored = JSON.stringify([await inStore(t.app.switchboard.db).interaction.findMany(), await inStore(t.app.switchboard.db).outboxItem.findMany()]);
    expect(stored).not.toContain(tokenOf(again.body.url));
    expect(stored).not.toContain('cleo@acme.test');
  });

  it('runs out after INVITATION_HOURS', async () => {
    const clock = new ManualClock();
    t = await startApp({ INVITATION_HOURS: '2' }, { clock });
    const ann = await invited('Ann', 'ann@acme.test');
    clock.advance(2 * 3600 + 1);
    expect((await send('POST', `/auth/invitations/${tokenOf(ann.link)}`, { password: 'correct horse battery' })).status).toBe(404);
  });
});

describe('a signed-in session', () => {
  async function annSignedIn(): Promise<{ id: string; b: Browser }> {
    const ann = await invited('Ann', 'ann@acme.test');
    await send('POST', `/auth/invitations/${tokenOf(ann.link)}`, { password: 'correct horse battery' });
    return { id: ann.id, b: await signIn('ann@acme.test', 'correct horse battery') };
  }

  it('changes nothing without its CSRF token, nor with another session’s', async () => {
    t = await startApp();
    const { id, b } = await annSignedIn();
    const other = await signIn('ann@acme.test', 'correct horse battery');
    const session = await b.call('GET', '/auth/session');
    expect(session.body.csrfToken).toBe(b.csrf);
    for (const headers of [{}, { 'x-csrf-token': other.csrf }, { 'x-csrf-token': 'x'.repeat(43) }] as Record<string, string>[]) {
      const res = await b.call('PUT', `/api/v1/agents/${id}/presence`, { presence: 'online' }, headers);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CSRF_TOKEN_INVALID');
    }
    expect((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === id).presence).toBe('offline');
    expect((await b.call('PUT', `/api/v1/agents/${id}/presence`, { presence: 'online' }, { 'x-csrf-token': b.csrf })).status).toBe(200);
    // a session has the agent's role: not an admin's
    expect((await b.call('POST', '/api/v1/queues', { name: 'Mine' }, { 'x-csrf-token': b.csrf })).status).toBe(403);
  });

  it('a wrong password or an unknown email get the same answer; from the fifth wrong password in a row the account pauses', async () => {
    t = await startApp({ SIGN_IN_RATE_LIMIT: '100' });
    await annSignedIn();
    const unknown = await send('POST', '/auth/sign-in', { email: 'nobody@acme.test', password: 'whatever it is' });
    const wrong = await send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.setCookie).toBeNull();
    for (let i = 0; i < 4; i++) expect((await send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: 'not the password' })).status).toBe(401);
    const paused = await send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: 'correct horse battery' });
    expect(paused.status).toBe(429);
    expect(paused.body.error.message).toMatch(/try again in \d+ s/u);

    // an email nobody signs in with pauses the same way: a pause tells nothing about whether it exists
    for (let i = 0; i < 5; i++) expect((await send('POST', '/auth/sign-in', { email: 'ghost@acme.test', password: 'whatever it is' })).status).toBe(401);
    const unknownPaused = await send('POST', '/auth/sign-in', { email: 'ghost@acme.test', password: 'whatever it is' });
    expect(unknownPaused.status).toBe(429);
    expect(unknownPaused.body.error.message.replace(/\d+ s/u, 'N s')).toBe(paused.body.error.message.replace(/\d+ s/u, 'N s'));
  });

  it('a burst of guesses at once gets five at most before the account pauses', async () => {
    t = await startApp({ SIGN_IN_RATE_LIMIT: '100' });
    await annSignedIn();
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: `guess number ${i}` })));
    const codes = burst.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c !== 401).every((c) => c === 429)).toBe(true);
    expect((await send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: 'correct horse battery' })).status).toBe(429);
  });

  it('sign-in attempts from one address are limited', async () => {
    t = await startApp({ SIGN_IN_RATE_LIMIT: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await send('POST', '/auth/sign-in', { email: `x${i}@acme.test`, password: 'whatever it is' })).status);
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('refuses malformed sign-ins with a clear 4xx', async () => {
    t = await startApp();
    for (const body of [{}, { email: 'a@b.c' }, { email: 'a@b.c', password: '' }, { email: 'a@b.c', password: 'x', extra: 1 }, { email: 5, password: 'x' }]) {
      const res = await send('POST', '/auth/sign-in', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const res = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect((await send('GET', '/auth/session')).status).toBe(401);
    expect((await send('GET', '/api/v1/me', undefined, { cookie: 'sb_session=forged' })).status).toBe(401);
  });

  it('ends after SESSION_IDLE_MINUTES unused, and use moves that on', async () => {
    const clock = new ManualClock();
    t = await startApp({ SESSION_IDLE_MINUTES: '30' }, { clock });
    const { b } = await annSignedIn();
    clock.advance(20 * 60);
    expect((await b.call('GET', '/api/v1/me')).status).toBe(200);
    clock.advance(20 * 60);
    expect((await b.call('GET', '/api/v1/me')).status).toBe(200);
    clock.advance(31 * 60);
    const ended = await b.call('GET', '/api/v1/me');
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toContain('sign in again');
  });

  it('sign-out everywhere ends every session of the agent and closes their streams; a stream from another site is refused', async () => {
    t = await startApp();
    const { b } = await annSignedIn();
    const phone = await signIn('ann@acme.test', 'correct horse battery');
    const wsUrl = `${t.url.replace('http', 'ws')}/api/v1/stream`;
    const foreign = new WebSocket(wsUrl, { headers: { cookie: phone.cookie, origin: 'https://evil.test' } });
    foreign.on('error', () => undefined);
    const refused = await new Promise<number>((resolve) => foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => resolve(101)));
    expect(refused).toBe(403);
    foreign.terminate();

    const stream = new WebSocket(wsUrl, { headers: { cookie: phone.cookie, origin: t.url } });
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => stream.once('close', (code) => resolve(code)));

    expect((await b.call('POST', '/auth/sign-out-everywhere', undefined, {})).status).toBe(403);
    const out = await b.call('POST', '/auth/sign-out-everywhere', undefined, { 'x-csrf-token': b.csrf });
    expect(out.status).toBe(204);
    expect(await closed).toBe(4401);
    expect((await phone.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await b.call('GET', '/api/v1/me')).status).toBe(401);
    // signing in again works
    expect((await (await signIn('ann@acme.test', 'correct horse battery')).call('GET', '/api/v1/me')).status).toBe(200);
  });

  it('ended sessions and links are not kept: a new one clears the agent’s ended ones', async () => {
    const clock = new ManualClock();
    t = await startApp({ SESSION_IDLE_MINUTES: '30' }, { clock });
    const ann = await invited('Ann', 'ann@acme.test');
    // each new link replaces the earlier one outright
    for (let i = 0; i < 3; i++) expect((await t.api('POST', `/api/v1/agents/${ann.id}/invitations`)).status).toBe(201);
    const rows = inStore(t.app.switchboard.db);
    expect(await rows.invitation.count({ where: { agentId: ann.id } })).toBe(1);
    const [link] = await rows.invitation.findMany({ where: { agentId: ann.id } });
    const fresh = await t.api('POST', `/api/v1/agents/${ann.id}/invitations`);
    expect(await rows.invitation.count({ where: { agentId: ann.id } })).toBe(1);
    expect((await rows.invitation.findFirst({ where: { agentId: ann.id } })).id).not.toBe(link.id);
    await send('POST', `/auth/invitations/${tokenOf(fresh.body.url)}`, { password: 'correct horse battery' });

    // five sign-ins, four signed out, one left to lapse: the next sign-in keeps only the live ones
    const browsers = [];
    for (let i = 0; i < 5; i++) browsers.push(await signIn('ann@acme.test', 'correct horse battery'));
    for (const b of browsers.slice(0, 4)) expect((await b.call('POST', '/auth/sign-out', undefined, { 'x-csrf-token': b.csrf })).status).toBe(204);
    expect(await rows.session.count({ where: { agentId: ann.id } })).toBe(6);
    clock.advance(31 * 60);
    const last = await signIn('ann@acme.test', 'correct horse battery');
    expect(await rows.session.count({ where: { agentId: ann.id } })).toBe(1);
    expect((await last.call('GET', '/api/v1/me')).status).toBe(200);
  });

  it('sign-out ends only this browser’s session', async () => {
    t = await startApp();
    const { b } = await annSignedIn();
    const phone = await signIn('ann@acme.test', 'correct horse battery');
    const out = await b.call('POST', '/auth/sign-out', undefined, { 'x-csrf-token': b.csrf });
    expect(out.status).toBe(204);
    expect((await b.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await phone.call('GET', '/api/v1/me')).status).toBe(200);
  });

  it('a deactivated agent is signed out, loses password, links and tokens, takes no offers, until reactivated and invited again', async () => {
    t = await startApp();
    const { id, b } = await annSignedIn();
    const token = (await t.api('POST', '/api/v1/tokens', { role: 'agent', agentId: id, label: 'script' })).body.token;
    const pending = (await t.api('POST', `/api/v1/agents/${id}/invitations`)).body.url;
    expect((await t.api('PUT', `/api/v1/agents/${id}/presence`, { presence: 'online' })).status).toBe(200);

    const off = await t.api('PATCH', `/api/v1/agents/${id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, presence: 'offline', presenceReason: 'deactivated' });
    expect((await b.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);
    expect((await send('POST', '/auth/sign-in', { email: 'ann@acme.test', password: 'correct horse battery' })).status).toBe(401);
    expect((await send('POST', `/auth/invitations/${tokenOf(pending)}`, { password: 'another long password' })).status).toBe(404);
    // nothing brings them back but an admin
    for (const [method, path, body] of [['PUT', `/api/v1/agents/${id}/presence`, { presence: 'online' }], ['POST', `/api/v1/agents/${id}/invitations`, undefined], ['PATCH', `/api/v1/agents/${id}`, { presence: 'online' }]] as const) {
      const refused = await t.api(method, path, body);
      expect(refused.status, path).toBe(409);
      expect(refused.body.error.code).toBe('AGENT_INACTIVE');
    }
    expect((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.id === id).active).toBe(false);
    const refusedToken = await t.api('POST', '/api/v1/tokens', { role: 'agent', agentId: id });
    expect(refusedToken.status).toBe(409);
    expect(refusedToken.body.error.code).toBe('AGENT_INACTIVE');

    const on = await t.api('PATCH', `/api/v1/agents/${id}`, { active: true });
    expect(on.body).toMatchObject({ active: true, presence: 'offline', presenceReason: null });
    const link = (await t.api('POST', `/api/v1/agents/${id}/invitations`)).body.url;
    await send('POST', `/auth/invitations/${tokenOf(link)}`, { password: 'a brand new password' });
    expect((await (await signIn('ann@acme.test', 'a brand new password')).call('GET', '/api/v1/me')).status).toBe(200);
    // the old token stays revoked
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);
    const audit = (await t.api('GET', `/api/v1/audit?target=agent:${id}`)).body.items.map((e: any) => e.action);
    expect(audit).toEqual(['agent.reactivated', 'agent.deactivated', 'agent.created']);
  });

  it('an admin signs an agent out everywhere; a new email address ends the old password and every session', async () => {
    t = await startApp();
    const { id, b } = await annSignedIn();
    expect((await t.api('DELETE', `/api/v1/agents/${id}/sessions`, undefined, 'not-a-token')).status).toBe(401);
    expect((await t.api('DELETE', '/api/v1/agents/nobody/sessions')).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/agents/${id}/sessions`)).status).toBe(204);
    expect((await b.call('GET', '/api/v1/me')).status).toBe(401);

    const again = await signIn('ann@acme.test', 'correct horse battery');
    expect((await t.api('PATCH', `/api/v1/agents/${id}`, { email: 'ann.lee@acme.test' })).status).toBe(200);
    expect((await again.call('GET', '/api/v1/me')).status).toBe(401);
    for (const email of ['ann@acme.test', 'ann.lee@acme.test']) expect((await send('POST', '/auth/sign-in', { email, password: 'correct horse battery' })).status).toBe(401);
    // the same address again (another case) changes nothing
    const link = (await t.api('POST', `/api/v1/agents/${id}/invitations`)).body.url;
    await send('POST', `/auth/invitations/${tokenOf(link)}`, { password: 'a brand new password' });
    const fresh = await signIn('ann.lee@acme.test', 'a brand new password');
    expect((await t.api('PATCH', `/api/v1/agents/${id}`, { email: 'Ann.Lee@acme.test' })).status).toBe(200);
    expect((await fresh.call('GET', '/api/v1/me')).status).toBe(200);
  });
});
