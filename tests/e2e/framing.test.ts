import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame } from 'playwright-core';
import { startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { watchCsp } from './csp-watch.ts';

/** Another web site: its page `/frame?src=URL` embeds URL in an iframe. */
async function startHostSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://host').searchParams.get('src') ?? 'about:blank';
    const attr = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>host site</title><iframe id="embedded" src="${attr}" width="480" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestApp;
let browser: Browser;
let partner: Awaited<ReturnType<typeof startHostSite>>;
let stranger: Awaited<ReturnType<typeof startHostSite>>;

beforeAll(async () => {
  partner = await startHostSite();
  stranger = await startHostSite();
  t = await startApp({ CHAT_WIDGET_FRAME_ANCESTORS: partner.origin });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await partner?.close();
  await stranger?.close();
});

/** Opens `origin`'s page framing `target`; returns once the page and its frame have loaded (or been refused). */
async function frameFrom(origin: string, target: string): Promise<{ frame: Frame; violations: string[]; close(): Promise<void> }> {
  const page = await browser.newPage();
  const violations = await watchCsp(page);
  await page.goto(`${origin}/frame?src=${encodeURIComponent(target)}`);
  const frame = await (await page.$('#embedded'))!.contentFrame();
  return { frame: frame!, violations, close: () => page.close() };
}

// Chromium replaces a frame it refuses to display with its own error document.
const REFUSED = 'chrome-error://chromewebdata/';

describe('framing in a real browser', () => {
  it('no other origin can frame the console, not even one allowed to frame the widget', async () => {
    for (const site of [partner, stranger]) {
      const { frame, violations, close } = await frameFrom(site.origin, `${t.url}/console/`);
      expect(frame.url()).toBe(REFUSED);
      expect(await frame.$('#token')).toBeNull();
      expect(violations.join('\n')).toMatch(/frame-ancestors 'none'/);
      await close();
    }
  }, 60_000);

  it('an origin listed in CHAT_WIDGET_FRAME_ANCESTORS frames the widget, and a visitor chats in it', async () => {
    const { frame, violations, close } = await frameFrom(partner.origin, `${t.url}/chat/`);
    expect(frame.url()).toBe(`${t.url}/chat/`);
    await frame.fill('#name', 'Framed Fiona');
    await frame.click('#begin');
    await frame.waitForSelector('#composer:not([hidden])');
    await frame.waitForFunction(() => document.getElementById('status')?.textContent?.includes('online'));
    expect(violations).toEqual([]);
    await close();
  }, 60_000);

  it('an origin not listed cannot frame the widget', async () => {
    const { frame, violations, close } = await frameFrom(stranger.origin, `${t.url}/chat/`);
    expect(frame.url()).toBe(REFUSED);
    expect(await frame.$('#begin')).toBeNull();
    expect(violations.join('\n')).toMatch(/frame-ancestors/);
    await close();
  }, 60_000);
});
