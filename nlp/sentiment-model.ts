/**
 * The learned part of the sentiment scorer: a logistic regression over the named features of
 * sentiment-features.ts and the words' score, trained by nlp/scripts/train-sentiment.ts on our own
 * labelled short messages and VADER's rated tweets (weights in sentiment-model.weights.ts). It hears
 * complaints the words do not say ("flight cancelled again", "been on hold for 2 hours", "great, another
 * delay 🙄"), and says which features moved it.
 */
import { SENTIMENT_MODEL } from './sentiment-model.weights.ts';

export interface NegativeJudgement {
  negative: boolean;
  /** the model's probability that the message is negative */
  p: number;
  /** the probability and the features that moved it most, for the routing trace */
  explanation: string;
}

const weights = new Map<string, number>(Object.entries(SENTIMENT_MODEL.features));
/** contributions shown in the trace */
const SHOWN = 6;

export function judgeNegative(features: ReadonlySet<string>, lexiconScore: number): NegativeJudgement {
  const lex = lexiconScore < 0 ? lexiconScore * SENTIMENT_MODEL.lexiconNegative : lexiconScore * SENTIMENT_MODEL.lexiconPositive;
  // the largest contributions, kept by insertion: a few of the message's hundred features are shown
  const top: Array<[string, number]> = [];
  const keep = (name: string, w: number) => {
    if (top.length === SHOWN && Math.abs(w) <= Math.abs(top[SHOWN - 1]![1])) return;
    let at = top.length;
    while (at > 0 && Math.abs(top[at - 1]![1]) < Math.abs(w)) at--;
    top.splice(at, 0, [name, w]);
    if (top.length > SHOWN) top.pop();
  };
  if (lex !== 0) keep("words' score ×w", lex);
  let z = SENTIMENT_MODEL.bias + lex;
  for (const f of features) {
    const w = weights.get(f);
    if (w === undefined) continue;
    z += w;
    keep(f, w);
  }
  const p = 1 / (1 + Math.exp(-z));
  const negative = p >= SENTIMENT_MODEL.threshold;
  const shown = top.map(([f, w]) => `${f} ${w > 0 ? '+' : ''}${w.toFixed(2)}`);
  return {
    negative,
    p,
    explanation: `model: p(negative) ${p.toFixed(2)}, threshold ${SENTIMENT_MODEL.threshold} (bias ${SENTIMENT_MODEL.bias.toFixed(2)}, ${shown.join(', ')}) → ${negative ? 'negative' : 'not negative'}`,
  };
}
