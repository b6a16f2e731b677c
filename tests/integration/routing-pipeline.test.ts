/**
 * Live routing in the one ingest pipeline: every inbound message is scored and routed by the rules in
 * force, the decision and its trace are stored on the case, priority is re-scored on each follow-up,
 * and an auto-reply action answers a new case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import type { GatewayEvent } from '../../gateway/events.ts';

let t: TestApp;
let agent: { id: string; token: string };
const events: GatewayEvent[] = [];

beforeAll(async () => {
  t = await startApp();
  t.app.switchboard.events.on((e) => events.push(e));
  // offline: these tests are about routing, not about offers
  agent = (await t.api('POST', '/api/v1/agents', { name: 'Ada', email: 'ada@support.test' })).body;
});
afterAll(() => t.close());

async function caseOf(email: string, until: (c: any) => boolean = () => true) {
  return eventually(async () => {
    const list = await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`);
    const number = list.body.items[0]?.number;
    const kase = number ? (await t.api('GET', `/api/v1/cases/${number}`)).body : null;
    return kase && until(kase) ? kase : null;
  });
}

const inboundCount = (kase: any) => kase.interactions.filter((i: any) => i.direction === 'inbound').length;

describe('every inbound message is scored and routed', () => {
  it('a billing message goes to Billing by its keywords, with the decision and trace on the case', async () => {
    const c = await ChatClient.open(t.url, { name: 'Bill', email: 'bill@customer.test' });
    c.send({ type: 'message', text: 'Hello, I was charged twice for invoice 4411. Can I get a refund for the second payment?' });
    const kase = await caseOf('bill@customer.test');
    expect(kase).toMatchObject({ queue: 'Billing', category: 'Billing', state: 'new' });
    expect(kase.routing).toMatchObject({
      version: 1,
      thread: { action: 'new' },
      decision: { queue: 'Billing', queueRuleId: 'billing', category: 'Billing', priority: kase.priority },
    });
    const scores = kase.routing.trace[0];
    expect(scores).toMatchObject({ kind: 'scores', category: 'Billing' });
    expect(scores.keywords).toEqual(expect.arrayContaining(['charged twice', 'invoice', 'refund']));
    const billingRule = kase.routing.trace.find((e: any) => e.kind === 'rule' && e.ruleId === 'billing');
    expect(billingRule).toMatchObject({ matched: true, reasons: ['category Billing'], applied: ['queue Billing'] });
    expect(kase.routing.trace.at(-1)).toMatchObject({ kind: 'priority', priority: kase.priority });
    await c.close();
  });

  it.each([
    ['where is my parcel? the courier never delivered it', 'Orders & Delivery'],
    ['I cannot log in, the password reset link is broken', 'Account'],
    ['the app crashes with an error every time I open settings', 'Technical'],
    ['good afternoon, I have a general question', 'General'],
  ])('%s → %s', async (text, queue) => {
    const email = `q${queue.length}-${text.length}@customer.test`;
    const c = await ChatClient.open(t.url, { name: 'Q', email });
    c.send({ type: 'message', text });
    expect((await caseOf(email)).queue).toBe(queue);
    await c.close();
  });
});

describe('priority is re-scored on every new message', () => {
  it('a calm case that turns angry goes up, and a calm follow-up never brings it down again', async () => {
    const c = await ChatClient.open(t.url, { name: 'Cal', email: 'cal@customer.test' });
    c.send({ type: 'message', text: 'Hi, could you tell me when my order ships? Thanks' });
    const calm = await caseOf('cal@customer.test');
    expect(calm.priority).toBe(3);
    expect(calm.frustrated).toBe(false);

    events.length = 0;
    c.send({ type: 'message', text: 'This is the THIRD time I ask and nobody answers. I am still waiting and I am furious!!' });
    const angry = await caseOf('cal@customer.test', (k) => inboundCount(k) === 2);
    expect(angry.priority).toBeLessThan(3);
    expect(angry.frustrated).toBe(true);
    expect(angry.sentiment).toBeLessThan(-0.5);
    expect(angry.tags).toContain('frustrated');
    expect(angry.queue).toBe('Orders & Delivery'); // a follow-up never moves the case
    expect(angry.routing.trace.at(-1).explanation.join(' ')).toMatch(/case raised from P3/);
    expect(events).toContainEqual(expect.objectContaining({ type: 'case.updated', changes: expect.arrayContaining(['priority']) }));

    c.send({ type: 'message', text: 'ok, thank you' });
    const after = await caseOf('cal@customer.test', (k) => inboundCount(k) === 3);
    expect(after.priority).toBe(angry.priority);
    expect(after.routing.trace.at(-1).explanation.join(' ')).toMatch(/never lowers it/);
    await c.close();
  });

  it('a priority an agent set is never lowered by a message, but an angry one still raises it', async () => {
    const c = await ChatClient.open(t.url, { name: 'Pia', email: 'pia@customer.test' });
    c.send({ type: 'message', text: 'hello there' });
    const kase = await caseOf('pia@customer.test');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { priority: 1 }, agent.token)).status).toBe(200);
    c.send({ type: 'message', text: 'thanks, all good, no rush at all :)' });
    expect((await caseOf('pia@customer.test', (k) => inboundCount(k) === 2)).priority).toBe(1);

    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { priority: 4 }, agent.token)).status).toBe(200);
    c.send({ type: 'message', text: 'WHY is this STILL not fixed?! Third time I write, this is a joke!!' });
    expect((await caseOf('pia@customer.test', (k) => inboundCount(k) === 3)).priority).toBeLessThan(4);
    await c.close();
  });
});

describe('auto-reply action', () => {
  it('a rule with an auto-reply template answers a new case once, on its channel, with the case number filled in', async () => {
    const templates = { ...(await t.api('GET', '/api/v1/rules')).body.templates, 'billing-ack': 'Hi {{name}}, we got your billing question ({{caseNumber}}) and {{queue}} will answer soon.' };
    expect((await t.api('PATCH', '/api/v1/rules', { templates })).status).toBe(200);
    const patched = await t.api('PATCH', '/api/v1/rules/billing', { then: { queue: 'Billing', autoReplyTemplate: 'billing-ack', requiredSkills: ['billing'] } });
    expect(patched.status).toBe(200);

    const c = await ChatClient.open(t.url, { name: 'Nia', email: 'nia@customer.test' });
    c.send({ type: 'message', text: 'My invoice shows the wrong amount' });
    const kase = await caseOf('nia@customer.test');
    const frame = await c.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(frame.text).toBe(`Hi Nia, we got your billing question (${kase.number}) and Billing will answer soon.`);
    expect(kase.requiredSkills).toEqual(['billing']);
    expect(kase.routing.decision.autoReplyTemplate).toBe('billing-ack');
    const auto = kase.interactions.filter((i: any) => i.kind === 'auto_reply');
    expect(auto).toHaveLength(1);

    c.send({ type: 'message', text: 'and the VAT number is missing on the invoice too' });
    const again = await caseOf('nia@customer.test', (k) => inboundCount(k) === 2);
    expect(again.interactions.filter((i: any) => i.kind === 'auto_reply')).toHaveLength(1);
    await c.close();
  });
});
