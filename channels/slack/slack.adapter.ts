/**
 * The Slack channel as the gateway sees it: bolt with our receiver (HTTP on /slack/events, or Socket
 * Mode), the handlers for messages, buttons and `/case`, the card mirror, and `send` for customers who
 * wrote on Slack. Off, saying why, without credentials.
 */
import { App } from '@slack/bolt';
import type { ChannelContext, ChannelPlugin } from '../channel.types.ts';
import { disabledChannel } from '../disabled-channel.ts';
import type { AgentDesk } from '../agent-desk.types.ts';
import { slackDisabledReason, type SlackConfig } from './slack.config.ts';
import { boltLogger } from './bolt-logger.ts';
import { createSlackApi, describeSlackError, webClientOptions, type SlackApi, type SlackIdentity } from './slack-api.ts';
import { SLACK_EVENTS_PATH, SlackReceiver } from './slack-receiver.ts';
import { SlackUsers } from './slack-users.ts';
import { createSlackHandlers } from './slack-handlers.ts';
import { CaseMirror } from './case-mirror.ts';
import { createSlackSender } from './slack.sender.ts';

export interface SlackChannelOptions {
  now?: () => Date;
}

/** how long to wait before asking auth.test again after it failed */
const IDENTITY_RETRY_MS = 60_000;

export interface SlackChannel extends ChannelPlugin {
  /** resolves once the card mirror has caught up with every case event so far */
  idle(): Promise<void>;
}

export function createSlackChannel(config: SlackConfig, ctx: ChannelContext, desk: AgentDesk, options: SlackChannelOptions = {}): SlackChannel {
  for (const warning of config.warnings) ctx.log.warn({ channel: 'slack' }, warning);
  const disabledReason = slackDisabledReason(config);
  if (disabledReason) return offChannel(disabledReason);

  const now = options.now ?? ctx.now;
  const log = ctx.log;
  const logger = boltLogger(log);
  const botToken = config.botToken!;
  const api = createSlackApi({ botToken, apiUrl: config.apiUrl, timeoutMs: config.requestTimeoutMs, logger });
  const identity = new IdentityCache(api, log, IDENTITY_RETRY_MS);
  const users = new SlackUsers({ api, desk, log, now: () => now().getTime() });
  const handlers = createSlackHandlers({
    desk,
    api,
    users,
    ctx,
    log,
    customerChannels: new Set(config.customerChannels),
    botUserId: () => identity.current?.userId,
    now,
  });
  const clientOptions = webClientOptions({ apiUrl: config.apiUrl, timeoutMs: config.requestTimeoutMs, logger });
  const receiver = new SlackReceiver({
    log,
    ackDeadlineMs: config.ackDeadlineMs,
    skipReason: handlers.skipReason,
    mayStore: handlers.mayStore,
    socket: config.appToken ? { appToken: config.appToken, logger, clientOptions } : undefined,
  });
  const bolt = new App({
    receiver,
    // one workspace, one bot token; the identity only lets bolt skip our own events early
    authorize: async () => ({ botToken, botId: identity.current?.botId, botUserId: identity.current?.userId, teamId: identity.current?.teamId }),
    clientOptions,
    logger,
    convoStore: false,
  });
  // bolt's default handler logs and rethrows; the receiver logs once and decides the answer
  bolt.error(async (err) => {
    throw err;
  });
  bolt.event('message', async ({ event, body }) => handlers.message(event, (body as { event_id?: string }).event_id));
  bolt.action(/^case_/, async ({ ack, body, action }) => {
    await ack();
    const b = body as { user: { id: string }; channel?: { id?: string }; message?: { ts?: string; thread_ts?: string } };
    await handlers.action(b.user.id, b.channel?.id, b.message?.thread_ts, action as unknown as Record<string, unknown>);
  });
  bolt.command(/^\/.+/, async ({ ack, command }) => {
    await ack(await handlers.command(command as unknown as Record<string, string>));
  });

  const mirror = new CaseMirror({ desk, api, log, defaultChannel: config.defaultChannel });

  return {
    name: 'slack',
    enabled: true,
    routes: config.appToken
      ? undefined
      : (app) => receiver.registerHttp(app, { signingSecret: config.signingSecret!, bodyLimit: config.bodyLimit, now: () => now().getTime() }),
    async start() {
      await identity.refresh();
      log.info(
        { mode: config.appToken ? 'socket' : 'http', botUserId: identity.current?.userId, defaultChannel: config.defaultChannel ?? null, customerChannels: config.customerChannels },
        config.appToken ? 'slack: on, Socket Mode' : 'slack: on, events at POST /slack/events',
      );
      mirror.start();
      await bolt.start();
    },
    async stop() {
      identity.stop();
      await bolt.stop();
      await mirror.stop();
    },
    send: createSlackSender(api),
    readiness: () => (config.appToken ? { check: 'slack_socket_mode', ready: receiver.socketConnected(), reason: 'not connected' } : undefined),
    idle: () => mirror.idle(),
  };
}

/** Our bot's own user and bot ids (auth.test), asked again later when Slack could not be reached. */
class IdentityCache {
  current: SlackIdentity | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly api: Pick<SlackApi, 'authTest'>,
    private readonly log: ChannelContext['log'],
    private readonly retryMs: number,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.current = await this.api.authTest();
    } catch (err) {
      this.log.error({ reason: describeSlackError(err) }, 'slack: auth.test failed (check SLACK_BOT_TOKEN); will ask again');
      this.timer = setTimeout(() => void this.refresh(), this.retryMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

function offChannel(reason: string): SlackChannel {
  return { ...disabledChannel('slack', reason, [SLACK_EVENTS_PATH]), idle: async () => undefined };
}
