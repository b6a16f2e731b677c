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

describe('what the widget tells a visitor before they write', () => {
  const clockAt = (iso: string) => ({ offset: Date.parse(iso) - Date.now(), now() { return new Date(Date.now() + this.offset); } });

  it('in business hours, how soon a usual chat is answered; after hours, when the team is back', async () => {
    // Tuesday 10:00 UTC, inside the default calendar's Monday–Friday 09:00–17:00
    const open = await startApp({ DEFAULT_TIME_ZONE: 'UTC' }, { clock: clockAt('2026-06-09T10:00:00Z') });
    // Saturday: away until Monday 09:00 UTC
    const closed = await startApp({ DEFAULT_TIME_ZONE: 'UTC' }, { clock: clockAt('2026-06-13T12:00:00Z') });
    try {
      expect((await open.api('GET', '/chat/availability', undefined, '')).body).toEqual({
        open: true,
        opensAt: null,
        timeZone: 'UTC',
        firstResponse: 'PT4H',
        businessTime: true,
      });
      const away = (await closed.api('GET', '/chat/availability', undefined, '')).body;
      expect(away).toMatchObject({ open: false, opensAt: '2026-06-15T09:00:00.000Z' });
      for (const bad of ['?channel=fax', '?x=1']) {
        const res = await open.api('GET', `/chat/availability${bad}`, undefined, '');
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }

      const page = await browser.newPage({ timezoneId: 'UTC', locale: 'en-GB' });
      const violations = await watchCsp(page);
      await page.goto(`${open.url}/chat/`);
      await page.waitForFunction(() => /within 4 hours during business hours/.test(document.getElementById('availability')?.textContent ?? ''));
      await page.goto(`${closed.url}/chat/`);
      await page.waitForFunction(() => /away right now and back Monday/.test(document.getElementById('availability')?.textContent ?? ''));
      expect(await page.textContent('#availability')).toContain('09:00');
      await page.screenshot({ path: path.join(os.tmpdir(), 'switchboard-chat-widget-away.png') });
      expect(violations).toEqual([]);
      await page.close();
    } finally {
      await open.close();
      await closed.close();
    }
  });
});
