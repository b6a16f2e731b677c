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

  it("one number's backlog does not hold back another number while the account has room", async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 2, accountPerSecond: 100 }, () => Date.now());
    const { starts, job } = recorder();
    const t0 = Date.now();
    const done = Promise.all([
      ...['a1', 'a2', 'a3', 'a4'].map((l) => limiter.schedule('+1', job(l))),
      limiter.schedule('+2', job('b1')),
      limiter.schedule('+2', job('b2')),
    ]);
    await vi.runAllTimersAsync();
    await done;
    expect(Object.fromEntries(starts.map(([l, at]) => [l, at - t0]))).toEqual({ a1: 0, a2: 500, a3: 1000, a4: 1500, b1: 10, b2: 510 });
  });

  it('a job that throws at once is a rejected send, and the limiter goes on', async () => {
    const limiter = createSendRateLimiter({ perNumberPerSecond: 10, accountPerSecond: 10 }, () => Date.now());
    const failing = limiter.schedule('+1', () => {
      throw new Error('bad request');
    });
    const later = limiter.schedule('+1', () => {
      throw new Error('bad too');
    });
    const fine = limiter.schedule('+1', async () => 'sent');
    const settled = Promise.allSettled([failing, later, fine]);
    await vi.runAllTimersAsync();
    const [a, b, c] = await settled;
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'bad request' } });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'bad too' } });
    expect(c).toEqual({ status: 'fulfilled', value: 'sent' });
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
