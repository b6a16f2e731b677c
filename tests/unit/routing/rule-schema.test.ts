import { describe, expect, it } from 'vitest';
import { formatValidationErrors, validateRuleSet } from '../../../routing/rule-schema.ts';
import { DEFAULT_RULES } from '../../../routing/default-rules.ts';

const ok = { id: 'r', when: {}, then: { queue: 'General' } };

function errorsOf(json: unknown): string[] {
  const r = validateRuleSet(json);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('validateRuleSet', () => {
  it('accepts the default rules, a bare array, and returns a copy', () => {
    const r = validateRuleSet({ rules: DEFAULT_RULES });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rules).toEqual(DEFAULT_RULES);
      expect(r.rules).not.toBe(DEFAULT_RULES);
    }
    expect(validateRuleSet([ok]).ok).toBe(true);
  });

  it('names the exact path of a bad sentiment bound', () => {
    const rules = [ok, { ...ok, id: 'a' }, { ...ok, id: 'b' }, { id: 'c', when: { sentiment: { below: -2 } }, then: { queue: 'X' } }];
    expect(errorsOf({ rules })).toEqual(['rules[3].when.sentiment.below: must be a number between -1 and 1']);
    expect(errorsOf([{ id: 'c', when: { sentiment: { below: '0.5' } }, then: { queue: 'X' } }])).toEqual([
      'rules[0].when.sentiment.below: must be a number between -1 and 1',
    ]);
  });

  it('refuses unknown keys instead of ignoring them (a typo must not make a catch-all)', () => {
    expect(errorsOf([{ id: 'x', when: { sentimnet: { below: 0 } }, then: { queue: 'X' } }])).toEqual([
      expect.stringMatching(/^rules\[0\]\.when\.sentimnet: unknown key/),
    ]);
    expect(errorsOf({ rules: [ok], extra: 1 })[0]).toMatch(/^\$\.extra: unknown key/);
  });

  it.each([
    [null, 'rules: must be a list of rules'],
    [{}, 'rules: must be a list of rules'],
    ['rules', 'rules: must be a list of rules'],
    [[42], 'rules[0]: must be an object'],
    [[{ when: {}, then: { queue: 'Q' } }], 'rules[0].id: must be a non-empty string of at most 200 characters'],
    [[{ id: 'a', then: { queue: 'Q' } }], 'rules[0].when: is required (use {} to match every message)'],
    [[{ id: 'a', when: {} }], 'rules[0].then: is required'],
    [[{ id: 'a', when: {}, then: {} }], 'rules[0].then: needs at least one action'],
    [[{ id: 'a', when: {}, then: { priority: 0 } }], 'rules[0].then.priority: must be 1, 2, 3 or 4'],
    [[{ id: 'a', when: {}, then: { tags: [] } }], 'rules[0].then.tags: must be a list of 1 to 500 strings'],
    [[{ id: 'a', when: {}, then: { tags: ['ok', 7] } }], 'rules[0].then.tags[1]: must be a non-empty string of at most 200 characters'],
    [[{ id: 'a', when: { channel: ['fax'] }, then: { queue: 'Q' } }], 'rules[0].when.channel[0]: must be one of chat, email, sms, slack'],
    [[{ id: 'a', when: { keywords: ['the'] }, then: { queue: 'Q' } }], 'rules[0].when.keywords[0]: must contain a word to match (not only small words or symbols)'],
    [[{ id: 'a', when: { frustrated: 'yes' }, then: { queue: 'Q' } }], 'rules[0].when.frustrated: must be true or false'],
    [[{ id: 'a', when: { sentiment: {} }, then: { queue: 'Q' } }], 'rules[0].when.sentiment: needs below or above'],
    [[{ id: 'a', when: { urgency: { atLeast: 3, atMost: 1 } }, then: { queue: 'Q' } }], 'rules[0].when.urgency: atLeast must not exceed atMost'],
    [[{ id: 'a', when: { businessHours: 'lunch' }, then: { queue: 'Q' } }], 'rules[0].when.businessHours: must be one of inside, outside'],
    [[{ id: 'a', when: { case: { state: ['pending'] } }, then: { queue: 'Q' } }], 'rules[0].when.case.state[0]: must be one of new, open, awaiting_customer, resolved, closed'],
    [[{ id: 'a', when: { case: { priority: { atMost: 9 } } }, then: { queue: 'Q' } }], 'rules[0].when.case.priority.atMost: must be a number between 1 and 4'],
    [[{ id: 'a', when: { contact: { vip: 1 } }, then: { queue: 'Q' } }], 'rules[0].when.contact.vip: must be true or false'],
    [[{ id: 'a', when: { matches: { pattern: '(a+)+$' } }, then: { queue: 'Q' } }], 'rules[0].when.matches.pattern: must not repeat a group that contains a quantifier or an alternation (catastrophic backtracking)'],
    [[{ id: 'a', when: { matches: { pattern: '(x)\\1' } }, then: { queue: 'Q' } }], 'rules[0].when.matches.pattern: must not use backreferences'],
    [[{ id: 'a', when: { matches: { pattern: '[' } }, then: { queue: 'Q' } }], expect.stringMatching(/^rules\[0\]\.when\.matches\.pattern: is not a valid regular expression/)],
    [[{ id: 'a', when: { matches: { pattern: 'a', flags: 'g' } }, then: { queue: 'Q' } }], 'rules[0].when.matches.pattern: flags may only be i, m, s, u (each once)'],
  ])('%j → %s', (json, message) => {
    expect(errorsOf(json)).toEqual([message]);
  });

  it('reports duplicate ids with both positions, and every error at once', () => {
    const errors = errorsOf([ok, { ...ok, enabled: 'no' }, { id: 'q', when: { channel: 'sms' }, then: { queue: '' } }]);
    expect(errors).toEqual([
      'rules[1].id: duplicate id "r" (also rules[0])',
      'rules[1].enabled: must be true or false',
      'rules[2].when.channel: must be a list of 1 to 500 strings',
      'rules[2].then.queue: must be a non-empty string of at most 200 characters',
    ]);
  });

  it('formats errors one per line', () => {
    const r = validateRuleSet([{ id: 'a', when: { sentiment: { above: 5 } }, then: { queue: 'Q' } }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatValidationErrors(r.errors)).toBe('rules[0].when.sentiment.above: must be a number between -1 and 1');
  });
});
