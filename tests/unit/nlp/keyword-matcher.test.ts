import { describe, expect, it } from 'vitest';
import { compileLexicon, isMatchableTerm, type Lexicon } from '../../../nlp/keyword-matcher.ts';
import { DEFAULT_LEXICON } from '../../../nlp/default-lexicon.ts';

const lexicon: Lexicon = {
  minScore: 1,
  categories: {
    Billing: ['invoice', { term: 'cancellation fee', weight: 3 }, { term: 'refund', weight: 2 }],
    Orders: [{ term: 'track order', weight: 2 }, 'cancel', 'order'],
    Spam: [{ term: 'lottery', weight: -1 }],
  },
  urgency: [{ term: 'asap', weight: 2 }, 'right now'],
};

describe('compileLexicon / match', () => {
  const m = compileLexicon(lexicon);

  it('matches on stems, so inflections count', () => {
    const r = m.match('I am cancelling my orders');
    expect(r.categories.Orders).toBe(2);
    expect(r.best).toBe('Orders');
  });

  it('ignores small words inside phrases', () => {
    expect(m.match('Can you help me tracking the order?').hits.map((h) => h.term)).toContain('track order');
  });

  it('lets the longest phrase win over the words inside it', () => {
    const r = m.match('What is the cancellation fee?');
    expect(r.categories).toMatchObject({ Billing: 3, Orders: 0 });
    expect(r.hits.map((h) => h.term)).toEqual(['cancellation fee']);
  });

  it('does not match a phrase across sentences', () => {
    expect(m.match('Please track. Order is fine').hits.map((h) => h.term)).not.toContain('track order');
  });

  it('matches the words of links and @handles, and takes keywords that name them', () => {
    expect(m.match('see https://shop.example.com/refund please').hits.map((h) => h.term)).toEqual(['refund']);
    for (const term of ['@vip', 'www.acme.com', 'https://status.acme.com/outage']) expect(isMatchableTerm(term), term).toBe(true);
    const vip = compileLexicon({ categories: { Priority: ['@vip'] }, urgency: [] });
    expect(vip.match('cc @VIP on this').best).toBe('Priority');
  });

  it('counts each term once however often it is repeated', () => {
    expect(m.match('invoice invoice invoice invoice').categories.Billing).toBe(1);
  });

  it('returns null when no category reaches the minimum score, and supports negative weights', () => {
    expect(m.match('hello there').best).toBeNull();
    expect(m.match('you won the lottery').categories.Spam).toBe(-1);
    expect(m.match('you won the lottery').best).toBeNull();
  });

  it('breaks ties by the order categories are declared', () => {
    expect(m.match('invoice order').best).toBe('Billing');
  });

  it('sums urgency terms', () => {
    expect(m.match('I need it asap, right now').urgency).toBe(3);
  });

  it('reports extra terms by group without touching categories', () => {
    const withRules = compileLexicon(lexicon, [
      { group: 'rule:0', term: 'chargeback' },
      { group: 'rule:1', term: 'order', weight: 5 },
    ]);
    const r = withRules.match('I will file a chargeback for this order');
    expect(r.groups).toEqual({ 'rule:0': 1, 'rule:1': 5 });
    expect(r.categories.Orders).toBe(1);
    expect(withRules.termCount).toBe(11);
  });

  it('refuses terms that can never match', () => {
    expect(() => compileLexicon({ categories: { X: ['the'] } })).toThrow(/no word to match/);
    expect(isMatchableTerm('!!')).toBe(false);
    expect(isMatchableTerm('money back')).toBe(true);
  });

  it('costs the same with 10 and 20,000 terms (one trie pass)', () => {
    const big: Lexicon = { categories: { Big: Array.from({ length: 20_000 }, (_, i) => `term${i} word${i % 97}`) } };
    const text = 'my parcel never arrived and nobody answers my emails about it. '.repeat(16);
    const time = (mm: ReturnType<typeof compileLexicon>): number => {
      for (let i = 0; i < 50; i++) mm.match(text);
      const t0 = performance.now();
      for (let i = 0; i < 200; i++) mm.match(text);
      return performance.now() - t0;
    };
    const small = time(compileLexicon(lexicon));
    const large = time(compileLexicon(big));
    expect(large).toBeLessThan(small * 3 + 20);
  });
});

describe('DEFAULT_LEXICON', () => {
  const m = compileLexicon(DEFAULT_LEXICON);
  it.each([
    ['I was charged for a cancellation I never asked for, where is my money?', 'Billing'],
    ['Please send me a copy of last month’s bill', 'Billing'],
    ['My parcel has been stuck at the depot since Friday', 'Orders & Delivery'],
    ['Can I get this shipped to my office instead of home?', 'Orders & Delivery'],
    ['I cannot log in since I changed my phone', 'Account'],
    ['Take me off your mailing list', 'Account'],
    ['The app shows an error message and closes', 'Technical'],
    ['Your website gives me a blank page in Firefox', 'Technical'],
    ['I want to talk to a real person', 'General'],
  ])('%s → %s', (text, category) => {
    expect(m.match(text).best).toBe(category);
  });
});

describe('duplicate terms', () => {
  it('counts terms that stem alike once per group, the first listed', () => {
    const m = compileLexicon({ minScore: 1, categories: { A: [{ term: 'refund', weight: 2 }, { term: 'refunds', weight: 5 }], B: ['refunding'] } });
    expect(m.match('refunds').categories).toEqual({ A: 2, B: 1 });
    expect(m.termCount).toBe(2);
  });
});
