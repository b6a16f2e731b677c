import { describe, expect, it } from 'vitest';
import { buildCaseCard, previewOf, type CardInput } from '../../../../channels/slack/case-card.ts';
import type { DeskCase } from '../../../../channels/agent-desk.types.ts';

const kase: DeskCase = {
  number: 'CS0001042',
  state: 'new',
  priority: 2,
  channel: 'email',
  subject: 'Refund <now>',
  queue: 'Billing',
  assignee: null,
  category: 'refund',
  sentiment: -0.6,
  frustrated: true,
  tags: ['vip'],
  contact: { name: 'Carla', email: 'carla@customer.test', phone: null },
  offeredTo: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const input = (over: Partial<CardInput> = {}, caseOver: Partial<DeskCase> = {}): CardInput => ({
  kase: { ...kase, ...caseOver },
  firstMessage: 'Hello <!channel>,\nI was charged twice & want my money back.',
  assignee: null,
  offeredTo: null,
  queues: ['General', 'Billing'],
  ...over,
});
const actionIds = (blocks: any[]) => (blocks.find((b) => b.type === 'actions')?.elements ?? []).map((e: any) => e.action_id);
const fieldsText = (blocks: any[]) => blocks.find((b) => b.type === 'section' && b.fields).fields.map((f: any) => f.text).join('\n');

describe('buildCaseCard', () => {
  it('shows number, customer, channel, priority, sentiment and the first lines', () => {
    const { text, blocks } = buildCaseCard(input());
    expect(text).toContain('CS0001042');
    expect((blocks[0] as any).text.text).toBe('CS0001042 · Refund <now>');
    const fields = fieldsText(blocks as any[]);
    expect(fields).toContain('carla@customer.test');
    expect(fields).toContain('*Channel*\nemail');
    expect(fields).toContain('P2 High');
    expect(fields).toContain('-0.60 frustrated');
    expect(fields).toContain('*Queue*\nBilling');
    expect(JSON.stringify(blocks)).toContain('I was charged twice &amp; want my money back.');
  });

  it('escapes what the customer wrote: no channel ping, no markup', () => {
    const json = JSON.stringify(buildCaseCard(input()).blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('offers claim and resolve on an open case, reopen on a resolved one, nothing on a closed one', () => {
    expect(actionIds(buildCaseCard(input()).blocks as any[])).toEqual(['case_claim', 'case_resolve', 'case_priority', 'case_move']);
    expect(actionIds(buildCaseCard(input({ assignee: { name: 'Ann', slackUserId: 'UANN' } }, { state: 'open' })).blocks as any[])).toEqual(['case_resolve', 'case_priority', 'case_move']);
    expect(actionIds(buildCaseCard(input({}, { state: 'resolved' })).blocks as any[])).toEqual(['case_reopen', 'case_priority', 'case_move']);
    expect(actionIds(buildCaseCard(input({}, { state: 'closed' })).blocks as any[])).toEqual([]);
  });

  it('names the assignee by mention, and an offer while unassigned', () => {
    expect(fieldsText(buildCaseCard(input({ assignee: { name: 'Ann', slackUserId: 'UANN' } })).blocks as any[])).toContain('*Assignee*\n<@UANN>');
    expect(fieldsText(buildCaseCard(input({ offeredTo: { name: 'Bob <b>', slackUserId: null } })).blocks as any[])).toContain('offered to Bob &lt;b&gt;');
  });

  it('preselects the current priority and queue; menu values carry the case number', () => {
    const actions = (buildCaseCard(input()).blocks as any[]).find((b) => b.type === 'actions').elements;
    const prio = actions.find((e: any) => e.action_id === 'case_priority');
    expect(prio.initial_option.value).toBe('CS0001042:2');
    const move = actions.find((e: any) => e.action_id === 'case_move');
    expect(move.initial_option.value).toBe('CS0001042:Billing');
    expect(move.options.map((o: any) => o.value)).toEqual(['CS0001042:General', 'CS0001042:Billing']);
  });

  it('stays within Block Kit limits with huge inputs', () => {
    const { blocks } = buildCaseCard(input({ firstMessage: 'x'.repeat(50_000), queues: Array.from({ length: 300 }, (_, i) => `Queue ${i} ${'q'.repeat(100)}`) }, { subject: 's'.repeat(1000), contact: { name: 'n'.repeat(5000), email: null, phone: null } }));
    expect((blocks[0] as any).text.text.length).toBeLessThanOrEqual(150);
    for (const f of (blocks as any[]).find((b) => b.fields).fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    for (const b of blocks as any[]) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    const move = (blocks as any[]).find((b) => b.type === 'actions').elements.find((e: any) => e.action_id === 'case_move');
    expect(move.options.length).toBeLessThanOrEqual(100);
    for (const o of move.options) expect(o.text.text.length).toBeLessThanOrEqual(75);
  });

  it('stays within the limit when escaping makes the text longer (each & becomes &amp;)', () => {
    for (const firstMessage of ['&'.repeat(600), '<>'.repeat(300), `${'& '.repeat(299)}\n`.repeat(8)]) {
      const { blocks } = buildCaseCard(input({ firstMessage }));
      for (const b of blocks as any[]) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('previewOf', () => {
  it('says whether the preview cut the message', () => {
    expect(previewOf('short message')).toEqual({ text: 'short message', cut: false });
    expect(previewOf('a\nb\nc\nd\ne\nf\ng\nh').cut).toBe(true);
    expect(previewOf('y'.repeat(2000)).cut).toBe(true);
  });
});
