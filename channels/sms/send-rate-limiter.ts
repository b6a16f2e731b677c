/**
 * Paces sends: one limiter per sending number, all chained into one for the account.
 * It holds only sends in flight; the durable outbox is the real queue, so nothing here needs to survive a restart.
 */
import Bottleneck from 'bottleneck';
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

export function createSendRateLimiter(limits: SendRateLimits): SendRateLimiter {
  const account = new Bottleneck({ minTime: Math.ceil(1000 / limits.accountPerSecond) });
  const perNumber = new Bottleneck.Group({ minTime: Math.ceil(1000 / limits.perNumberPerSecond) });
  perNumber.on('created', (limiter: Bottleneck) => limiter.chain(account));
  return {
    schedule: (fromNumber, job) =>
      perNumber
        .key(fromNumber)
        .schedule(job)
        .catch((err: unknown) => {
          // only the limiter itself throws these: we are shutting down, the outbox keeps the message
          if (err instanceof Bottleneck.BottleneckError) throw new SendError('SMS sending is stopping', true, 'CHANNEL_STOPPED');
          throw err;
        }),
    async stop() {
      await Promise.all(perNumber.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true })));
      await account.stop({ dropWaitingJobs: true });
    },
  };
}
