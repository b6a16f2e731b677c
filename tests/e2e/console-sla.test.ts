/**
 * SLA promises in the agent workspace, in a real browser: each case in the list counts down to its nearest
 * promise, turns amber when it is near and red once it is broken, without a reload; the open case says
 * which promise of which policy; the list can be ordered by due time.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { watchCsp } from './csp-watch.ts';
import { personAgent, SCREENSHOTS, signIn } from '../support/workspace-kit.ts';

let t: TestApp;
let browser: Browser;
let sal: { email: string };

beforeAll(async () => {
  t = await startApp();
  sal = await personAgent(t, 'Sal Agent', { presence: 'away' });
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

describe('SLA in the agent workspace', () => {
  it('counts down, turns amber near the due time and red once broken, live; orders by due time', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    const violations = await watchCsp(page);
    await signIn(page, t.url, sal.email);
    await page.getByRole('tab', { name: /All open/u }).click();
    const list = page.getByRole('tabpanel');
    const badgeOf = (n: string) => list.getByRole('link', { name: new RegExp(n, 'u') }).locator('.badge.sla');

    const relaxed = await openChat('relaxed@example.org', 'A question about my plan');
    // 20 minutes left: counting down, already amber (under half an hour)
    await expect.poll(() => badgeOf(relaxed).textContent(), { timeout: 10_000 }).toMatch(/due in (19|20)m/u);
    expect(await badgeOf(relaxed).getAttribute('class')).toContain('sla-soon');

    // a case under the 3-second promise (tagged by a rule below) breaks it while the workspace is open
    const rules = (await t.api('GET', '/api/v1/rules')).body;
    const tagged = await t.api('PATCH', '/api/v1/rules', { rules: [{ id: 'quick', when: { keywords: ['urgent'] }, then: { tags: ['quick'] } }, ...rules.rules] });
    expect(tagged.status).toBe(200);
    const quick = await openChat('quick@example.org', 'urgent: the site is down');
    await expect.poll(() => badgeOf(quick).textContent(), { timeout: 10_000 }).toMatch(/overdue/u);
    expect(await badgeOf(quick).getAttribute('class')).toContain('sla-breached');

    // the open case names the policy and the promise
    await list.getByRole('link', { name: new RegExp(quick, 'u') }).click();
    const kase = page.getByRole('region', { name: `Case ${quick}` });
    await expect.poll(() => kase.textContent()).toMatch(/Quick chat\s*first response overdue/u);

    // ordered by due time: the broken promise first
    await page.getByLabel('Sort').selectOption({ label: 'SLA due first' });
    await expect.poll(async () => (await list.getByRole('link').allTextContents()).map((text) => /CS\d{7}/u.exec(text)?.[0])).toEqual([quick, relaxed]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-sla.png') });
    expect(violations).toEqual([]);
    await context.close();
  });
});
