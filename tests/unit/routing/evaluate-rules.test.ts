import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICON } from '../../../nlp/default-lexicon.ts';
import { compileRules, evaluateRules, type RoutingInput, type TraceEntry } from '../../../routing/evaluate-rules.ts';
import { DEFAULT_RULES } from '../../../routing/default-rules.ts';
import type { Rule } from '../../../routing/rule.types.ts';

const now = new Date('2024-05-14T10:00:00Z'); // a Tuesday
const msg = (text: string, extra: Partial<RoutingInput> = {}): RoutingInput => ({
  channel: 'email',
  from: 'ann@example.com',
  text,
  now,
  ...extra,
});
const ruleTrace = (trace: TraceEntry[]) => trace.filter((t): t is Extract<TraceEntry, { kind: 'rule' }> => t.kind === 'rule');

describe('evaluateRules', () => {
  it('first matching queue rule wins; later matches only add tags and skills', () => {
    const rules: Rule[] = [
      { id: 'tag-refund', when: { keywords: ['refund'] }, then: { tags: ['refund'], requiredSkills: ['money'] } },
      { id: 'billing', when: { category: ['Billing'] }, then: { queue: 'Billing', priority: 2, autoReplyTemplate: 'a' } },
      { id: 'vip-billing', when: { keywords: ['invoice'] }, then: { queue: 'VIP', tags: ['inv'], priority: 1, autoReplyTemplate: 'b' } },
    ];
    const d = evaluateRules(msg('I need a refund for invoice 42'), compileRules(rules, DEFAULT_LEXICON));
    expect(d).toMatchObject({ queue: 'Billing', priority: 2, autoReplyTemplate: 'a', queueRuleId: 'billing' });
    expect(d.tags).toEqual(['refund', 'inv']);
    expect(d.requiredSkills).toEqual(['money']);
    const last = ruleTrace(d.trace)[2]!;
    expect(last).toMatchObject({ ruleId: 'vip-billing', matched: true });
    expect(last.applied).toContain('queue VIP ignored: Billing already chosen by rule billing');
    expect(last.applied).toContain('priority 1 ignored: already set to 2');
  });

  it('falls back to General when no rule sets a queue', () => {
    const d = evaluateRules(msg('hello'), compileRules([{ id: 't', when: { keywords: ['zebra'] }, then: { queue: 'Zoo' } }], DEFAULT_LEXICON));
    expect(d.queue).toBe('General');
    expect(d.queueRuleId).toBeNull();
    expect(d.trace).toContainEqual({ kind: 'queue', queue: 'General', reason: 'no rule chose a queue' });
    expect(d.trace).toContainEqual({ kind: 'skipped', count: 1, reason: 'no keyword of theirs in the message' });
  });

  it('skips disabled rules', () => {
    const rules: Rule[] = [
      { id: 'off', enabled: false, when: {}, then: { queue: 'Off' } },
      { id: 'off-kw', enabled: false, when: { keywords: ['hello'] }, then: { queue: 'Off' } },
      { id: 'on', when: {}, then: { queue: 'On' } },
    ];
    const d = evaluateRules(msg('hello'), compileRules(rules, DEFAULT_LEXICON));
    expect(d.queue).toBe('On');
    expect(ruleTrace(d.trace).map((t) => t.ruleId)).toEqual(['on']);
  });

  it('traces scores and, for each rule tried, why it matched or not', () => {
    const rules: Rule[] = [
      { id: 'chat-only', name: 'Chat', when: { channel: ['chat'] }, then: { queue: 'Chat' } },
      { id: 'angry', when: { sentiment: { below: -0.3 }, frustrated: true }, then: { queue: 'Care' } },
    ];
    const d = evaluateRules(msg('Third time I write: my parcel still has not arrived!!'), compileRules(rules, DEFAULT_LEXICON));
    const scores = d.trace[0]!;
    expect(scores).toMatchObject({ kind: 'scores', frustrated: true, category: 'Orders & Delivery' });
    const [chat, angry] = ruleTrace(d.trace);
    expect(chat).toMatchObject({ ruleId: 'chat-only', name: 'Chat', matched: false, reasons: ['channel email not in [chat]'] });
    expect(angry!.matched).toBe(true);
    expect(angry!.reasons[0]).toMatch(/^sentiment -0\.\d+ < -0\.3$/);
    expect(angry!.reasons[1]).toBe('frustrated is true');
    expect(d.trace.at(-1)).toMatchObject({ kind: 'priority' });
  });

  it('scores the subject with the text', () => {
    const compiled = compileRules(DEFAULT_RULES, DEFAULT_LEXICON);
    expect(evaluateRules(msg('see above', { subject: 'Invoice copy' }), compiled).queue).toBe('Billing');
  });

  it('checks contact fields: tier, VIP, e-mail domain, account, known', () => {
    const rules: Rule[] = [
      { id: 'gold', when: { contact: { tier: ['Gold'] } }, then: { tags: ['gold'] } },
      { id: 'vip', when: { contact: { vip: true } }, then: { tags: ['vip'] } },
      { id: 'corp', when: { contact: { emailDomain: ['bigcorp.com'] } }, then: { tags: ['corp'] } },
      { id: 'acme', when: { contact: { accountName: ['ACME'] } }, then: { tags: ['acme'] } },
      { id: 'stranger', when: { contact: { known: false } }, then: { tags: ['stranger'] } },
    ];
    const compiled = compileRules(rules, DEFAULT_LEXICON);
    const d = evaluateRules(
      msg('hi', { from: 'bob@BigCorp.com', contact: { tier: 'gold', vip: true, accountName: 'Acme' } }),
      compiled,
    );
    expect(d.tags).toEqual(['gold', 'vip', 'corp', 'acme']);
    expect(evaluateRules(msg('hi', { from: '+15551234567' }), compiled).tags).toEqual(['stranger']);
  });

  it('checks business hours in the configured time zone', () => {
    const rules: Rule[] = [{ id: 'night', when: { businessHours: 'outside' }, then: { tags: ['after-hours'] } }];
    const compiled = compileRules(rules, DEFAULT_LEXICON);
    const businessHours = { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };
    // 10:00 UTC is 06:00 in New York
    const early = evaluateRules(msg('hi', { businessHours }), compiled);
    expect(early.tags).toEqual(['after-hours']);
    expect(ruleTrace(early.trace)[0]!.reasons[0]).toContain('before 09:00');
    expect(evaluateRules(msg('hi', { businessHours, now: new Date('2024-05-14T15:00:00Z') }), compiled).tags).toEqual([]);
    expect(evaluateRules(msg('hi'), compiled).tags).toEqual([]); // none configured: always open
    const broken = evaluateRules(msg('hi', { businessHours: { ...businessHours, timezone: 'Mars/Base' } }), compiled);
    expect(ruleTrace(broken.trace)[0]!.reasons[0]).toMatch(/unusable/);
  });

  it('checks case fields', () => {
    const rules: Rule[] = [
      { id: 'reopened', when: { case: { state: ['resolved', 'closed'] } }, then: { tags: ['reopened'] } },
      { id: 'repeat', when: { case: { inboundCount: { atLeast: 3 }, isNew: false } }, then: { tags: ['repeat'] } },
      { id: 'hot', when: { case: { priority: { atMost: 2 }, tags: ['vip', 'x'] } }, then: { tags: ['hot'] } },
      { id: 'first', when: { case: { isNew: true } }, then: { tags: ['first'] } },
    ];
    const compiled = compileRules(rules, DEFAULT_LEXICON);
    const c = { state: 'resolved' as const, priority: 2 as const, tags: ['vip'], inboundCount: 4, createdAt: now };
    const followUp = evaluateRules(msg('hi', { case: c }), compiled);
    expect(followUp.tags).toEqual(['reopened', 'repeat', 'hot']);
    expect(ruleTrace(followUp.trace)[3]!.reasons).toEqual(['follows up an existing case (rule wants a new one)']);
    const none = evaluateRules(msg('hi'), compiled);
    expect(none.tags).toEqual(['first']);
    expect(ruleTrace(none.trace)[0]!.reasons).toEqual(['no case yet']);
    expect(ruleTrace(none.trace)[1]!.reasons).toEqual(['opens a new case (rule wants a follow-up)']);
    expect(ruleTrace(none.trace)[3]!.reasons).toEqual(['opens a new case']);
  });

  it('matches a safe regex on the first 4 KB only, and never hangs on 1 MB', () => {
    const rules: Rule[] = [
      { id: 'case-ref', when: { matches: { pattern: '\\bCS\\d{7}\\b', flags: 'i' } }, then: { tags: ['has-ref'] } },
      { id: 'late', when: { matches: { pattern: 'a.*z' } }, then: { tags: ['late'] } },
    ];
    const compiled = compileRules(rules, DEFAULT_LEXICON);
    expect(evaluateRules(msg('about cs0001234 please'), compiled).tags).toEqual(['has-ref']);
    const huge = `${'a'.repeat(1024 * 1024)}z`;
    const t0 = performance.now();
    const d = evaluateRules(msg(huge), compiled);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(d.tags).toEqual([]);
    expect(ruleTrace(d.trace)[1]!.reasons[0]).toBe('pattern /a.*z/ not found in the first 4096 characters');
    expect((d.trace[0] as { truncated: boolean }).truncated).toBe(true);
  });

  it('uses urgency and a rule category', () => {
    const rules: Rule[] = [
      { id: 'urgent', when: { urgency: { atLeast: 2 } }, then: { tags: ['urgent'], category: 'Escalation' } },
    ];
    const d = evaluateRules(msg('URGENT: the site is down'), compileRules(rules, DEFAULT_LEXICON));
    expect(d.tags).toEqual(['urgent']);
    expect(d.category).toBe('Escalation');
  });

  it('routes only through rules whose keywords occur, whatever the number of rules', () => {
    const many: Rule[] = Array.from({ length: 5000 }, (_, i) => ({ id: `k${i}`, when: { keywords: [`code${i}x`] }, then: { tags: [`t${i}`] } }));
    const d = evaluateRules(msg('my code4321x and code7x'), compileRules(many, DEFAULT_LEXICON));
    expect(d.tags).toEqual(['t7', 't4321']);
    expect(ruleTrace(d.trace)).toHaveLength(2);
    expect(d.trace).toContainEqual({ kind: 'skipped', count: 4998, reason: 'no keyword of theirs in the message' });
  });

  it('raises the priority of a calm case that turns angry, and never lowers it', () => {
    const compiled = compileRules(DEFAULT_RULES, DEFAULT_LEXICON);
    const open = { state: 'open' as const, tags: [], inboundCount: 2, createdAt: now };
    const angry = evaluateRules(
      msg('This is the THIRD time I ask. Nobody answers and I am still waiting for my refund!!', { channel: 'chat', case: { ...open, priority: 3 } }),
      compiled,
    );
    expect(angry.priority).toBeLessThanOrEqual(2);
    const calm = evaluateRules(msg('ok thanks', { case: { ...open, priority: 1 } }), compiled);
    expect(calm.priority).toBe(1);
  });
});

describe('DEFAULT_RULES', () => {
  const compiled = compileRules(DEFAULT_RULES, DEFAULT_LEXICON);
  it.each([
    ['Why is there a second charge on my card this month?', 'Billing'],
    ['Where is my package? The tracking page has not changed for a week', 'Orders & Delivery'],
    ['I forgot my password and the reset email never comes', 'Account'],
    ['The app crashes as soon as I open it', 'Technical'],
    ['Who do I talk to about a partnership?', 'General'],
  ])('%s → %s', (text, queue) => {
    expect(evaluateRules(msg(text), compiled).queue).toBe(queue);
  });

  it('tags frustrated, urgent and VIP messages', () => {
    const d = evaluateRules(
      msg('URGENT!! Still waiting for my refund, third time I write', { contact: { vip: true } }),
      compiled,
    );
    expect(d.tags).toEqual(expect.arrayContaining(['frustrated', 'urgent', 'vip']));
    expect(d.queue).toBe('Billing');
    expect(d.autoReplyTemplate).toBeUndefined();
  });

  it('answers a new case after hours, once business hours are set', () => {
    const hours = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };
    const withHours = compileRules(DEFAULT_RULES, DEFAULT_LEXICON, hours);
    const night = new Date('2024-05-14T22:00:00Z');
    expect(evaluateRules(msg('hello', { now: night }), withHours)).toMatchObject({ autoReplyTemplate: 'after-hours', tags: ['after-hours'] });
    expect(evaluateRules(msg('hello', { now }), withHours).autoReplyTemplate).toBeUndefined();
    const followUp = { state: 'open' as const, priority: 3 as const, tags: [], inboundCount: 2, createdAt: now };
    expect(evaluateRules(msg('hello', { now: night, case: followUp }), withHours).autoReplyTemplate).toBeUndefined();
  });
});
