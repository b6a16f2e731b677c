import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AGENT_STREAM_WINDOW } from '../../gateway/agent-stream.ts';
import { parseCaseNumber } from '../../routing/case-number.ts';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { watchCsp } from './csp-watch.ts';

let t: TestApp;
let browser: Browser;
let agent: { id: string; token: string };

beforeAll(async () => {
  t = await startApp();
  agent = (await t.api('POST', '/api/v1/agents', { name: 'Console Carla', email: 'carla@support.test', presence: 'online' })).body;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: Page, token: string) {
  await page.goto(`${t.url}/console/`);
  await page.fill('#token', token);
  await page.click('#signin button[type=submit]');
}

describe('agent console in a real browser', () => {
  it('a refused token keeps the sign-in form and says why', async () => {
    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await signIn(page, 'sb_not_a_token');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(/refused/);
    expect(await page.isVisible('#signin')).toBe(true);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('a token revoked while the console is open signs it out instead of reconnecting', async () => {
    const issued = (await t.api('POST', '/api/v1/tokens', { role: 'agent', agentId: agent.id, label: 'revoked in the browser' })).body;
    const page = await browser.newPage();
    const upgrades: string[] = [];
    page.on('websocket', (ws) => upgrades.push(ws.url()));
    await signIn(page, issued.token);
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.includes('live'));
    expect((await t.api('DELETE', `/api/v1/tokens/${issued.id}`)).status).toBe(204);
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.textContent('#error')).toMatch(/revoked/);
    // no attempt with the revoked token after the close
    await new Promise((r) => setTimeout(r, 1500));
    expect(upgrades).toHaveLength(1);
    await page.close();
  });

  it('an agent sees a new chat arrive live, claims it, answers, resolves; customer text is never HTML', async () => {
    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await signIn(page, agent.token);
    await page.waitForSelector('#desk:not([hidden])');
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.includes('live'));
    expect(await page.textContent('#who')).toContain('Console Carla');

    const hostile = '<img src=x onerror="window.__pwned=1"> help, my card was charged twice';
    const visitor = await ChatClient.open(t.url, { name: 'Vera <b>Visitor</b>', email: 'vera@example.com' });
    visitor.send({ type: 'message', id: 'v1', text: hostile });

    // the case appears in the list without a reload
    const row = await page.waitForSelector('#cases li');
    const number = await row.getAttribute('data-number');
    expect(number).toMatch(/^CS\d{7}$/);
    await row.click();
    await page.waitForSelector('#timeline .item.inbound');
    expect(await page.textContent('#timeline .item.inbound')).toContain(hostile);
    expect(await page.textContent('#c-facts')).toContain('Vera <b>Visitor</b>');

    await page.click('#a-claim');
    await page.waitForFunction(() => document.getElementById('c-facts')?.textContent?.includes('assignee me'));
    expect((await t.api('GET', `/api/v1/cases/${number}`)).body.assignee).toBe(agent.id);

    // an internal note stays internal; a reply reaches the visitor's socket
    await page.check('#internal');
    await page.fill('#reply', 'Checked the payment provider: duplicate capture.');
    await page.click('#send');
    await page.waitForSelector('#timeline .item.note');
    await page.uncheck('#internal');
    await page.fill('#reply', 'Sorry about that, <i>the second charge</i> is refunded.');
    await page.click('#send');
    const answer = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(answer.text).toBe('Sorry about that, <i>the second charge</i> is refunded.');
    expect(visitor.frames.filter((f) => f.type === 'message')).toHaveLength(1);
    await page.waitForFunction(() => /delivered/.test(document.querySelector('#timeline .item.outbound .meta')?.textContent ?? ''));

    // the follow-up arrives live in the open case
    visitor.send({ type: 'message', id: 'v2', text: 'Thank you!' });
    await page.waitForFunction(() => document.querySelectorAll('#timeline .item.inbound').length === 2);

    await page.click('#a-resolve');
    await page.waitForFunction(() => document.getElementById('c-facts')?.textContent?.includes('state resolved'));
    expect((await t.api('GET', `/api/v1/cases/${number}`)).body.state).toBe('resolved');

    expect(await page.$$('#timeline img, #timeline i, #timeline b, #c-facts b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: path.join(os.tmpdir(), 'switchboard-agent-console.png') });

    // a reload keeps the sign-in for the tab and shows the same case list
    await page.reload();
    await page.waitForSelector(`#cases li[data-number="${number}"]`);
    await visitor.close();
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('a closed case shows no composer and the API refuses replies to it', async () => {
    const visitor = await ChatClient.open(t.url, { email: 'closed@example.com' });
    visitor.send({ type: 'message', text: 'one question' });
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=closed@example.com')).body.items[0]);
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'closed' })).status).toBe(200);

    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await signIn(page, agent.token);
    await page.click(`#cases li[data-number="${kase.number}"]`);
    await page.waitForFunction(() => document.getElementById('c-facts')?.textContent?.includes('state closed'));
    expect(await page.isVisible('#composer')).toBe(false);
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'too late' }, agent.token)).status).toBe(409);
    await visitor.close();
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('a resync frame makes the console reload its case list and its open case from the API', async () => {
    const visitor = await ChatClient.open(t.url, { email: 'resync@example.com' });
    visitor.send({ type: 'message', text: 'please reload' });
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=resync@example.com')).body.items[0]);

    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await signIn(page, agent.token);
    await page.click(`#cases li[data-number="${kase.number}"]`);
    await page.waitForSelector('#timeline .item.inbound');
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.includes('live'));
    // stale content that only a reload from the API removes (frames update rows and add items, they clear nothing)
    await page.evaluate(() => {
      const row = document.createElement('li');
      row.id = 'stale-row';
      document.getElementById('cases')!.appendChild(row);
      const item = document.createElement('div');
      item.id = 'stale-item';
      document.getElementById('timeline')!.appendChild(item);
    });

    // one event more than the stream holds: it drops the backlog and sends a resync
    const reread = page.waitForRequest((r) => r.url().endsWith(`/api/v1/cases/${kase.number}`));
    const caseId = parseCaseNumber(kase.number)!;
    for (let i = 0; i <= AGENT_STREAM_WINDOW; i++) t.app.switchboard.events.emit({ type: 'case.updated', caseId, changes: ['tags'] });
    await reread;
    await page.waitForFunction(() => !document.getElementById('stale-row') && !document.getElementById('stale-item'));
    expect(await page.isVisible(`#cases li[data-number="${kase.number}"].selected`)).toBe(true);
    expect(await page.textContent('#timeline .item.inbound')).toContain('please reload');
    expect(await page.textContent('#live')).toContain('live');
    await visitor.close();
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);
});
