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
 * Every send reserves the earliest moment both its number and the account are free again, in the order
 * sends are asked for, and waits until then; a send that finds both free starts at once. No credit is
 * saved up while idle: a burst is spaced like any other run of sends. (A timer-driven queue per send was
 * tried first and topped out near 400 sends a second whatever rate was configured.)
 */
export function createSendRateLimiter(limits: SendRateLimits, now: () => number = () => performance.now()): SendRateLimiter {
  const numberGap = 1000 / limits.perNumberPerSecond;
  const accountGap = 1000 / limits.accountPerSecond;
  const numberFreeAt = new Map<string, number>();
  let accountFreeAt = 0;
  let stopped = false;
  const waiting = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
  const running = new Set<Promise<unknown>>();

  const run = <T>(job: () => Promise<T>): Promise<T> => {
    const p = job();
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  return {
    schedule<T>(fromNumber: string, job: () => Promise<T>): Promise<T> {
      if (stopped) return Promise.reject(stoppingError());
      const t = now();
      const at = Math.max(t, numberFreeAt.get(fromNumber) ?? 0, accountFreeAt);
      numberFreeAt.set(fromNumber, at + numberGap);
      accountFreeAt = at + accountGap;
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
