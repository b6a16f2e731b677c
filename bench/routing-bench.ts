/**
 * Scoring and routing cost per 1 KB message against 10 and against 10,000 keyword rules.
 *   npx tsx bench/routing-bench.ts
 * Keyword rules are folded into one matcher, so the two figures should be close (ratio near 1).
 */
import { DEFAULT_LEXICON } from '../nlp/default-lexicon.ts';
import { compileRules, evaluateRules, type RoutingInput } from '../routing/evaluate-rules.ts';
import { DEFAULT_RULES } from '../routing/default-rules.ts';
import type { Rule } from '../routing/rule.types.ts';
import { validateRuleSet } from '../routing/rule-schema.ts';

const WORDS = [
  'invoice', 'parcel', 'password', 'crash', 'refund', 'courier', 'login', 'billing', 'warehouse', 'screen',
  'voucher', 'profile', 'firmware', 'receipt', 'basket', 'browser', 'account', 'shipment', 'error', 'card',
  'premium', 'gift', 'battery', 'charger', 'widget', 'router', 'printer', 'contract', 'upgrade', 'coupon',
];

function keywordRules(n: number): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < n; i++) {
    // two-word phrases plus a unique code, so a few rules hit and most do not, as in real rule sets
    const a = WORDS[i % WORDS.length]!;
    const b = WORDS[Math.floor(i / WORDS.length) % WORDS.length]!;
    rules.push({
      id: `kw-${i}`,
      when: { keywords: [`${a} ${b}`, `code${i}x`] },
      then: i % 2 === 0 ? { tags: [`kw-${i}`] } : { queue: WORDS[i % 5] === 'refund' ? 'Billing' : 'General' },
    });
  }
  return rules;
}

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

function bench(ruleCount: number): { usPerMessage: number; compileMs: number; queue: string } {
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
  while (performance.now() - start < 2000) {
    queue = evaluateRules(input, compiled).queue;
    n++;
  }
  return { usPerMessage: ((performance.now() - start) * 1000) / n, compileMs, queue };
}

const small = bench(10);
const large = bench(10_000);
console.log(`message: ${text.length} characters`);
console.log(`10 keyword rules:     ${small.usPerMessage.toFixed(1)} µs/message (compile ${small.compileMs.toFixed(1)} ms)`);
console.log(`10,000 keyword rules: ${large.usPerMessage.toFixed(1)} µs/message (compile ${large.compileMs.toFixed(1)} ms)`);
console.log(`ratio 10,000 / 10:    ${(large.usPerMessage / small.usPerMessage).toFixed(2)}`);
