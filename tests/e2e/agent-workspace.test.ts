/**
 * The agent workspace in a real browser, found by role and accessible name as people using screen readers
 * find it: sign-in and invitations, an offer accepted, an answer reaching the chat visitor, files sent with
 * an answer, live updates, resync, closed cases, search, the tag filter and saved views, the phone layout,
 * and no serious accessibility violations (axe).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { AGENT_STREAM_WINDOW } from '../../gateway/agent-stream.ts';
import { parseCaseNumber } from '../../routing/case-number.ts';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { axeProblems, chatCase as openChat, openPage, personAgent, SCREENSHOTS, signIn, PASSWORD } from '../support/workspace-kit.ts';
import { watchCsp } from './csp-watch.ts';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  // more sign-ins than one address may make in a minute otherwise
  t = await startApp({ ASSIGNMENT_SWEEP_MS: '200', SIGN_IN_RATE_LIMIT: '100' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const chatCase = (email: string, text: string, name?: string) => openChat(t, email, text, name);

/** a 1×1 PNG */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** the files' links name the gateway's public address; the test's gateway listens elsewhere */
const here = (url: string) => url.replace(/^https?:\/\/[^/]+/u, t.url);


describe('signing in', () => {
  it('a wrong password keeps the form and says why; an invitation sets the password and opens the inbox', async () => {
    const page = await openPage(browser);
    const violations = await watchCsp(page);
    const res = await t.api('POST', '/api/v1/agents', { name: 'Ivy Invited', email: 'ivy@support.test' });
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('Email').fill('ivy@support.test');
    await page.getByLabel('Password').fill('not her password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or the password is wrong/u);

    await page.goto(res.body.invite.url.replace('http://127.0.0.1:3000', t.url).replace(/^https?:\/\/[^/]+/u, t.url));
    await expect.poll(() => page.getByRole('heading').first().textContent()).toBeTruthy();
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/at least 10 characters/u);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('tablist', { name: 'Inbox views' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('Ivy Invited');

    // signed out: the form again, and the cookie no longer opens anything
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it('a session ended elsewhere (sign-out everywhere) brings the sign-in form back instead of reconnecting', async () => {
    const sam = await personAgent(t, 'Sam Elsewhere');
    const page = await openPage(browser);
    await signIn(page, t.url, sam.email);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /live/iu }).count()).toBeGreaterThan(0);
    const other = await openPage(browser);
    await signIn(other, t.url, sam.email);
    await other.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
    await other.close();
    await page.close();
  });
});

describe('working a case', () => {
  it('an offer made while the stream was still connecting shows once it connects', async () => {
    const olga = await personAgent(t, 'Olga Late', { queues: ['Technical'] });
    expect((await t.api('PUT', `/api/v1/agents/${olga.id}/presence`, { presence: 'online' })).status).toBe(200);
    const page = await openPage(browser);
    // the workspace's socket stays unopened until the offer has been made (as on a slow network)
    let connect!: () => void;
    const offered = new Promise<void>((resolve) => (connect = resolve));
    await page.routeWebSocket(/\/api\/v1\/stream/u, async (ws) => {
      await offered;
      ws.connectToServer();
    });
    await signIn(page, t.url, olga.email);
    const { visitor, number } = await chatCase('late@example.com', 'The app crashes with an error every time I open it');
    await expect.poll(async () => (await t.api('GET', `/api/v1/cases/${number}`)).body.offeredTo).toBe(olga.id);
    connect();
    await page.getByRole('region', { name: 'Offers' }).getByRole('button', { name: 'Accept' }).waitFor({ timeout: 10_000 });
    await t.api('PUT', `/api/v1/agents/${olga.id}/presence`, { presence: 'offline' });
    await visitor.close();
    await page.close();
  });

  it('an offer appears live; accepted, the agent notes and answers, the visitor gets the answer; customer text is never HTML', async () => {
    const carla = await personAgent(t, 'Carla Console', { queues: ['General', 'Billing'] });
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    const violations = await watchCsp(page);
    await signIn(page, t.url, carla.email);
    await page.getByLabel('Presence').selectOption('online');

    const hostile = '<img src=x onerror="window.__pwned=1"> help, my card was charged twice';
    const { visitor, number } = await chatCase('vera@example.com', hostile, 'Vera <b>Visitor</b>');
    const offers = page.getByRole('region', { name: 'Offers' });
    await offers.getByRole('button', { name: 'Accept' }).waitFor({ timeout: 15_000 });
    expect(await page.title()).toMatch(/^\(1\)/u);
    expect(await offers.textContent()).toContain('charged twice');
    await offers.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => (await t.api('GET', `/api/v1/cases/${number}`)).body.assignee).toBe(carla.id);

    const kase = page.getByRole('region', { name: `Case ${number}` });
    await kase.waitFor();
    const conversation = kase.getByRole('list', { name: 'Conversation' });
    await expect.poll(() => conversation.textContent()).toContain(hostile);
    expect(await kase.textContent()).toContain('Vera <b>Visitor</b>');

    await kase.getByLabel('Internal note').check();
    await kase.getByRole('textbox', { name: 'Reply' }).fill('Checked the payment provider: duplicate capture.');
    await kase.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => conversation.textContent()).toContain('Internal note');
    await kase.getByLabel('Internal note').uncheck();
    await kase.getByRole('textbox', { name: 'Reply' }).fill('Sorry about that, <i>the second charge</i> is refunded.');
    await kase.getByRole('button', { name: 'Send' }).click();
    const answer = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(answer.text).toBe('Sorry about that, <i>the second charge</i> is refunded.');
    expect(visitor.frames.filter((f) => f.type === 'message')).toHaveLength(1);
    await expect.poll(() => conversation.textContent(), { timeout: 10_000 }).toMatch(/Delivery: delivered/u);

    // the follow-up arrives live in the open case
    visitor.send({ type: 'message', id: 'v2', text: 'Thank you, that was quick!' });
    await expect.poll(() => conversation.textContent()).toContain('that was quick');
    expect(await page.$$('.timeline img, .timeline i, .timeline b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-case.png') });

    await kase.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(async () => (await t.api('GET', `/api/v1/cases/${number}`)).body.state).toBe('resolved');
    await visitor.close();
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);

  it('an answer carries files (chosen, pasted, dropped): the visitor’s widget links them, the link serves the file, the timeline shows them', async () => {
    const fay = await personAgent(t, 'Fay Files');
    const widget = await openPage(browser, { viewport: { width: 420, height: 700 } });
    const widgetCsp = await watchCsp(widget);
    await widget.goto(`${t.url}/chat/`);
    await widget.getByLabel('Your name').fill('Finn Files');
    await widget.getByLabel(/^Email/u).fill('finn@example.com');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await widget.getByRole('textbox', { name: 'Message' }).fill('Could you send me the picture?');
    await widget.keyboard.press('Enter');
    const { number } = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=finn@example.com')).body.items[0]);
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { assignee: fay.id })).status).toBe(200);

    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    const violations = await watchCsp(page);
    await signIn(page, t.url, fay.email);
    await page.goto(`${t.url}/console/#/case/${number}`);
    const kase = page.getByRole('region', { name: `Case ${number}` });
    const send = kase.getByRole('button', { name: 'Send', exact: true });
    const chips = kase.getByRole('list', { name: 'Files to send' });
    const attach = kase.getByLabel('Attach files');

    // a file the gateway refuses says why, and goes nowhere
    await attach.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect.poll(() => chips.getByRole('alert').textContent()).toMatch(/Not attached: .+/u);
    await expect.poll(() => send.isDisabled()).toBe(true);
    await kase.getByRole('button', { name: 'Remove empty.txt' }).click();

    // chosen, pasted and dropped; a removed one is not sent
    await attach.setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PNG });
    const reply = kase.getByRole('textbox', { name: 'Reply' });
    await reply.evaluate((el, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, [...PNG]);
    await kase.getByRole('form', { name: 'Composer' }).evaluate((el) => {
      const data = new DataTransfer();
      data.items.add(new File(['order 1234'], 'notes.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(async () => (await chips.getByRole('listitem').allTextContents()).join('|')).toMatch(/pixel\.png.*\|pasted\.png.*\|notes\.txt/u);
    await kase.getByRole('button', { name: 'Remove pasted.png' }).click();
    // files alone may be sent
    await expect.poll(() => send.isEnabled()).toBe(true);
    expect(await axeProblems(page)).toEqual([]);
    await reply.fill('Here it is.');
    await send.click();
    await expect.poll(() => chips.count()).toBe(0);

    // the visitor gets a link to each, which serves the file without signing in
    const link = widget.getByRole('link', { name: 'pixel.png' });
    await link.waitFor();
    expect(await widget.getByRole('link', { name: 'notes.txt' }).count()).toBe(1);
    expect(await widget.getByRole('link', { name: 'pasted.png' }).count()).toBe(0);
    const served = await fetch(here((await link.getAttribute('href'))!));
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);

    // the timeline shows the answer's files as it shows a customer's, and opens them
    const conversation = kase.getByRole('list', { name: 'Conversation' });
    const shown = conversation.getByRole('link', { name: 'pixel.png' });
    await shown.waitFor();
    expect(await conversation.getByRole('link', { name: 'notes.txt' }).count()).toBe(1);
    const opened = await page.request.get(new URL((await shown.getAttribute('href'))!, page.url()).href);
    expect(opened.status()).toBe(200);
    expect(Buffer.from(await opened.body())).toEqual(PNG);
    expect(violations).toEqual([]);
    expect(widgetCsp).toEqual([]);
    await widget.close();
    await page.close();
  }, 60_000);

  it('search finds a case by a word of the customer’s message; the inbox passes axe', async () => {
    const ann = await personAgent(t, 'Ann Search');
    const { visitor, number } = await chatCase('searcher@example.com', 'The espresso machine leaks water everywhere');
    await visitor.close();
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(page, t.url, ann.email);
    await page.getByRole('tab', { name: /All open/u }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('espresso');
    const list = page.getByRole('tabpanel');
    await expect.poll(async () => (await list.getByRole('link').allTextContents()).join('|')).toContain(number);
    await expect.poll(() => list.getByRole('link').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-inbox.png') });
    await page.close();
  }, 60_000);

  it('the tag filter narrows the list; a saved view keeps the filters, applies them again, and is deleted', async () => {
    const tagged = await chatCase('tagged@example.com', 'A question about a refund');
    const other = await chatCase('untagged@example.com', 'A question about something else');
    await tagged.visitor.close();
    await other.visitor.close();
    expect((await t.api('PATCH', `/api/v1/cases/${tagged.number}`, { tags: ['Refund-E2E'] })).status).toBe(200);
    const sia = await personAgent(t, 'Sia Saver');
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(page, t.url, sia.email);
    await page.getByRole('tab', { name: /All open/u }).click();
    const list = page.getByRole('tabpanel');
    const rows = async () => (await list.getByRole('link').allTextContents()).join('|');
    await expect.poll(rows).toContain(other.number);

    const tag = page.getByRole('textbox', { name: 'Tag', exact: true });
    await tag.fill('refund-e2e');
    await expect.poll(() => list.getByRole('link').count()).toBe(1);
    expect(await rows()).toContain(tagged.number);

    await page.getByRole('button', { name: 'Save view' }).click();
    let dialog = page.getByRole('dialog', { name: 'Save view' });
    await dialog.getByRole('textbox', { name: 'View name' }).fill('Refunds');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const saved = page.getByRole('list', { name: 'Saved views' });
    const view = saved.getByRole('button', { name: 'Refunds', exact: true });
    await view.waitFor();

    // a second view of that name is refused, and says why
    await page.getByRole('button', { name: 'Save view' }).click();
    dialog = page.getByRole('dialog', { name: 'Save view' });
    await dialog.getByRole('textbox', { name: 'View name' }).fill('Refunds');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBeTruthy();
    expect(await axeProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(rows).toContain(other.number);
    await view.click();
    await expect.poll(() => tag.inputValue()).toBe('refund-e2e');
    await expect.poll(() => list.getByRole('link').count()).toBe(1);
    expect(await rows()).toContain(tagged.number);

    await saved.getByRole('button', { name: 'Delete view Refunds' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Refunds', exact: true }).count()).toBe(0);
    expect((await (await page.request.get(`${t.url}/api/v1/saved-views`)).json()).items).toEqual([]);
    await page.close();
  }, 60_000);

  it('a closed case shows no composer and the API refuses replies to it', async () => {
    const ann = await personAgent(t, 'Cleo Closed');
    const { visitor, number } = await chatCase('closed@example.com', 'one question');
    expect((await t.api('PATCH', `/api/v1/cases/${number}`, { state: 'closed' })).status).toBe(200);
    const page = await openPage(browser);
    await signIn(page, t.url, ann.email);
    await page.goto(`${t.url}/console/#/case/${number}`);
    const kase = page.getByRole('region', { name: `Case ${number}` });
    await expect.poll(() => kase.textContent()).toMatch(/Closed/iu);
    expect(await kase.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    expect((await t.api('POST', `/api/v1/cases/${number}/replies`, { text: 'too late' })).status).toBe(409);
    await visitor.close();
    await page.close();
  });

  it('a resync frame makes the workspace reload its list and its open case from the API', async () => {
    const rae = await personAgent(t, 'Rae Resync');
    const { visitor, number } = await chatCase('resync@example.com', 'please reload');
    const page = await openPage(browser);
    await signIn(page, t.url, rae.email);
    await page.goto(`${t.url}/console/#/case/${number}`);
    const conversation = page.getByRole('region', { name: `Case ${number}` }).getByRole('list', { name: 'Conversation' });
    await expect.poll(() => conversation.textContent()).toContain('please reload');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /live/iu }).count()).toBeGreaterThan(0);
    const reread = page.waitForRequest((r) => r.url().endsWith(`/api/v1/cases/${number}`));
    const caseId = parseCaseNumber(number)!;
    for (let i = 0; i <= AGENT_STREAM_WINDOW; i++) t.app.switchboard.events.emit({ type: 'case.updated', caseId, changes: ['tags'] });
    await reread;
    await expect.poll(() => conversation.textContent()).toContain('please reload');
    await visitor.close();
    await page.close();
  }, 60_000);

  it('works at phone width: the list, then the case in its place, and back', async () => {
    const pia = await personAgent(t, 'Pia Phone');
    const { visitor, number } = await chatCase('phone@example.com', 'Writing from my phone about my order');
    // a long word (a link) in a row's preview wraps or is cut instead of widening the page
    const long = await chatCase('phone-link@example.com', `See https://shop.example.com/orders/${'7'.repeat(40)}/items?ref=${'x'.repeat(60)}`);
    const page = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, t.url, pia.email);
    await page.getByRole('tab', { name: /All open/u }).click();
    await page.getByRole('button', { name: 'Save view' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: new RegExp(number, 'u') }).click();
    const kase = page.getByRole('region', { name: `Case ${number}` });
    await kase.waitFor();
    // once the case and its composer are drawn
    await kase.getByText('Attach files').waitFor({ state: 'visible' });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-phone.png') });
    await page.getByRole('button', { name: /Back to inbox/u }).click();
    await page.getByRole('tablist', { name: 'Inbox views' }).waitFor();
    await visitor.close();
    await long.visitor.close();
    await page.close();
  }, 60_000);
});
