/**
 * Paces sends: each number sends at most `perNumberPerSecond`, the account at most `accountPerSecond`.
 * It holds only sends in flight; the durable outbox is the real queue, so nothing here needs to survive a restart.
 */
import { SendError } from '../channel.types.ts';

export interface SendRateLimits {
  perNumberPerSecond: number;
  accountPerSecond: number;
}

export interface SendRateLimiter {
  schedule<T>(fromNumber: string, job: () => Promise<T>): Promise<T>;
  /** let running sends finish, reject the waiting ones (the outbox retries them) */
  stop(): Promise<void>;
}

/**
 * Every send reserves a start time, in the order sends are asked for: the first moment its number is free
 * again and the account has room (no other send's start within 1/account-rate of it), and waits until then;
 * a send that finds both free starts at once. No credit is saved up while idle: a burst is spaced like any
 * other run of sends. (A timer-driven queue per send was tried first and topped out near 400 sends a second
 * whatever rate was configured.)
 */
export function createSendRateLimiter(limits: SendRateLimits, now: () => number = () => performance.now()): SendRateLimiter {
  const numberGap = 1000 / limits.perNumberPerSecond;
  const accountGap = 1000 / limits.accountPerSecond;
  const numberFreeAt = new Map<string, number>();
  // start times reserved on the account, in order; a busy number's late sends leave room before them
  const accountStarts: number[] = [];
  let stopped = false;
  const waiting = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
  const running = new Set<Promise<unknown>>();

  const reserveAccount = (from: number, t: number): number => {
    while (accountStarts.length > 0 && accountStarts[0]! <= t - accountGap) accountStarts.shift();
    let at = from;
    let i = 0;
    for (; i < accountStarts.length; i++) {
      const start = accountStarts[i]!;
      if (start + accountGap <= at) continue;
      if (start >= at + accountGap) break;
      at = start + accountGap;
    }
    accountStarts.splice(i, 0, at);
    return at;
  };

  const run = <T>(job: () => Promise<T>): Promise<T> => {
    // a job that throws at once rejects like one that fails later
    const p = Promise.resolve().then(job);
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  return {
    schedule<T>(fromNumber: string, job: () => Promise<T>): Promise<T> {
      if (stopped) return Promise.reject(stoppingError());
      const t = now();
      const at = reserveAccount(Math.max(t, numberFreeAt.get(fromNumber) ?? 0), t);
      numberFreeAt.set(fromNumber, at + numberGap);
      if (at - t < 1) return run(job);
      return new Promise<T>((resolve, reject) => {
        const entry = {
          timer: setTimeout(() => {
            waiting.delete(entry);
            run(job).then(resolve, reject);
          }, at - t),
          cancel: () => reject(stoppingError()),
        };
        waiting.add(entry);
      });
    },
    async stop() {
      stopped = true;
      for (const w of waiting) {
        clearTimeout(w.timer);
        w.cancel();
      }
      waiting.clear();
      await Promise.allSettled([...running]);
    },
  };
}

// the outbox keeps the message and sends it after the restart
const stoppingError = () => new SendError('SMS sending is stopping', true, 'CHANNEL_STOPPED');
