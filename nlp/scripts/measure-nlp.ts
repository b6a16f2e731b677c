/**
 * Prints the figures for the sentiment and routing models: negative-class (and complaint) P/R/F1 next to
 * natural's plain AFINN on the UCI sentences and VADER's review snippets (read in place from a corpora
 * directory, never copied), VADER's tweets (tests/fixtures/vader-tweets) and our short messages
 * (tests/fixtures/short-messages); and per-queue precision/recall of the default rules on the Bitext
 * support requests (the set the lexicon was tuned on, from the corpora directory) and on
 * tests/fixtures/routing-unseen (messages it was never tuned on). What the directory lacks is skipped.
 *   npx tsx nlp/scripts/measure-nlp.ts [corpora dir]   (default /work/shared/corpora)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LEXICON } from '../default-lexicon.ts';
import { plainAfinnScore } from '../natural-deps.ts';
import { scoreSentiment } from '../sentiment.ts';
import { bitextRows, count, prf, shortMessageRows, vaderRows, type Counts, type SentimentRow } from './labelled-sets.ts';
import { compileRules, evaluateRules } from '../../routing/evaluate-rules.ts';
import { DEFAULT_QUEUES, DEFAULT_RULES } from '../../routing/default-rules.ts';

const root = process.argv[2] ?? '/work/shared/corpora';
const TWEETS = new URL('../../tests/fixtures/vader-tweets/tweets_GroundTruth.txt', import.meta.url);

const f3 = (n: number): string => n.toFixed(3);

/** Negative-class precision / recall / F1 (predicted negative = score < 0), ours next to plain AFINN; complaints too where labelled. */
function measureSentiment(title: string, rows: SentimentRow[]): void {
  const c = { neg: { ours: { tp: 0, fp: 0, fn: 0 }, base: { tp: 0, fp: 0, fn: 0 } }, complaint: { ours: { tp: 0, fp: 0, fn: 0 }, base: { tp: 0, fp: 0, fn: 0 } } };
  let spent = 0;
  for (const row of rows) {
    const t0 = performance.now();
    const ours = scoreSentiment(row.text).score < 0;
    spent += performance.now() - t0;
    const base = plainAfinnScore(row.text) < 0;
    count(c.neg.ours, ours, row.negative);
    count(c.neg.base, base, row.negative);
    if (row.complaint !== undefined) {
      count(c.complaint.ours, ours, row.complaint);
      count(c.complaint.base, base, row.complaint);
    }
  }
  const line = (label: string, k: { ours: Counts; base: Counts }) =>
    `  ${label.padEnd(10)} | ${prf(k.ours).map(f3).join('  ')} | ${prf(k.base).map(f3).join('  ')}`;
  console.log(`\n${title}: ${rows.length} messages, ${((spent * 1000) / rows.length).toFixed(1)} µs each`);
  console.log('  class      | ours P  R      F1     | plain AFINN P  R      F1');
  console.log(line('negative', c.neg));
  if (rows.some((r) => r.complaint !== undefined)) console.log(line('complaint', c.complaint));
}

function uciRows(dir: string, source: string): SentimentRow[] {
  return (JSON.parse(readFileSync(join(dir, `${source}.json`), 'utf8')) as { text: string; class: number }[]).map((r) => ({ text: r.text, negative: r.class === 0 }));
}

const QUEUE_OF: Record<string, string> = {
  ACCOUNT: 'Account', NEWSLETTER: 'Account',
  ORDER: 'Orders & Delivery', DELIVERY: 'Orders & Delivery', SHIPPING_ADDRESS: 'Orders & Delivery',
  INVOICE: 'Billing', PAYMENT: 'Billing', REFUND: 'Billing', CANCELLATION_FEE: 'Billing',
  CONTACT: 'General', FEEDBACK: 'General',
};

interface Labelled {
  text: string;
  queue: string;
}

function bitextQueues(file: string): Labelled[] {
  return bitextRows(file).flatMap((row) => {
    const queue = QUEUE_OF[row.category];
    return queue ? [{ text: row.text, queue }] : [];
  });
}

function measureRouting(title: string, rows: Labelled[]): void {
  const compiled = compileRules(DEFAULT_RULES, DEFAULT_LEXICON);
  const counts = new Map<string, Counts>(DEFAULT_QUEUES.map((q) => [q, { tp: 0, fp: 0, fn: 0 }]));
  let correct = 0;
  const started = performance.now();
  for (const row of rows) {
    const { queue } = evaluateRules({ channel: 'email', from: 'c@example.com', text: row.text, now: new Date() }, compiled);
    if (queue === row.queue) {
      counts.get(row.queue)!.tp++;
      correct++;
    } else {
      counts.get(row.queue)!.fn++;
      counts.get(queue)!.fp++;
    }
  }
  const ms = performance.now() - started;
  console.log(`\n${title}: ${rows.length} requests, accuracy ${f3(correct / rows.length)}, ${((ms * 1000) / rows.length).toFixed(0)} µs each`);
  console.log('queue              | precision | recall | support');
  for (const [q, c] of counts) {
    const [p, r] = prf(c);
    console.log(`${q.padEnd(18)} | ${c.tp + c.fp ? f3(p) : '  —  '}     | ${c.tp + c.fn ? f3(r) : '  —  '}  | ${c.tp + c.fn}`);
  }
}

const uci = join(root, 'text/sentiment-uci-labelled');
const bitext = join(root, 'text/bitext-customer-support-dev/bitext_dev.csv');
if (existsSync(uci)) {
  const all = ['amazon', 'imdb', 'yelp'].map((source) => [source, uciRows(uci, source)] as const);
  measureSentiment('Sentiment, UCI Amazon + IMDB + Yelp sentences', all.flatMap(([, rows]) => rows));
  for (const [source, rows] of all) measureSentiment(`Sentiment, UCI ${source}`, rows);
} else console.log(`skipped sentiment: ${uci} not found`);
const vader = join(root, 'text/vader-ground-truth');
if (existsSync(vader)) {
  measureSentiment('Sentiment, VADER Amazon review snippets (rating < −0.5 = negative)', vaderRows(join(vader, 'amazonReviewSnippets_GroundTruth.txt')));
} else console.log(`skipped sentiment: ${vader} not found`);
measureSentiment('Sentiment, VADER tweets (rating < −0.5 = negative)', vaderRows(TWEETS));
measureSentiment('Sentiment, short messages to companies, trained on', [...shortMessageRows('train.jsonl'), ...shortMessageRows('train-more.jsonl')]);
measureSentiment('Sentiment, short messages to companies, held out (never trained or tuned on)', shortMessageRows('heldout.jsonl'));
if (existsSync(bitext)) measureRouting('Routing with the default rules, Bitext dev set (tuned on)', bitextQueues(bitext));
else console.log(`skipped routing: ${bitext} not found`);
const unseen = new URL('../../tests/fixtures/routing-unseen/messages.json', import.meta.url);
measureRouting('Routing with the default rules, messages never tuned on', JSON.parse(readFileSync(unseen, 'utf8')) as Labelled[]);
