import { describe, expect, it } from 'vitest';
import { formatValidationErrors, validateRoutingConfig, validateRuleSet } from '../../../routing/rule-schema.ts';
import { DEFAULT_QUEUES, DEFAULT_ROUTING_CONFIG, DEFAULT_RULES } from '../../../routing/default-rules.ts';

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
    [[{ when: {}, then: { queue: 'Q' } }], 'rules[0].id: must be a non-empty string of at most 100 characters'],
    [[{ id: 'has space', when: {}, then: { queue: 'Q' } }], 'rules[0].id: may hold only letters, digits and _ . : - (starting with a letter or digit)'],
    [[{ id: 'simulate', when: {}, then: { queue: 'Q' } }], 'rules[0].id: "simulate" is reserved by the rules API'],
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
    [[{ id: 'a', when: { matches: { pattern: 'a', flags: 'g' } }, then: { queue: 'Q' } }], 'rules[0].when.matches.flags: may only be i, m, s, u (each once)'],
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

describe('validateRoutingConfig', () => {
  const base = () => structuredClone(DEFAULT_ROUTING_CONFIG) as any;
  const problems = (json: unknown, queues: readonly string[] = DEFAULT_QUEUES) => {
    const r = validateRoutingConfig(json, { queues });
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('accepts the seeded configuration and returns a copy', () => {
    const r = validateRoutingConfig(DEFAULT_ROUTING_CONFIG, { queues: DEFAULT_QUEUES });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config).toEqual(DEFAULT_ROUTING_CONFIG);
      expect(r.config.rules).not.toBe(DEFAULT_ROUTING_CONFIG.rules);
    }
  });

  it('requires every part and refuses unknown ones', () => {
    expect(problems({ rules: [] })).toEqual([
      'lexicon: is required',
      'templates: is required (use {} for none)',
      'businessHours: is required (use null for always open)',
    ]);
    expect(problems({ ...base(), extra: true })[0]).toMatch(/^\$\.extra: unknown key/);
  });

  it('checks references: templates, queues and categories must exist', () => {
    const c = base();
    c.rules[0].then.autoReplyTemplate = 'nope';
    c.rules.push({ id: 'x', when: { category: ['Biling'] }, then: { queue: 'Nowhere' } });
    expect(problems(c)).toEqual([
      'rules[0].then.autoReplyTemplate: no template "nope" in templates',
      `rules[${c.rules.length - 1}].then.queue: no queue named "Nowhere"`,
      `rules[${c.rules.length - 1}].when.category[0]: no category "Biling" in the lexicon`,
    ]);
  });

  it('names the exact path of lexicon problems, quoting names that are not plain', () => {
    const c = base();
    c.lexicon.categories['Orders & Delivery'][2] = { term: 'the', weight: 2 };
    c.lexicon.categories.Billing[0] = { term: 'invoice', weight: 'heavy' };
    c.lexicon.urgency = ['urgent', 7];
    c.lexicon.minScore = -1;
    expect(problems(c)).toEqual([
      'lexicon.categories.Billing[0].weight: must be a number between -100 and 100',
      'lexicon.categories["Orders & Delivery"][2].term: must contain a word to match (not only small words or symbols)',
      'lexicon.urgency[1]: must be a non-empty string of at most 200 characters',
      'lexicon.minScore: must be a number between 0 and 100',
    ]);
  });

  it('checks templates and business hours', () => {
    const c = base();
    c.templates = { 'after-hours': '', 'bad name': 'x' };
    c.businessHours = { timezone: 'Mars/Olympus', days: [1, 1, 9], open: '9:00', close: '17:00', holidays: ['12/24'] };
    expect(problems(c)).toEqual([
      'templates["after-hours"]: must be a non-empty string of at most 5000 characters',
      'templates["bad name"]: template names may hold only letters, digits and _ . : -',
      'businessHours.timezone: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Berlin)',
      'businessHours.days: must be a list of distinct days 0 (Sunday) to 6 (Saturday)',
      'businessHours.open: must be a time "HH:MM"',
      'businessHours.holidays[0]: must be a date "YYYY-MM-DD"',
    ]);
    c.templates = DEFAULT_ROUTING_CONFIG.templates;
    c.businessHours = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], open: '17:00', close: '09:00' };
    expect(problems(c)).toEqual(['businessHours.close: must be after open']);
    c.businessHours = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], open: '00:00', close: '24:00' };
    expect(problems(c)).toEqual([]);
  });
});
