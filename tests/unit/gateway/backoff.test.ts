import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../gateway/outbox/backoff.ts';
import { statusAdvances } from '../../../store/interaction.repository.ts';

describe('retryDelay', () => {
  const policy = { baseMs: 1000, maxMs: 30_000, maxAttempts: 8 };
  it('doubles per attempt and caps', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(policy, a, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
  });
  it('jitters within ±20%', () => {
    expect(retryDelay(policy, 1, () => 0)).toBe(800);
    expect(retryDelay(policy, 1, () => 1)).toBe(1200);
  });
});

describe('statusAdvances', () => {
  it('a late report never moves a status back', () => {
    expect(statusAdvances('queued', 'sent')).toBe(true);
    expect(statusAdvances('sent', 'delivered')).toBe(true);
    expect(statusAdvances('delivered', 'sent')).toBe(false);
    expect(statusAdvances('delivered', 'read')).toBe(true);
    expect(statusAdvances('sent', 'failed')).toBe(true);
    expect(statusAdvances('failed', 'sent')).toBe(false);
    expect(statusAdvances('sent', 'nonsense')).toBe(false);
  });
});
