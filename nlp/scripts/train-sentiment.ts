/**
 * Trains the learned part of the sentiment scorer (nlp/sentiment-model.ts) and writes its weights to
 * nlp/sentiment-model.weights.ts. Logistic regression, L2-regularised, full-batch Adam from zeros: the same
 * data gives the same weights on every run.
 *
 * Trained on: tests/fixtures/short-messages/train.jsonl and train-more.jsonl (short messages to companies
 * written for the project, label `negative`, counted twice: the kind of text the gateway reads); VADER's
 * 4,200 rated tweets (tests/fixtures/vader-tweets, MIT; rating < −0.5 = negative); and Bitext's 3,159
 * plain support requests (the `complaint` intent negative, every other request not), so that asking for
 * something is not taken for complaining. Bitext's file is CDLA-Sharing-1.0 and so not kept in the
 * repository: its path is the argument (bitext_dev.csv of Bitext's customer-support dev set).
 * Never trained on short-messages/heldout.jsonl, the UCI sentences or VADER's review snippets: those
 * measure it.
 *   npx tsx nlp/scripts/train-sentiment.ts <path of bitext_dev.csv>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { lexiconSentiment } from '../sentiment.ts';
import { sentimentFeatures } from '../sentiment-features.ts';
import { capText } from '../text-limit.ts';
import { tokenKeys } from '../term-keys.ts';
import { tokenize } from '../tokenize.ts';
import { bitextRows, count, prf, shortMessageRows, vaderRows } from './labelled-sets.ts';

const OUT = new URL('../sentiment-model.weights.ts', import.meta.url);
/** a feature must occur in this many training messages to get a weight */
const MIN_DOCS = 3;
const L2_CHOICES = [0.001, 0.003, 0.01];
const FOLDS = 5;
const EPOCHS = 400;
const RATE = 0.05;
/** weights smaller than this are left out of the file (and so count 0) */
const KEEP = 0.05;

interface Example {
  /** a message to a company (ours, or a support request), whose predictions choose the settings; tweets only train */
  own: boolean;
  features: number[];
  lexNeg: number;
  lexPos: number;
  y: number;
  weight: number;
}

function read(text: string, negative: boolean, weight: number, own: boolean) {
  const tokens = tokenize(capText(text).text);
  const keys = tokenKeys(tokens);
  const lex = lexiconSentiment(tokens, keys).score;
  return { names: sentimentFeatures(tokens, keys), lex, y: negative ? 1 : 0, weight, own };
}

const bitext = process.argv[2];
if (!bitext || !existsSync(bitext)) {
  console.error('usage: npx tsx nlp/scripts/train-sentiment.ts <path of bitext_dev.csv>  (the weights in the repository were trained with it)');
  process.exit(2);
}
const OWN = ['train.jsonl', 'train-more.jsonl'];
const raw = [
  ...OWN.flatMap((file) => shortMessageRows(file)).map((row) => read(row.text, row.negative, 2, true)),
  ...vaderRows(new URL('../../tests/fixtures/vader-tweets/tweets_GroundTruth.txt', import.meta.url)).map((row) => read(row.text, row.negative, 1, false)),
  // plain requests, which say what they want without feeling: only the complaint intent counts as negative
  ...bitextRows(bitext).map((row) => read(row.text, row.intent === 'complaint', 1, true)),
];
const sources = [
  ...OWN.map((f) => `tests/fixtures/short-messages/${f} (×2)`),
  'tests/fixtures/vader-tweets (MIT)',
  'Bitext customer-support requests, dev set (CDLA-Sharing-1.0; the complaint intent as negative)',
];

// the vocabulary: features seen in enough messages
const docs = new Map<string, number>();
for (const r of raw) for (const f of r.names) docs.set(f, (docs.get(f) ?? 0) + 1);
const names = [...docs].filter(([, n]) => n >= MIN_DOCS).map(([f]) => f).sort();
const index = new Map(names.map((f, i) => [f, i]));
const data: Example[] = raw.map((r) => ({
  own: r.own,
  features: [...r.names].flatMap((f) => (index.has(f) ? [index.get(f)!] : [])),
  lexNeg: Math.min(r.lex, 0),
  lexPos: Math.max(r.lex, 0),
  y: r.y,
  weight: r.weight,
}));

const B = names.length;

/** Fits the weights (features, then bias, lexicon-negative, lexicon-positive) on these examples. */
function fit(examples: Example[], l2: number): Float64Array {
  const n = B + 3;
  const w = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const totalWeight = examples.reduce((a, d) => a + d.weight, 0);
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const g = new Float64Array(n);
    for (const d of examples) {
      const err = (1 / (1 + Math.exp(-logit(w, d))) - d.y) * d.weight;
      for (const f of d.features) g[f]! += err;
      g[B]! += err;
      g[B + 1]! += err * d.lexNeg;
      g[B + 2]! += err * d.lexPos;
    }
    for (let i = 0; i < n; i++) {
      const grad = g[i]! / totalWeight + (i < B ? l2 * w[i]! : 0);
      m[i] = 0.9 * m[i]! + 0.1 * grad;
      v[i] = 0.999 * v[i]! + 0.001 * grad * grad;
      w[i] = w[i]! - (RATE * (m[i]! / (1 - 0.9 ** epoch))) / (Math.sqrt(v[i]! / (1 - 0.999 ** epoch)) + 1e-8);
    }
  }
  return w;
}

function logit(w: Float64Array, d: Example): number {
  let z = w[B]! + w[B + 1]! * d.lexNeg + w[B + 2]! * d.lexPos;
  for (const f of d.features) z += w[f]!;
  return z;
}

function f1(scored: Array<[number, number]>, threshold: number): number {
  const c = { tp: 0, fp: 0, fn: 0 };
  for (const [p, y] of scored) count(c, p >= threshold, y === 1);
  return prf(c)[2];
}

// Regularisation and the decision threshold, chosen by 5-fold cross-validation on the messages to companies,
// ours and the support requests (the tweets always train): the held-out messages play no part in any choice.
const ownCount = data.filter((d) => d.own).length;
let best = { l2: L2_CHOICES[0]!, threshold: 0.5, f1: -1 };
for (const l2 of L2_CHOICES) {
  const scored: Array<[number, number]> = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const inFold = (i: number) => data[i]!.own && i % FOLDS === fold;
    const w = fit(data.filter((_, i) => !inFold(i)), l2);
    data.forEach((d, i) => { if (inFold(i)) scored.push([1 / (1 + Math.exp(-logit(w, d))), d.y]); });
  }
  for (let t = 0.2; t <= 0.6001; t += 0.025) {
    const score = f1(scored, t);
    if (score > best.f1) best = { l2, threshold: Number(t.toFixed(3)), f1: score };
  }
}
console.log(`cross-validated on ${ownCount} messages to companies: L2 ${best.l2}, threshold ${best.threshold}, negative F1 ${best.f1.toFixed(3)}`);
const w = fit(data, best.l2);
let correct = 0;
for (const d of data) if (1 / (1 + Math.exp(-logit(w, d))) >= best.threshold === (d.y === 1)) correct++;
const kept = names.map((f, i) => [f, Number(w[i]!.toFixed(3))] as const).filter(([, x]) => Math.abs(x) >= KEEP).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
const body = [
  '// Written by nlp/scripts/train-sentiment.ts; do not edit by hand. Positive weights push towards negative.',
  'export const SENTIMENT_MODEL = {',
  `  trainedOn: ${JSON.stringify(sources)},`,
  `  threshold: ${best.threshold},`,
  `  bias: ${w[B]!.toFixed(3)},`,
  `  lexiconNegative: ${w[B + 1]!.toFixed(3)},`,
  `  lexiconPositive: ${w[B + 2]!.toFixed(3)},`,
  '  features: {',
  ...kept.map(([f, x]) => `    ${JSON.stringify(f)}: ${x},`),
  '  } as Record<string, number>,',
  '};',
  '',
].join('\n');
writeFileSync(OUT, body);
console.log(`${data.length} messages, ${names.length} features seen ${MIN_DOCS}+ times, ${kept.length} kept; training accuracy ${(correct / data.length).toFixed(3)}`);
