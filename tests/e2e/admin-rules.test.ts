/**
 * The admin's routing rules and lexicon pages in a real browser, by role and accessible name: a lexicon
 * change and a new keyword rule previewed against stored messages (the replay), reviewed as a diff and
 * saved as versions; a rule moved with the keyboard; live routing following each version, and a rollback
 * restoring the routing before; the simulator's trace; agents kept out; no serious axe violations.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// one browser walks through many pages in turn; on a loaded machine a step can take several seconds
vi.setConfig({ testTimeout: 60_000 });
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../support/test-app.ts';
import { launchChromium } from '../support/browser.ts';
import { axeProblems, chatCase, openPage, personAgent, SCREENSHOTS, signIn } from '../support/workspace-kit.ts';

let t: TestApp;
let browser: Browser;
let admin: { id: string; email: string; token: string };
let page: Page;

/** with "refund" in the Billing lexicon these go to Billing; without it, nothing else names a topic: General */
const REFUND_MESSAGES = [
  'Hello, I would like a refund for the blender please.',
  'Please refund me, the headphones are too small.',
  'A refund for the toaster, please.',
];
const OTHER_MESSAGES = ['Hi there, what are your opening hours?', 'My password reset link does not work', 'The app crashes when I open settings'];

let seq = 0;
/** a new chat customer writes once; resolves with their case as the API shows it */
async function customerWrites(text: string): Promise<{ number: string; queue: string }> {
  const { visitor, number } = await chatCase(t, `customer${++seq}@example.com`, text, `Customer ${seq}`);
  await visitor.close();
  return (await t.api('GET', `/api/v1/cases/${number}`)).body;
}

async function noHorizontalScroll(p: Page): Promise<void> {
  expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  t = await startApp();
  browser = await launchChromium();
  admin = await personAgent(t, 'Ada Admin', { role: 'admin' });
  for (const text of REFUND_MESSAGES) expect((await customerWrites(text)).queue).toBe('Billing');
  for (const text of OTHER_MESSAGES) await customerWrites(text);
  page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, t.url, admin.email);
}, 90_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await t?.close();
});

describe('the lexicon', () => {
  it('a term removed in the draft is previewed against the stored messages, reviewed and saved as a version', async () => {
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Lexicon' }).click();
    await page.getByRole('heading', { name: 'Lexicon', level: 1 }).waitFor();
    expect(await axeProblems(page)).toEqual([]);

    const draftBar = page.getByRole('region', { name: 'Draft', exact: true });
    expect(await draftBar.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    await page.getByText('Billing', { exact: true }).click();
    await page.getByRole('button', { name: 'Remove refund from Billing' }).click();
    await expect.poll(() => draftBar.textContent()).toContain('Unsaved changes');
    expect(await axeProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Preview impact' }).click();
    const impact = page.getByRole('region', { name: 'Impact of the draft' });
    await expect.poll(() => impact.getByRole('status').textContent()).toMatch(/Of 6 messages replayed, 3 messages would change/u);
    expect(await impact.getByRole('list', { name: 'Arrivals by queue' }).textContent()).toContain('3 messages would move to General');

    await draftBar.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review and save the lexicon' });
    expect(await review.getByRole('region', { name: 'Changes to Billing' }).textContent()).toMatch(/Removed\s*refund/u);
    await review.getByRole('button', { name: 'Save' }).click();
    await review.waitFor({ state: 'detached' });
    await expect.poll(() => draftBar.textContent()).toContain('No unsaved changes');

    const doc = (await t.api('GET', '/api/v1/rules')).body;
    expect(doc.version).toBe(2);
    expect(JSON.stringify(doc.lexicon.categories.Billing)).not.toContain('"refund"');
    expect((await customerWrites('I need a refund for the mixer, please.')).queue).toBe('General');
  });
});

describe('the routing rules', () => {
  it('a keyword rule is added to the draft, previewed, saved, moved with the keyboard, and routes live', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Routing rules' }).click();
    const rules = page.getByRole('list', { name: 'Rules in order' });
    await rules.waitFor();
    await expect.poll(() => page.getByText(/Version 2 in force, saved by Ada Admin/u).count()).toBe(1);
    const before = (await t.api('GET', '/api/v1/rules')).body.rules as { id: string }[];
    expect(await rules.getByRole('listitem').count()).toBe(before.length);

    const draftBar = page.getByRole('region', { name: 'Draft', exact: true });
    await draftBar.getByRole('button', { name: 'New rule' }).click();
    const editor = page.getByRole('dialog', { name: 'New rule' });
    await editor.getByRole('textbox', { name: 'Name', exact: true }).fill('Refunds to Billing');
    expect(await editor.getByRole('textbox', { name: 'Rule ID' }).inputValue()).toBe('refunds-to-billing');
    // the gateway refuses an unsafe pattern, and says why at the pattern's field
    await editor.getByRole('textbox', { name: 'Pattern (regular expression)' }).fill('(a+)+$');
    await editor.getByRole('combobox', { name: 'Queue' }).selectOption('Billing');
    await editor.getByRole('button', { name: 'Add to draft' }).click();
    const pattern = editor.getByRole('textbox', { name: 'Pattern (regular expression)' });
    await expect.poll(() => pattern.getAttribute('aria-invalid')).toBe('true');
    expect(await pattern.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent)).toMatch(/catastrophic backtracking/u);
    expect(await axeProblems(page)).toEqual([]);
    await pattern.fill('');
    await editor.getByRole('textbox', { name: 'Keywords or phrases' }).fill('refund');
    // placed before the catch-all by default
    expect(await editor.getByRole('combobox', { name: 'Position' }).inputValue()).toBe(String(before.length - 1));
    await editor.getByRole('button', { name: 'Add to draft' }).click();
    await editor.waitFor({ state: 'detached' });

    const row = rules.getByRole('listitem', { name: /Refunds to Billing/u });
    expect(await row.getAttribute('aria-label')).toBe(`${before.length}. Refunds to Billing`);
    expect(await row.textContent()).toContain('New');
    await expect.poll(() => draftBar.textContent()).toContain('Unsaved changes');
    expect((await t.api('GET', '/api/v1/rules')).body.version).toBe(2);

    const impact = page.getByRole('region', { name: 'Impact of the draft' });
    expect(await impact.getByRole('spinbutton', { name: 'Messages to replay' }).inputValue()).toBe('1000');
    await impact.getByRole('button', { name: 'Preview impact' }).click();
    await expect.poll(() => impact.getByRole('status').textContent()).toMatch(/Of 7 messages replayed, 4 messages would change/u);
    // the three seeded refund messages and the one written after the lexicon changed
    expect(await impact.getByRole('list', { name: 'Arrivals by queue' }).textContent()).toContain(`${REFUND_MESSAGES.length + 1} messages would move to Billing`);
    await impact.getByText('Examples (4)').click();
    expect(await impact.getByRole('list', { name: 'Moves' }).textContent()).toContain('refund for the toaster');
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-rules.png'), fullPage: false });

    await draftBar.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review and save the rules' });
    expect(await review.getByRole('region', { name: 'Rules added' }).textContent()).toContain('Refunds to Billing');
    expect(await axeProblems(page)).toEqual([]);
    await review.getByRole('button', { name: 'Save' }).click();
    await review.waitFor({ state: 'detached' });
    await expect.poll(() => draftBar.textContent()).toContain('No unsaved changes');
    const saved = (await t.api('GET', '/api/v1/rules')).body;
    expect(saved.version).toBe(3);
    expect(saved.rules.findIndex((r: { id: string }) => r.id === 'refunds-to-billing')).toBe(before.length - 1);

    // keyboard: Enter on Move up, then Alt+ArrowUp (the focus stays with the moved rule)
    const moveUp = row.getByRole('button', { name: /Move up/u });
    await moveUp.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getAttribute('aria-label')).toBe(`${before.length - 1}. Refunds to Billing`);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => row.getAttribute('aria-label')).toBe(`${before.length - 2}. Refunds to Billing`);
    await draftBar.getByRole('button', { name: 'Review and save' }).click();
    expect(await review.getByRole('region', { name: 'Rules moved' }).textContent()).toContain(`Refunds to Billing: position ${before.length} → ${before.length - 2}`);
    await review.getByRole('button', { name: 'Save' }).click();
    await review.waitFor({ state: 'detached' });

    await page.reload();
    await rules.waitFor();
    const labels = await rules.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels[before.length - 3]).toBe(`${before.length - 2}. Refunds to Billing`);
    expect((await t.api('GET', '/api/v1/rules')).body.version).toBe(4);

    expect((await customerWrites('Could I have a refund for the kettle?')).queue).toBe('Billing');
    // the rule's matches: the message just routed
    await page.reload();
    await expect.poll(async () => rules.getByRole('listitem', { name: /Refunds to Billing/u }).textContent()).toMatch(/24 h\s*1\s*7 days\s*1\s*Last match\s*(now|\d+ seconds? ago)/u);
  });

  it('a dragged rule moves in the draft; discarding the draft brings the live order back', async () => {
    const rules = page.getByRole('list', { name: 'Rules in order' });
    const draftBar = page.getByRole('region', { name: 'Draft', exact: true });
    const vip = rules.getByRole('listitem', { name: /VIP customer/u });
    expect(await vip.getAttribute('aria-label')).toBe('4. VIP customer');
    await vip.dragTo(rules.getByRole('listitem', { name: /Frustrated customer/u }), { targetPosition: { x: 60, y: 4 } });
    await expect.poll(() => vip.getAttribute('aria-label')).toBe('2. VIP customer');
    await expect.poll(() => draftBar.textContent()).toContain('Unsaved changes');
    await draftBar.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('dialog', { name: 'Discard the draft?' }).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => vip.getAttribute('aria-label')).toBe('4. VIP customer');
    await expect.poll(() => draftBar.textContent()).toContain('No unsaved changes');
  });

  it('a save refused for a version saved meanwhile says so; the draft, taken up on the newer version, keeps both changes', async () => {
    const rules = page.getByRole('list', { name: 'Rules in order' });
    const draftBar = page.getByRole('region', { name: 'Draft', exact: true });
    await rules.getByRole('listitem', { name: /Urgent wording/u }).getByRole('button', { name: /Disable/u }).click();
    // another admin renames a rule meanwhile
    expect((await t.api('PATCH', '/api/v1/rules/vip', { name: 'VIP customers' })).status).toBe(200);
    await draftBar.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review and save the rules' });
    await review.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => review.getByRole('alert').textContent()).toMatch(/someone else changed the rules meanwhile.*version 5, not 4/su);
    await review.getByRole('button', { name: 'Compare with the newest version' }).click();
    await expect.poll(() => review.textContent()).toContain('Against version 5');
    const changed = review.getByRole('region', { name: 'Rules changed' });
    expect(await changed.textContent()).toContain('Urgent wording');
    expect(await changed.textContent()).not.toContain('VIP');
    await review.getByRole('button', { name: 'Save' }).click();
    await review.waitFor({ state: 'detached' });
    const doc = (await t.api('GET', '/api/v1/rules')).body;
    expect(doc.version).toBe(6);
    const byId = new Map(doc.rules.map((r: { id: string }) => [r.id, r]));
    expect(byId.get('vip')).toMatchObject({ name: 'VIP customers' });
    expect(byId.get('urgent')).toMatchObject({ enabled: false });
  });

  it('the simulator shows the decision and every rule tried', async () => {
    const sim = page.getByRole('region', { name: 'Simulator' });
    await sim.getByRole('combobox', { name: 'Channel' }).selectOption('chat');
    await sim.getByRole('textbox', { name: 'From' }).fill('sam@example.com');
    await sim.getByRole('textbox', { name: 'Message text' }).fill('Please refund me, the speaker is broken and I am really angry!');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => sim.getByRole('status').textContent()).toContain('Routed to Billing');
    const trace = sim.getByRole('list', { name: 'Trace' });
    const refundStep = trace.getByRole('listitem').filter({ hasText: 'Refunds to Billing' });
    expect(await refundStep.textContent()).toContain('Chose the queue');
    expect(await trace.getByRole('listitem').filter({ hasText: 'Everything else' }).textContent()).toContain('Overridden');
    await sim.scrollIntoViewIfNeeded();
    await sim.screenshot({ path: path.join(SCREENSHOTS, 'admin-rules-trace.png') });
  });

  it('rolling back to the version before the rule restores the old routing', async () => {
    const versions = page.getByRole('region', { name: 'Versions' });
    await versions.getByRole('button', { name: 'Roll back to this version (version 2)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Roll back to version 2?' });
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText(/Version 7 in force/u).waitFor();
    expect(await page.getByRole('list', { name: 'Rules in order' }).getByRole('listitem', { name: /Refunds to Billing/u }).count()).toBe(0);
    const audit = page.getByRole('region', { name: 'Audit log' });
    expect(await audit.getByRole('listitem').first().textContent()).toMatch(/Ada Admin.*restored/su);
    expect((await customerWrites('A refund for the lamp, please.')).queue).toBe('General');
  });

  it('works at phone width without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Routing rules', level: 1 }).waitFor();
    await noHorizontalScroll(page);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Lexicon' }).click();
    await page.getByRole('heading', { name: 'Lexicon', level: 1 }).waitFor();
    await noHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('agents', () => {
  it('are told the page is not theirs, and the API refuses their changes', async () => {
    const andy = await personAgent(t, 'Andy Agent');
    const p = await openPage(browser);
    await signIn(p, t.url, andy.email);
    await p.goto(`${t.url}/console/#/admin/rules`);
    await expect.poll(() => p.getByRole('alert').textContent()).toMatch(/Only supervisors and admins/u);
    expect(await p.getByRole('list', { name: 'Rules in order' }).count()).toBe(0);
    const refused = await t.api('PATCH', '/api/v1/rules', { rules: [] }, andy.token);
    expect(refused.status).toBe(403);
    // the agent's own session, CSRF token and all, is refused for the role
    const fromBrowser = await p.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/auth/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/v1/rules', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: '{"rules":[]}' });
      return res.status;
    });
    expect(fromBrowser).toBe(403);
    await p.close();
  });
});
