/**
 * The admin's team, integrations, channels, customers and SLA pages in a real browser, by role and accessible
 * name: the live status board (an online agent's load, a queue's waiting case), an agent created with their
 * invitation link, a queue's offer timeout refused then saved, an agent deactivated (who then cannot sign in),
 * an API token issued once and revoked, the channels' state and webhook URLs, a contact found and renamed,
 * an SLA preview sentence; supervisors see the board without the controls and not the admin-only pages;
 * the pages fit a phone and axe finds no serious violations.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// one browser walks through many pages in turn; on a loaded machine a step can take several seconds
vi.setConfig({ testTimeout: 60_000 });
import type { Browser, Page } from 'playwright-core';
import { INBOUND_PATH } from '../../channels/sms/sms.routes.ts';
import { startApp, type ChatClient, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { axeProblems, chatCase, openPage, PASSWORD, personAgent, SCREENSHOTS, signIn } from '../support/workspace-kit.ts';

let t: TestApp;
let browser: Browser;
let page: Page;
let visitor: ChatClient;
let olive: { id: string; email: string; token: string };

async function openSection(p: Page, label: string, heading: string): Promise<void> {
  await p.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: label }).click();
  await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

async function noHorizontalScroll(p: Page): Promise<void> {
  expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  t = await startApp({ ASSIGNMENT_SWEEP_MS: '200', STATS_PUSH_SECONDS: '1' });
  browser = await launchChromium();
  const admin = await personAgent(t, 'Ada Admin', { role: 'admin' });
  // online in Billing only: the chat case below waits in General, offered to nobody
  olive = await personAgent(t, 'Olive Online', { queues: ['Billing'], capacity: 4 });
  expect((await t.api('PUT', `/api/v1/agents/${olive.id}/presence`, { presence: 'online' })).status).toBe(200);
  ({ visitor } = await chatCase(t, 'wendy@example.com', 'Hello, is anyone there?', 'Wendy Waiting'));
  page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  await signIn(page, t.url, admin.email);
  await page.getByRole('link', { name: 'Administration' }).click();
  await openSection(page, 'Team', 'Team');
}, 90_000);

afterAll(async () => {
  await visitor?.close();
  await page?.close();
  await browser?.close();
  await t?.close();
});

describe('team', () => {
  it('the status board shows who is online with their load, and what waits in each queue', async () => {
    const board = page.getByRole('region', { name: 'Status board' });
    const oliveRow = board.getByRole('table', { name: 'Agents at work' }).getByRole('row', { name: /Olive Online/u });
    await expect.poll(() => oliveRow.textContent()).toMatch(/Online.*0 of 4 cases/u);
    const general = board.getByRole('table', { name: 'Queues now' }).getByRole('row', { name: /General/u });
    await expect.poll(() => general.textContent()).toContain('1 waiting');
    // the board follows the floor live: Olive takes a break
    await t.api('PUT', `/api/v1/agents/${olive.id}/presence`, { presence: 'break', reason: 'lunch' });
    await expect.poll(() => oliveRow.textContent()).toMatch(/On a break \(lunch/u);
    await t.api('PUT', `/api/v1/agents/${olive.id}/presence`, { presence: 'online' });
    await expect.poll(() => oliveRow.textContent()).toMatch(/Online/u);
    await page.getByRole('region', { name: 'Agents' }).getByRole('row', { name: /Olive Online/u }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-team.png') });
  });

  it('an admin creates an agent and gets the invitation link and the API token once', async () => {
    await page.getByRole('button', { name: 'New agent' }).click();
    const form = page.getByRole('dialog', { name: 'New agent' });
    await form.getByLabel('Name', { exact: true }).fill('Nina New');
    await form.getByLabel('Email', { exact: true }).fill('nina@support.test');
    await form.getByRole('group', { name: 'Queues' }).getByLabel('General').check();
    await form.getByRole('button', { name: 'Add a skill' }).click();
    await form.getByLabel('Skill 1', { exact: true }).fill('billing');
    await form.getByLabel('Level of skill 1').selectOption('4');
    expect(await axeProblems(page)).toEqual([]);
    await form.getByRole('button', { name: 'Create agent' }).click();

    const created = page.getByRole('dialog', { name: 'Nina New was created' });
    const link = (await created.locator('#invite-link').textContent()) ?? '';
    expect(link).toMatch(/#\/invite\/\S+$/u);
    expect(await created.textContent()).toContain('not emailed');
    expect(await created.locator('#agent-token').textContent()).toMatch(/\S{20,}/u);
    expect(await created.textContent()).toContain('will not be shown again');
    const token = link.split('#/invite/')[1]!;
    expect((await fetch(`${t.url}/auth/invitations/${token}`)).status).toBe(200);
    await created.getByRole('button', { name: 'Done' }).click();

    const nina = (await t.api('GET', '/api/v1/agents')).body.items.find((a: { name: string }) => a.name === 'Nina New');
    expect(nina).toMatchObject({ email: 'nina@support.test', queues: ['General'], skills: ['billing'], skillLevels: { billing: 4 } });
    await page.getByRole('region', { name: 'Agents' }).getByRole('row', { name: /Nina New/u }).waitFor();
  });

  it('a queue’s offer timeout is refused at the field when out of range, then saved', async () => {
    const queues = page.getByRole('region', { name: 'Queues', exact: true });
    await queues.getByRole('button', { name: 'Edit queue Billing' }).click();
    const form = page.getByRole('dialog', { name: 'Edit queue Billing' });
    const timeout = form.getByLabel('Offer timeout (seconds)');
    await timeout.fill('2');
    await form.getByRole('button', { name: 'Save queue' }).click();
    await expect.poll(() => form.getByRole('alert').first().textContent()).toMatch(/≥ 5/u);
    expect(await timeout.getAttribute('aria-invalid')).toBe('true');
    await timeout.fill('45');
    await form.getByRole('button', { name: 'Save queue' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => queues.getByRole('row', { name: /Billing/u }).textContent()).toContain('45 s');
    const billing = (await t.api('GET', '/api/v1/queues')).body.items.find((q: { name: string }) => q.name === 'Billing');
    expect(billing.offerTimeoutSeconds).toBe(45);
  });

  it('a deactivated agent can no longer sign in, nor use their token', async () => {
    const dora = await personAgent(t, 'Dora Leaving');
    await page.reload();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    const agents = page.getByRole('region', { name: 'Agents' });
    await agents.getByRole('button', { name: 'Deactivate Dora Leaving' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate Dora Leaving?' });
    await confirm.getByRole('button', { name: 'Deactivate Dora Leaving' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => agents.getByRole('row', { name: /Dora Leaving/u }).textContent()).toContain('Deactivated');
    expect(await agents.getByRole('button', { name: 'Reactivate Dora Leaving' }).count()).toBe(1);

    const signIn401 = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: dora.email, password: PASSWORD }) });
    expect(signIn401.status).toBe(401);
    expect((await t.api('GET', '/api/v1/queues', undefined, dora.token)).status).toBe(401);
  });
});

describe('integrations', () => {
  it('a token is shown once, listed, and refused once revoked', async () => {
    await openSection(page, 'Integrations', 'Integrations');
    await page.getByLabel('Role').selectOption('supervisor');
    await page.getByLabel('Label').fill('CRM sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('region', { name: 'The new token' });
    const token = ((await shown.locator('#new-token').textContent()) ?? '').trim();
    expect(await shown.textContent()).toContain('will not be shown again');
    expect((await t.api('GET', '/api/v1/stats/agents', undefined, token)).status).toBe(200);

    const tokens = page.getByRole('table', { name: 'API tokens' });
    const row = tokens.getByRole('row', { name: /CRM sync/u });
    await expect.poll(() => row.textContent()).toMatch(/Supervisor.*Active/u);
    expect(await axeProblems(page)).toEqual([]);

    await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke CRM sync?' });
    await confirm.getByRole('button', { name: 'Revoke the token' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).toContain('Revoked');
    expect(await row.getByRole('button', { name: /Revoke/u }).count()).toBe(0);
    expect((await t.api('GET', '/api/v1/stats/agents', undefined, token)).status).toBe(401);
  });
});

describe('channels', () => {
  it('each channel says whether it is on; SMS shows the webhook URL to paste into Twilio', async () => {
    await openSection(page, 'Channels', 'Channels');
    const state = (await t.api('GET', '/api/v1/channels')).body.items as { name: string; enabled: boolean }[];
    for (const [name, title] of [['chat', 'Chat'], ['email', 'Email']] as const) {
      const card = page.getByRole('region', { name: title, exact: true });
      const on = state.find((c) => c.name === name)!.enabled;
      await expect.poll(() => card.textContent()).toContain(on ? 'On' : 'Off');
    }
    const sms = page.getByRole('region', { name: 'SMS', exact: true });
    await expect.poll(() => sms.textContent()).toContain(INBOUND_PATH);
    expect(await sms.getByRole('button', { name: /Copy URL/u }).count()).toBeGreaterThan(0);
    expect(await axeProblems(page)).toEqual([]);
  });
});

describe('customers', () => {
  it('a search by email finds the contact, whose name is then changed', async () => {
    const created = await t.api('POST', '/api/v1/contacts', { name: 'Carl Customer', email: 'carl@example.com' });
    expect(created.status).toBe(201);
    await openSection(page, 'Customers', 'Customers');
    await page.getByLabel('Search contacts and accounts').fill('carl@example.com');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('list', { name: 'Contacts found' }).getByRole('button', { name: /Carl Customer/u }).click();
    const contact = page.getByRole('region', { name: 'Contact: Carl Customer' });
    await contact.getByLabel('Name', { exact: true }).fill('Carl C. Customer');
    await contact.getByRole('button', { name: 'Save contact' }).click();
    await expect.poll(() => contact.getByRole('status').first().textContent()).toContain('Contact saved');
    expect((await t.api('GET', `/api/v1/contacts/${created.body.id}`)).body.name).toBe('Carl C. Customer');
    await expect.poll(() => page.getByRole('region', { name: 'Audit of changes' }).textContent()).toContain('Carl C. Customer');
    expect(await axeProblems(page)).toEqual([]);
  });
});

describe('SLA policies', () => {
  it('a policy’s preview says when a case would fall due', async () => {
    await openSection(page, 'SLAs and calendars', 'SLAs and calendars');
    await page.getByRole('button', { name: 'Preview Urgent' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toMatch(/A priority-1 email arriving .+ would be due .+ \(first response\) under “Urgent”/u);
    expect(await axeProblems(page)).toEqual([]);
  });
});

describe('on a phone', () => {
  it('the pages fit 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [label, heading] of [['Team', 'Team'], ['Customers', 'Customers'], ['SLAs and calendars', 'SLAs and calendars'], ['Channels', 'Channels'], ['Integrations', 'Integrations']] as const) {
      await openSection(page, label, heading);
      await noHorizontalScroll(page);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('supervisors', () => {
  it('see the board and the lists without the changing controls, and not the admin-only pages', async () => {
    const sue = await personAgent(t, 'Sue Supervisor', { role: 'supervisor' });
    const p = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    p.setDefaultTimeout(10_000);
    await signIn(p, t.url, sue.email);
    await p.goto(`${t.url}/console/#/admin/team`);
    await p.getByRole('heading', { name: 'Status board' }).waitFor();
    await p.getByRole('region', { name: 'Agents' }).getByRole('row', { name: /Olive Online/u }).waitFor();
    expect(await p.getByRole('button', { name: /Deactivate/u }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'New agent' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /Edit queue/u }).count()).toBe(0);
    expect(await axeProblems(p)).toEqual([]);
    await p.goto(`${t.url}/console/#/admin/integrations`);
    await expect.poll(() => p.getByRole('alert').textContent()).toMatch(/admins only/u);
    expect(await p.getByRole('button', { name: 'Create token' }).count()).toBe(0);
    await p.close();
  });
});
