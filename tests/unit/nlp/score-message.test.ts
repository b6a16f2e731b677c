import { describe, expect, it } from 'vitest';
import { compileLexicon } from '../../../nlp/keyword-matcher.ts';
import { DEFAULT_LEXICON } from '../../../nlp/default-lexicon.ts';
import { scoreMessage } from '../../../nlp/score-message.ts';
import { MAX_SCORED_CHARS, capText } from '../../../nlp/text-limit.ts';

const matcher = compileLexicon(DEFAULT_LEXICON);

describe('scoreMessage', () => {
  it('returns sentiment, category, keywords and urgency together', () => {
    const r = scoreMessage('URGENT: I was charged twice and still no refund!!', matcher);
    expect(r.sentiment).toBeLessThan(-0.5);
    expect(r.frustrated).toBe(true);
    expect(r.category).toBe('Billing');
    expect(r.keywords).toEqual(expect.arrayContaining(['charged twice', 'refund', 'urgent']));
    expect(r.urgency).toBe(2);
    expect(r.truncated).toBe(false);
  });

  it('scores only the first MAX_SCORED_CHARS of a 1 MB message, fast, and says so', () => {
    const text = `Refund please. ${'x'.repeat(1024 * 1024)} invoice`;
    const t0 = performance.now();
    const r = scoreMessage(text, matcher);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.truncated).toBe(true);
    expect(r.scoredChars).toBe(MAX_SCORED_CHARS);
    expect(r.keywords).toContain('refund');
    expect(r.keywords).not.toContain('invoice');
    expect(r.explanation.join(' ')).toContain(`scored the first ${MAX_SCORED_CHARS} only`);
  });

  it('copes with pathological input (one giant word, only punctuation, only emoji)', () => {
    for (const text of ['a'.repeat(2_000_000), '!?.,'.repeat(300_000), '😡'.repeat(300_000)]) {
      const t0 = performance.now();
      const r = scoreMessage(text, matcher);
      expect(performance.now() - t0).toBeLessThan(1500);
      expect(r.sentiment).toBeGreaterThanOrEqual(-1);
      expect(r.truncated).toBe(true);
    }
  });
});

describe('capText', () => {
  it('does not split a surrogate pair at the edge', () => {
    const text = `${'a'.repeat(9)}😡`;
    const r = capText(text, 10);
    expect(r.text).toBe('a'.repeat(9));
    expect(r.truncated).toBe(true);
    expect(capText('short', 10)).toEqual({ text: 'short', truncated: false, originalLength: 5 });
  });
});
