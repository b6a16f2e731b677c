import { describe, expect, it } from 'vitest';
import { actionFromBlock, describeDone, parseCaseCommand, patchFor } from '../../../../channels/slack/case-actions.ts';

describe('parseCaseCommand', () => {
  it.each([
    ['CS0001001 claim', { type: 'claim' }],
    ['cs0001001   resolve', { type: 'resolve' }],
    ['CS0001001 reopen', { type: 'reopen' }],
    ['CS0001001 priority 2', { type: 'priority', priority: 2 }],
    ['CS0001001 priority P1', { type: 'priority', priority: 1 }],
    ['CS0001001 move Orders & Delivery', { type: 'move', queue: 'Orders & Delivery' }],
    ['CS0001001 assign <@U123ABC|ann>', { type: 'assign', slackUserId: 'U123ABC' }],
    ['CS0001001 assign <@W9XYZ>', { type: 'assign', slackUserId: 'W9XYZ' }],
    ['CS0001001', { type: 'show' }],
  ])('%s', (text, action) => {
    expect(parseCaseCommand(text)).toEqual({ ok: true, number: 'CS0001001', action });
  });

  it.each([
    ['', /Usage/],
    ['help', /Usage/],
    ['1001 resolve', /not a case number/],
    ['CS0001001 explode', /Unknown action "explode"/],
    ['CS0001001 priority 5', /1 \(critical\) to 4/],
    ['CS0001001 priority high', /1 \(critical\) to 4/],
    ['CS0001001 move', /Name the queue/],
    ['CS0001001 assign ann', /Mention the agent/],
  ])('refuses %j with a helpful message', (text, message) => {
    const r = parseCaseCommand(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('actionFromBlock', () => {
  it('reads buttons and menus of the card', () => {
    expect(actionFromBlock({ action_id: 'case_claim', value: 'CS0001001' })).toEqual({ number: 'CS0001001', action: { type: 'claim' } });
    expect(actionFromBlock({ action_id: 'case_resolve', value: 'CS0001001' })).toEqual({ number: 'CS0001001', action: { type: 'resolve' } });
    expect(actionFromBlock({ action_id: 'case_reopen', value: 'CS0001001' })).toEqual({ number: 'CS0001001', action: { type: 'reopen' } });
    expect(actionFromBlock({ action_id: 'case_priority', selected_option: { value: 'CS0001001:1' } })).toEqual({ number: 'CS0001001', action: { type: 'priority', priority: 1 } });
    expect(actionFromBlock({ action_id: 'case_move', selected_option: { value: 'CS0001001:Billing: EU' } })).toEqual({ number: 'CS0001001', action: { type: 'move', queue: 'Billing: EU' } });
  });
  it('returns null for anything else', () => {
    expect(actionFromBlock({ action_id: 'case_claim' })).toBeNull();
    expect(actionFromBlock({ action_id: 'case_claim', value: 'not-a-case' })).toBeNull();
    expect(actionFromBlock({ action_id: 'case_priority', selected_option: { value: 'CS0001001:9' } })).toBeNull();
    expect(actionFromBlock({ action_id: 'case_move', selected_option: { value: 'CS0001001' } })).toBeNull();
    expect(actionFromBlock({ action_id: 'other', value: 'CS0001001' })).toBeNull();
    expect(actionFromBlock({ action_id: 'case_claim', selected_option: null })).toBeNull();
  });
});

describe('patchFor and describeDone', () => {
  it('maps each action to the desk patch', () => {
    expect(patchFor({ type: 'resolve' })).toEqual({ state: 'resolved' });
    expect(patchFor({ type: 'reopen' })).toEqual({ state: 'open' });
    expect(patchFor({ type: 'priority', priority: 2 })).toEqual({ priority: 2 });
    expect(patchFor({ type: 'move', queue: 'Billing' })).toEqual({ queue: 'Billing' });
    expect(patchFor({ type: 'assign', slackUserId: 'U2' }, 'agent-2')).toEqual({ assignee: 'agent-2' });
  });
  it('confirms in words', () => {
    expect(describeDone('CS0001001', { type: 'priority', priority: 2 })).toBe('CS0001001 priority set to 2.');
    expect(describeDone('CS0001001', { type: 'claim' })).toBe('CS0001001 is yours.');
  });
});
