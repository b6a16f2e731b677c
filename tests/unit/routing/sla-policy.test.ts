import { describe, expect, it } from 'vitest';
import { durationMs, parseWarnBefore, selectPolicy, termsOf, type SlaCaseFacts, type SlaPolicy } from '../../../routing/sla-policy.ts';

const policy = (id: string, match: SlaPolicy['match'], targets: SlaPolicy['targets'] = { firstResponse: 'PT4H' }): SlaPolicy => ({
  id,
  name: id,
  match,
  calendar: null,
  targets,
  warnBefore: null,
  pauseStates: ['awaiting_customer'],
  escalations: [],
});
const facts: SlaCaseFacts = { priority: 2, channel: 'email', queue: 'Billing', category: 'billing', tags: ['refund', 'VIP'], tier: 'gold', vip: true };

describe('choosing a policy', () => {
  it('takes the first policy whose every condition holds; each list is any of, case-insensitive', () => {
    const policies = [
      policy('critical', { priority: [1] }),
      policy('gold-email', { tier: ['Gold', 'platinum'], channel: ['EMAIL'], tags: ['vip'] }),
      policy('everyone', {}),
    ];
    const { policy: chosen, trace } = selectPolicy(policies, facts);
    expect(chosen?.id).toBe('gold-email');
    expect(trace).toEqual(['critical: priority 2 not in [1]', 'gold-email: applies']);
  });

  it('explains every miss and falls through to no policy', () => {
    const policies = [policy('sms-queue', { channel: ['sms'], queue: ['Orders'], category: ['delivery'], vip: false })];
    const { policy: chosen, trace } = selectPolicy(policies, { ...facts, category: null });
    expect(chosen).toBeNull();
    expect(trace).toEqual(['sms-queue: channel email not in [sms]; queue Billing not in [Orders]; category none not in [delivery]; vip is true']);
  });
});

describe('durations and terms', () => {
  it('reads ISO 8601 durations; months and years, negatives and nonsense are refused', () => {
    expect(durationMs('PT30S')).toBe(30_000);
    expect(durationMs('PT4H')).toBe(4 * 3_600_000);
    expect(durationMs('P1DT2H')).toBe(26 * 3_600_000);
    for (const bad of ['P1M', 'P1Y', 'PT-5M', '4h', '']) expect(durationMs(bad), bad).toBeNull();
  });

  it('a warning is a duration or a share of the target', () => {
    expect(parseWarnBefore('PT10M')).toEqual({ ms: 600_000 });
    expect(parseWarnBefore('25%')).toEqual({ fraction: 0.25 });
    for (const bad of ['0%', '150%', 'PT0S', 'soon']) expect(parseWarnBefore(bad), bad).toBeNull();
  });

  it('turns a policy into clock terms', () => {
    const p = { ...policy('p', {}, { firstResponse: 'PT15M', resolution: 'P2D' }), warnBefore: '20%' };
    expect(termsOf(p)).toEqual({ targets: { firstResponse: 900_000, resolution: 2 * 86_400_000 }, pauseStates: ['awaiting_customer'], warnBefore: { fraction: 0.2 } });
  });
});
