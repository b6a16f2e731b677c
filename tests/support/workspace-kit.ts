import path from 'node:path';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ChatClient, eventually, type TestApp } from './test-app.ts';

/** Where the tests keep the screenshots the README shows. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

export const PASSWORD = 'correct horse battery staple';

/** An agent created by the admin and given a password through their invitation link, as a person would. */
export async function personAgent(t: TestApp, name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string; token: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@support.test`;
  const res = await t.api('POST', '/api/v1/agents', { name, email, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const token = res.body.invite.url.split('#/invite/')[1];
  const set = await fetch(`${t.url}/auth/invitations/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
  expect(set.status).toBe(200);
  return { id: res.body.id, email, token: res.body.token };
}

/** Signs in through the form, by its labels, and waits for the inbox. */
export async function signIn(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist', { name: 'Inbox views' }).waitFor();
}

/** A page in a browser context of its own (its own cookies: one person's browser); closing the page closes the context. */
export async function openPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => undefined));
  return page;
}

/** The serious or critical WCAG 2.1 AA violations axe finds on the page as it is now. */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A chat visitor writes once; resolves with the visitor (still connected) and their case's number once the case exists. */
export async function chatCase(t: TestApp, email: string, text: string, name = 'Visitor'): Promise<{ visitor: ChatClient; number: string }> {
  const visitor = await ChatClient.open(t.url, { name, email });
  visitor.send({ type: 'message', id: `m-${email.replace(/[^\w.-]/gu, '_')}`, text });
  await visitor.waitFor((f) => f.type === 'ack');
  const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]);
  return { visitor, number: kase.number };
}
