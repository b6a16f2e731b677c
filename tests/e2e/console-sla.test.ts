/**
 * SLA promises in the agent console, in a real browser: each case in the list counts down to its nearest
 * promise, turns amber when it is near and red once it is broken, without a reload; the open case says
 * which promise of which policy; the list can be ordered by due time.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { watchCsp } from './csp-watch.ts';

let t: TestApp;
let browser: Browser;
let token: string;

beforeAll(async () => {
  t = await startApp();
  token = (await t.api('POST', '/api/v1/agents', { name: 'Sal Agent', email: 'sal@support.test', presence: 'away' })).body.token;
  for (const p of (await t.api('GET', '/api/v1/sla-policies')).body.items) await t.api('DELETE', `/api/v1/sla-policies/${p.id}`);
  await t.api('POST', '/api/v1/sla-policies', { name: 'Quick chat', match: { channel: 'chat', tags: 'quick' }, calendar: null, targets: { firstResponse: 'PT3S' } });
  await t.api('POST', '/api/v1/sla-policies', { name: 'Chat', match: { channel: 'chat' }, calendar: null, targets: { firstResponse: 'PT20M', resolution: 'PT8H' } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function openChat(email: string, text: string): Promise<string> {
  const v = await ChatClient.open(t.url, { name: 'Visitor', email });
  v.send({ type: 'message', id: 'm1', text });
  await v.waitFor((f) => f.type === 'ack');
  await v.close();
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]);
  return kase.number;
}

describe('SLA in the agent console', () => {
  it('counts down, turns amber near the due time and red once broken, live; orders by due time', async () => {
    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await page.goto(`${t.url}/console/`);
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#desk:not([hidden])');
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.includes('live'));

    const relaxed = await openChat('relaxed@example.org', 'A question about my plan');
    const row = await page.waitForSelector(`#cases li[data-number="${relaxed}"] .badge.sla`);
    // 20 minutes left: counting down, already amber (under half an hour)
    await page.waitForFunction((n) => /due in (19|20)m/.test(document.querySelector(`#cases li[data-number="${n}"] .badge.sla`)?.textContent ?? ''), relaxed);
    expect(await row.getAttribute('class')).toContain('sla-soon');

    // a case under the 3-second promise (tagged by a rule below) breaks it while the console is open
    const rules = (await t.api('GET', '/api/v1/rules')).body;
    const tagged = await t.api('PATCH', '/api/v1/rules', { rules: [{ id: 'quick', when: { keywords: ['urgent'] }, then: { tags: ['quick'] } }, ...rules.rules] });
    expect(tagged.status).toBe(200);
    const quick = await openChat('quick@example.org', 'urgent: the site is down');
    await page.waitForSelector(`#cases li[data-number="${quick}"] .badge.sla`);
    await page.waitForFunction((n) => /overdue/.test(document.querySelector(`#cases li[data-number="${n}"] .badge.sla`)?.textContent ?? ''), quick, { timeout: 10_000 });
    expect(await page.getAttribute(`#cases li[data-number="${quick}"] .badge.sla`, 'class')).toContain('sla-breached');

    // the open case names the policy and the promise
    await page.click(`#cases li[data-number="${quick}"]`);
    await page.waitForFunction(() => /first response overdue/.test(document.getElementById('c-facts')?.textContent ?? ''));
    expect(await page.getAttribute('#c-facts .badge.sla', 'title')).toContain('SLA Quick chat');

    // ordered by due time: the broken promise first
    await page.selectOption('#f-sort', 'due');
    await page.waitForFunction((n) => document.querySelector('#cases li')?.getAttribute('data-number') === n, quick);
    expect(await page.$$eval('#cases li', (lis) => lis.map((li) => li.getAttribute('data-number')))).toEqual([quick, relaxed]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'switchboard-console-sla.png') });
    expect(violations).toEqual([]);
    await page.close();
  });
});
