import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainAfinnScore } from '../../../nlp/natural-deps.ts';
import { scoreSentiment } from '../../../nlp/sentiment.ts';

// 100 labelled sentences (CC BY 4.0), see tests/fixtures/sentiment-uci-labelled/SOURCE.md
const sample = JSON.parse(
  readFileSync(new URL('../../fixtures/sentiment-uci-labelled/sample.json', import.meta.url), 'utf8'),
) as { text: string; class: number }[];

function negativeF1(isNegative: (text: string) => boolean): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const row of sample) {
    const predicted = isNegative(row.text);
    const gold = row.class === 0;
    if (predicted && gold) tp++;
    else if (predicted) fp++;
    else if (gold) fn++;
  }
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  return (2 * p * r) / (p + r);
}

describe('sentiment on labelled review sentences', () => {
  it('beats plain AFINN on negative-class F1 by a clear margin', () => {
    expect(sample).toHaveLength(100);
    const ours = negativeF1((t) => scoreSentiment(t).score < 0);
    const baseline = negativeF1((t) => plainAfinnScore(t) < 0);
    expect(ours).toBeGreaterThan(baseline + 0.05);
    expect(ours).toBeGreaterThan(0.7);
  });
});
