/** Synthetic keyword rules for the routing benchmarks: a few hit a typical message, most do not. */
import type { Rule } from '../../routing/rule.types.ts';

const WORDS = [
  'invoice', 'parcel', 'password', 'crash', 'refund', 'courier', 'login', 'billing', 'warehouse', 'screen',
  'voucher', 'profile', 'firmware', 'receipt', 'basket', 'browser', 'account', 'shipment', 'error', 'card',
  'premium', 'gift', 'battery', 'charger', 'widget', 'router', 'printer', 'contract', 'upgrade', 'coupon',
];

export function keywordRules(n: number): Rule[] {
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
