/**
 * Paces sends: each number sends at most `perNumberPerSecond`, the account at most `accountPerSecond`.
 * It holds only sends in flight; the durable outbox is the real queue, so nothing here needs to survive a restart.
 */
import { SendError, type SendTurns } from '../channel.types.ts';

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
  const waits = createWaits(now);

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

  return {
    schedule<T>(fromNumber: string, job: () => Promise<T>): Promise<T> {
      if (waits.stopped) return Promise.reject(stoppingError());
      const t = now();
      const at = reserveAccount(Math.max(t, numberFreeAt.get(fromNumber) ?? 0), t);
      numberFreeAt.set(fromNumber, at + numberGap);
      if (at - t < 1) return waits.run(job);
      return waits.until(at).then(() => waits.run(job));
    },
    stop: () => waits.stop(),
  };
}

/**
 * The same limits held across every instance sharing the database: turns are booked in the store
 * (`turns`, on the gateway's epoch clock `now`). A number's turn first, then the account's: booked in one
 * step, a number with a queue would hold account turns far ahead that other numbers could use now. The
 * second booking also keeps the number's real starts a gap apart when the account made one late.
 */
export function createSharedSendRateLimiter(limits: SendRateLimits, turns: SendTurns, account: string, now: () => number): SendRateLimiter {
  const numberGap = 1000 / limits.perNumberPerSecond;
  const accountGap = 1000 / limits.accountPerSecond;
  const waits = createWaits(now);
  return {
    async schedule<T>(fromNumber: string, job: () => Promise<T>): Promise<T> {
      if (waits.stopped) throw stoppingError();
      await waits.until(await turns.take([{ key: `sms:number:${fromNumber}`, gapMs: numberGap }]));
      if (waits.stopped) throw stoppingError();
      await waits.until(
        await turns.take([
          { key: `sms:account:${account}`, gapMs: accountGap },
          { key: `sms:started:${fromNumber}`, gapMs: numberGap },
        ]),
      );
      return waits.run(job);
    },
    stop: () => waits.stop(),
  };
}

/** Waiting for a start time and running jobs, all of it stoppable: waits are cut short, running jobs awaited. */
function createWaits(now: () => number) {
  let stopped = false;
  const waiting = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();
  const running = new Set<Promise<unknown>>();
  return {
    get stopped() {
      return stopped;
    },
    until(at: number): Promise<void> {
      const ms = at - now();
      if (stopped) return Promise.reject(stoppingError());
      if (ms < 1) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const entry = {
          timer: setTimeout(() => {
            waiting.delete(entry);
            resolve();
          }, ms),
          cancel: () => reject(stoppingError()),
        };
        waiting.add(entry);
      });
    },
    run<T>(job: () => Promise<T>): Promise<T> {
      // a job that throws at once rejects like one that fails later
      const p = Promise.resolve().then(job);
      running.add(p);
      void p.finally(() => running.delete(p)).catch(() => undefined);
      return p;
    },
    async stop(): Promise<void> {
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
