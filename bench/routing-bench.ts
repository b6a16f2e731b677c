/**
 * Scoring and routing cost per 1 KB message against 10 and against 10,000 keyword rules, in process.
 *   npx tsx bench/routing-bench.ts        (also part of `npm run bench`)
 * Keyword rules are folded into one matcher, so the two figures should be close (ratio near 1).
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_LEXICON } from '../nlp/default-lexicon.ts';
import { compileRules, evaluateRules, type RoutingInput } from '../routing/evaluate-rules.ts';
import { DEFAULT_RULES } from '../routing/default-rules.ts';
import { validateRuleSet } from '../routing/rule-schema.ts';
import { keywordRules } from './lib/keyword-rules.ts';
import { round } from './lib/stats.ts';

const base =
  'Hello, I ordered a new router last week and the parcel still has not arrived. The courier says it was ' +
  'delivered but nobody was home and there is no card in the mailbox. I also see two charges on my credit ' +
  'card for the same invoice, so I think I was charged twice. I have written to you three times already ' +
  'and nobody answers, which is really frustrating. Could you please check the shipment, tell me where the ' +
  'package is, and refund the duplicate payment as soon as possible? My account email is the one I am ' +
  'writing from. I can also be reached by phone in the afternoon. Thanks in advance for sorting this out. ';
const text = base.repeat(Math.ceil(1024 / base.length)).slice(0, 1024);

const input: RoutingInput = {
  channel: 'email',
  from: 'customer@example.com',
  subject: 'Missing parcel and double charge',
  text,
  contact: { name: 'Ada', email: 'customer@example.com', tier: 'premium' },
  now: new Date('2024-05-14T10:00:00Z'),
};

export interface RoutingCost {
  rules: number;
  usPerMessage: number;
  compileMs: number;
  queue: string;
}

function bench(ruleCount: number, durationMs: number): RoutingCost {
  const rules = [...keywordRules(ruleCount), ...DEFAULT_RULES];
  const valid = validateRuleSet({ rules });
  if (!valid.ok) throw new Error(valid.errors[0]!.message);
  const t0 = performance.now();
  const compiled = compileRules(valid.rules, DEFAULT_LEXICON);
  const compileMs = performance.now() - t0;
  for (let i = 0; i < 300; i++) evaluateRules(input, compiled); // warm up the JIT and the stem cache
  let n = 0;
  const start = performance.now();
  let queue = '';
  while (performance.now() - start < durationMs) {
    queue = evaluateRules(input, compiled).queue;
    n++;
  }
  return { rules: ruleCount, usPerMessage: round(((performance.now() - start) * 1000) / n, 1), compileMs: round(compileMs, 1), queue };
}

export function benchRouting(durationMs: number): { messageChars: number; small: RoutingCost; large: RoutingCost; ratio: number } {
  const small = bench(10, durationMs);
  const large = bench(10_000, durationMs);
  return { messageChars: text.length, small, large, ratio: round(large.usPerMessage / small.usPerMessage) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = benchRouting(2000);
  console.log(`message: ${r.messageChars} characters`);
  console.log(`10 keyword rules:     ${r.small.usPerMessage} µs/message (compile ${r.small.compileMs} ms)`);
  console.log(`10,000 keyword rules: ${r.large.usPerMessage} µs/message (compile ${r.large.compileMs} ms)`);
  console.log(`ratio 10,000 / 10:    ${r.ratio}`);
}
