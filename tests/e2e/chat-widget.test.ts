import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { watchCsp } from './csp-watch.ts';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startApp();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('chat widget in a real browser', () => {
  it('a visitor starts a chat, writes, and sees the agent answer; nothing is rendered as HTML', async () => {
    const page = await browser.newPage();
    const violations = await watchCsp(page);
    await page.goto(`${t.url}/chat/`);
    await page.fill('#name', 'Browser Bob');
    await page.fill('#email', 'bob@example.com');
    await page.click('#begin');
    await page.waitForSelector('#composer:not([hidden])');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('online'));

    const hostile = '<img src=x onerror="window.__pwned=1"> my order is late';
    await page.fill('#text', hostile);
    await page.keyboard.press('Enter');

    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=bob@example.com')).body.items[0]);
    expect(kase.contact.name).toBe('Browser Bob');
    const detail = await t.api('GET', `/api/v1/cases/${kase.number}`);
    expect(detail.body.interactions[0].text).toBe(hostile);

    await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'We are on it. <b>Not bold</b>' });
    await page.waitForSelector('.msg.outbound');
    const bubbles = await page.$$eval('.msg', (els) => els.map((e) => ({ cls: e.className, text: e.firstChild?.textContent, html: e.innerHTML })));
    expect(bubbles.map((b) => [b.cls, b.text])).toEqual([
      ['msg inbound', hostile],
      ['msg outbound', 'We are on it. <b>Not bold</b>'],
    ]);
    expect(await page.$$('.msg img, .msg b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: path.join(os.tmpdir(), 'switchboard-chat-widget.png') });

    // reload: the session is kept and the history comes back
    await page.reload();
    await page.waitForSelector('.msg.outbound');
    expect(await page.$$eval('.msg', (els) => els.length)).toBe(2);
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);
});
