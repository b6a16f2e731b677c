/**
 * The workspace as a team uses it, in a real browser, by role and accessible name: the walk-through
 * (an invited agent signs in, accepts a chat's offer, answers with a canned response whose placeholder is
 * filled, the visitor's widget shows it), a second agent seen viewing and typing, a note mentioning a colleague
 * picked from the `@` suggestions, a supervisor assigning three cases at once, the keyboard, and axe on the
 * case view with its customer sidebar.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { axeProblems, chatCase as openChat, openPage, PASSWORD, personAgent, SCREENSHOTS, signIn } from '../support/workspace-kit.ts';
import { watchCsp } from './csp-watch.ts';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startApp({ ASSIGNMENT_SWEEP_MS: '200' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});


async function chatCase(email: string, text: string): Promise<string> {
  const { visitor, number } = await openChat(t, email, text);
  await visitor.close();
  return number;
}

describe('the workspace as a team uses it', () => {
  it('an invited agent accepts a chat’s offer and answers with a canned response; the visitor’s widget shows it; a colleague is seen viewing and typing', async () => {
    // the team's canned response, and an agent invited by email
    expect((await t.api('POST', '/api/v1/canned-responses', { shortcut: 'welcome', title: 'Welcome', text: 'Hi {{contact.firstName}}, this is {{agent.firstName}}. Let me look at {{case.number}} for you.', shared: true })).status).toBe(201);
    const invited = await t.api('POST', '/api/v1/agents', { name: 'Wendy Walker', email: 'wendy@support.test', queues: ['General', 'Billing', 'Orders & Delivery', 'Technical'] });
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    const violations = await watchCsp(page);
    await page.goto(invited.body.invite.url.replace(/^https?:\/\/[^/]+/u, t.url));
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('tablist', { name: 'Inbox views' }).waitFor();
    await page.getByLabel('Presence').selectOption('online');
    await expect.poll(async () => (await t.api('GET', `/api/v1/agents`)).body.items.find((a: { id: string }) => a.id === invited.body.id).presence).toBe('online');

    // the visitor writes in the real widget
    const widget = await openPage(browser, { viewport: { width: 420, height: 700 } });
    await widget.goto(`${t.url}/chat/`);
    await widget.fill('#name', 'Greta Garbo');
    await widget.fill('#email', 'greta@example.com');
    await widget.click('#begin');
    await widget.waitForSelector('#composer:not([hidden])');
    await widget.fill('#text', 'Hello, my parcel has not arrived yet');
    await widget.keyboard.press('Enter');

    const offers = page.getByRole('region', { name: 'Offers' });
    await offers.getByRole('button', { name: 'Accept' }).waitFor({ timeout: 15_000 });
    expect(await offers.getByRole('timer').count()).toBe(1);
    await offers.getByRole('button', { name: 'Accept' }).click();
    const number = (await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=greta@example.com')).body.items[0])).number as string;
    const kase = page.getByRole('region', { name: `Case ${number}` });
    await kase.waitFor();

    // a colleague opens the same case: each sees the other, and typing
    const bob = await personAgent(t, 'Bob Builder');
    const colleague = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(colleague, t.url, bob.email);
    await colleague.goto(`${t.url}/console/#/case/${number}`);
    const alsoHere = kase.getByRole('status', { name: 'Also here' });
    await expect.poll(() => alsoHere.textContent(), { timeout: 10_000 }).toMatch(/Bob Builder is viewing/u);
    await colleague.getByRole('textbox', { name: 'Reply' }).pressSequentially('I can take');
    await expect.poll(() => alsoHere.textContent(), { timeout: 10_000 }).toMatch(/Bob Builder is typing/u);

    // the canned response, its placeholders filled
    const reply = kase.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await reply.pressSequentially('/wel');
    const suggestions = page.getByRole('listbox', { name: 'Canned responses' });
    await suggestions.getByRole('option', { name: /Welcome/u }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-composer.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe(`Hi Greta, this is Wendy. Let me look at ${number} for you.`);
    await kase.getByRole('button', { name: 'Send' }).click();
    await widget.waitForSelector('.msg.outbound');
    expect(await widget.textContent('.msg.outbound')).toContain(`Hi Greta, this is Wendy. Let me look at ${number} for you.`);

    // the customer sidebar: the contact and their cases
    const customer = page.getByRole('complementary', { name: 'Customer' });
    await expect.poll(() => customer.textContent()).toContain('greta@example.com');
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workspace-case-sidebar.png') });

    // Bob leaves: Wendy sees nobody else
    await colleague.close();
    await expect.poll(() => alsoHere.textContent(), { timeout: 10_000 }).not.toMatch(/Bob Builder/u);
    expect(violations).toEqual([]);
    await widget.close();
    await page.close();
  }, 120_000);

  it('a note’s @ suggests colleagues by name; the one picked is mentioned and hears of it', async () => {
    const number = await chatCase('mention@example.com', 'Who can help with my invoice?');
    const nia = await personAgent(t, 'Nia Noter');
    await personAgent(t, 'Olga Mentioned');
    const oscar = await personAgent(t, 'Oscar Mentioned');
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(page, t.url, nia.email);
    const colleague = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(colleague, t.url, oscar.email);
    await expect.poll(() => colleague.getByRole('status').filter({ hasText: /live/iu }).count()).toBeGreaterThan(0);

    await page.goto(`${t.url}/console/#/case/${number}`);
    const kase = page.getByRole('region', { name: `Case ${number}` });
    const reply = kase.getByRole('textbox', { name: 'Reply' });
    // an answer to the customer suggests nobody
    await reply.pressSequentially('@O');
    expect(await page.getByRole('listbox', { name: 'Agents to mention' }).count()).toBe(0);
    await reply.fill('');
    await kase.getByLabel('Internal note').check();
    await reply.pressSequentially('Could @O');
    const people = page.getByRole('listbox', { name: 'Agents to mention' });
    await expect.poll(async () => (await people.getByRole('option').allTextContents()).join('|')).toMatch(/^Olga Mentioned.*\|Oscar Mentioned/u);
    expect(await axeProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await people.waitFor({ state: 'hidden' });
    await reply.pressSequentially('l');
    await people.waitFor();
    await page.keyboard.press('Backspace');
    // the second of the two
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await expect.poll(() => reply.inputValue()).toBe('Could @Oscar Mentioned ');
    await reply.pressSequentially('look at the invoice?');
    expect(await people.count()).toBe(0);
    await kase.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => colleague.getByText(/Nia Noter mentioned you on/u).count()).toBe(1);
    await expect.poll(() => kase.getByRole('list', { name: 'Conversation' }).textContent()).toContain('Could @Oscar Mentioned look at the invoice?');
    await colleague.close();
    await page.close();
  }, 60_000);

  it('a supervisor assigns three cases at once; the keyboard moves through the list and opens a case', async () => {
    const numbers = [await chatCase('one@example.com', 'First question'), await chatCase('two@example.com', 'Second question'), await chatCase('three@example.com', 'Third question')];
    const lead = await personAgent(t, 'Lea Lead', { role: 'supervisor' });
    const target = await personAgent(t, 'Tom Target');
    const page = await openPage(browser, { viewport: { width: 1366, height: 860 } });
    await signIn(page, t.url, lead.email);
    await page.getByRole('tab', { name: /All open/u }).click();
    for (const n of numbers) await page.getByRole('checkbox', { name: `Select ${n}` }).check();
    const bulk = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bulk.getByLabel('Assign to').selectOption({ label: 'Tom Target' });
    await bulk.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(async () => Promise.all(numbers.map(async (n) => (await t.api('GET', `/api/v1/cases/${n}`)).body.assignee))).toEqual([target.id, target.id, target.id]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /3 cases assigned to Tom Target/u }).count()).toBe(1);

    // j moves down, k up, Enter opens; ? lists the keys; Ctrl+K opens the command palette
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: /^Case CS\d{7}$/u }).count()).toBe(1);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toMatch(/command palette/iu);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox', { name: 'Command' }).fill('Resolved');
    await page.keyboard.press('Enter');
    await expect.poll(async () => page.getByRole('tab', { name: /Resolved/u }).getAttribute('aria-selected')).toBe('true');
    await page.close();
  }, 90_000);
});
