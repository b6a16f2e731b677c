/** The SMS channel as the gateway sees it: routes, send, start/stop; off (and saying why) without credentials. */
import type { ChannelContext, ChannelPlugin } from '../channel.types.ts';
import { disabledChannel } from '../disabled-channel.ts';
import { whySmsIsOff, type SmsConfig } from './sms.config.ts';
import { INBOUND_PATH, registerSmsRoutes, STATUS_PATH } from './sms.routes.ts';
import { createSmsSender } from './sms.sender.ts';
import { createSendRateLimiter, createSharedSendRateLimiter } from './send-rate-limiter.ts';
import { createTwilioClient } from './twilio-client.ts';

export interface SmsChannelOptions {
  /** the clock stamped on inbound messages as receivedAt */
  now?: () => Date;
}

export function createSmsChannel(config: SmsConfig, ctx: ChannelContext, options: SmsChannelOptions = {}): ChannelPlugin {
  const disabledReason = whySmsIsOff(config);
  if (disabledReason) return disabledChannel('sms', disabledReason, [INBOUND_PATH, STATUS_PATH]);
  // only a channel that runs has settings worth warning about
  for (const warning of config.warnings) ctx.log.warn({ channel: 'sms' }, warning);

  const client = createTwilioClient({
    accountSid: config.accountSid!,
    authToken: config.authToken!,
    apiUrl: config.apiUrl,
    requestTimeoutMs: config.requestTimeoutMs,
  });

  const limits = { perNumberPerSecond: config.ratePerSecond, accountPerSecond: config.accountRatePerSecond };
  // with other instances on the database the limits are theirs too: turns are booked in the store
  const limiter = ctx.peers.turns
    ? createSharedSendRateLimiter(limits, ctx.peers.turns, config.accountSid!, () => ctx.now().getTime())
    : createSendRateLimiter(limits);
  const send = createSmsSender({
    client,
    from: config.from!,
    statusCallbackUrl: `${config.publicUrl}${STATUS_PATH}`,
    limiter,
    mms: config.mms,
  });
  const authToken = config.authToken!;

  return {
    name: 'sms',
    enabled: true,
    routes: (app) => registerSmsRoutes(app, { config: { ...config, authToken }, ctx, now: options.now ?? ctx.now }),
    send,
    sendsPerSecond: Math.min(config.ratePerSecond, config.accountRatePerSecond),
    stop: () => limiter.stop(),
  };
}
