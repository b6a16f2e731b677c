import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import { Db } from '../store/db.ts';
import { ensureAdminToken } from '../store/token.repository.ts';
import { seedQueues } from '../store/directory.repository.ts';
import { ChatSessionRepository } from '../store/chat-session.repository.ts';
import type { ChannelPlugin } from '../channels/channel.types.ts';
import { createChatChannel } from '../channels/chat/chat.channel.ts';
import { createEmailChannel, emailConfigFromEnv } from '../channels/email/index.ts';
import { createSmsChannel, smsConfigFromEnv } from '../channels/sms/index.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { EventBus } from './events.ts';
import { PipelineWorker } from './pipeline/pipeline.worker.ts';
import { createIngest, MAX_TEXT_BYTES } from './pipeline/ingest.ts';
import { OutboxWorker } from './outbox/outbox.worker.ts';
import { CaseService } from './cases/case.service.ts';
import { createAuthenticator } from './auth.ts';
import { createChannelContext } from './channel-context.ts';
import { installErrorHandler } from './error-handler.ts';
import { installOpenApi } from './openapi.ts';
import { installValidators } from './validator.ts';
import { registerCaseRoutes } from './routes/cases.routes.ts';
import { registerDirectoryRoutes } from './routes/directory.routes.ts';
import { registerAgentStream } from './routes/agent-stream.routes.ts';
import { registerConsoleRoutes } from './routes/console.routes.ts';
import { defaultQueueEngine, type RoutingEngine } from './routing-engine.ts';

export interface AppOverrides {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  routing?: RoutingEngine;
}

export interface Switchboard {
  config: Config;
  db: Db;
  events: EventBus;
  pipeline: PipelineWorker;
  outbox: OutboxWorker;
  cases: CaseService;
  channels: Map<string, ChannelPlugin>;
  /** set on the start that generated the first admin token (it is printed once) */
  generatedAdminToken: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    switchboard: Switchboard;
  }
}

/** Builds the whole gateway on a Fastify instance without listening; `server.ts` listens. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const clock = overrides.clock ?? systemClock;
  const now = () => clock.now();
  const app = Fastify({
    logger: overrides.logger ?? { level: config.logLevel },
    bodyLimit: 256 * 1024,
    trustProxy: config.env.TRUST_PROXY === 'true',
  });
  installErrorHandler(app);
  installValidators(app);
  installOpenApi(app, { title: 'Switchboard', version: '0.1.0' });

  const db = await Db.open({ url: config.databaseUrl, synchronous: config.sqliteSynchronous });
  const generatedAdminToken = await db.write(async (tx) => {
    await seedQueues(tx);
    return ensureAdminToken(tx, config.adminToken);
  });

  const events = new EventBus();
  const routing = overrides.routing ?? defaultQueueEngine;
  const pipeline = new PipelineWorker({
    db,
    routing,
    now,
    reopenDays: config.reopenDays,
    continuityHours: config.continuityHours,
    events,
    log: app.log.child({ worker: 'pipeline' }),
  });
  const ingest = createIngest(db, pipeline);
  const ctx = createChannelContext(db, events, app.log.child({ component: 'channels' }), ingest);

  const channelCtx = (name: string) => ({ ...ctx, log: app.log.child({ channel: name }) });
  const channels = new Map<string, ChannelPlugin>();
  channels.set(
    'chat',
    createChatChannel(channelCtx('chat'), new ChatSessionRepository(db), {
      ...config.chat,
      maxTextBytes: MAX_TEXT_BYTES,
      sessionsPerMinute: config.publicRateLimit,
    }),
  );
  channels.set('email', createEmailChannel(emailConfigFromEnv(config.env, config.dataDir), channelCtx('email'), { now }));
  channels.set('sms', createSmsChannel(smsConfigFromEnv(config.env), channelCtx('sms'), { now }));

  const outbox = new OutboxWorker({
    db,
    channels,
    events,
    log: app.log.child({ worker: 'outbox' }),
    now,
    backoff: config.outbox,
    leaseMs: config.outbox.leaseMs,
    concurrency: config.outbox.concurrency,
  });
  const cases = new CaseService({ db, events, now, onOutbound: () => outbox.wake() });
  const auth = createAuthenticator(db.prisma);

  app.decorate('switchboard', { config, db, events, pipeline, outbox, cases, channels, generatedAdminToken } satisfies Switchboard);

  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 2 * MAX_TEXT_BYTES } });

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerCaseRoutes(app, cases, auth);
  registerAgentStream(app, db, events, auth);
  registerConsoleRoutes(app);
  registerDirectoryRoutes(app, db, auth, () => undefined);
  for (const channel of channels.values()) {
    if (channel.enabled) await channel.routes?.(app);
    else app.log.warn({ channel: channel.name }, `${channel.name} channel is off: ${channel.disabledReason ?? 'not configured'}`);
  }

  app.addHook('onReady', async () => {
    for (const channel of channels.values()) if (channel.enabled) await channel.start?.();
    const resumed = await pipeline.resume();
    if (resumed) app.log.info({ resumed }, 'resumed inbound messages left unprocessed');
    outbox.start();
  });
  app.addHook('preClose', async () => {
    for (const channel of channels.values()) if (channel.enabled) await channel.stop?.();
  });
  app.addHook('onClose', async () => {
    await pipeline.stop();
    await outbox.stop();
    await db.close();
  });
  return app;
}
