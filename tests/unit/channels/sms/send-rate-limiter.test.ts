import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendRateLimiter } from '../../../../channels/sms/send-rate-limiter.ts';

// Fake timers drive both the waits and the limiter's clock, so start times are exact.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const starts: Array<[string, number]> = [];
  const job = (label: string) => async () => {
    starts.push([label, Date.now()]);
    return label;
  };
  return { starts, job };
}

describe('send rate limiter', () => {
  it('spaces the sends of one number by 1/rate, in the order they were asked for', async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 4, accountPerSecond: 100 }, () => Date.now());
    const { starts, job } = recorder();
    const t0 = Date.now();
    const done = Promise.all(['a', 'b', 'c', 'd'].map((l) => limiter.schedule('+1555', job(l))));
    await vi.runAllTimersAsync();
    expect(await done).toEqual(['a', 'b', 'c', 'd']);
    expect(starts.map(([l, at]) => [l, at - t0])).toEqual([
      ['a', 0],
      ['b', 250],
      ['c', 500],
      ['d', 750],
    ]);
  });

  it('different numbers share the account rate', async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 100, accountPerSecond: 10 }, () => Date.now());
    const { starts, job } = recorder();
    const t0 = Date.now();
    const done = Promise.all(['+1', '+2', '+3'].map((n) => limiter.schedule(n, job(n))));
    await vi.runAllTimersAsync();
    await done;
    expect(starts.map(([, at]) => at - t0)).toEqual([0, 100, 200]);
  });

  it('starts at once when the rate leaves room, and saves no credit while idle', async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 10, accountPerSecond: 10 }, () => Date.now());
    const { starts, job } = recorder();
    await limiter.schedule('+1', job('first'));
    await vi.advanceTimersByTimeAsync(5_000);
    const t1 = Date.now();
    const done = Promise.all([limiter.schedule('+1', job('x')), limiter.schedule('+1', job('y'))]);
    await vi.runAllTimersAsync();
    await done;
    expect(starts.slice(1).map(([, at]) => at - t1)).toEqual([0, 100]);
  });

  it('stop lets a running send finish and refuses the waiting ones with a retryable error', async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 1, accountPerSecond: 1 }, () => Date.now());
    let finish!: () => void;
    const running = limiter.schedule('+1', () => new Promise<string>((resolve) => (finish = () => resolve('sent'))));
    const waitingOne = limiter.schedule('+1', async () => 'never');
    const stopped = limiter.stop();
    await expect(waitingOne).rejects.toMatchObject({ code: 'CHANNEL_STOPPED', retryable: true });
    finish();
    await stopped;
    expect(await running).toBe('sent');
    await expect(limiter.schedule('+1', async () => 'late')).rejects.toMatchObject({ code: 'CHANNEL_STOPPED' });
  });
});
