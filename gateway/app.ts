import { simulate } from './rules/simulate.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import { Db, MAX_NOTIFY_BYTES } from '../store/db.ts';
import { ensureAdminToken } from '../store/token.repository.ts';
import { seedQueues } from '../store/directory.repository.ts';
import { seedCalendar } from '../store/calendar.repository.ts';
import { SlaPolicyService } from './sla/sla-policy.service.ts';
import { SlaClockService, SLA_TIMER } from './sla/sla-clock.service.ts';
import { TimerWorker } from './timers/timer.worker.ts';
import { registerSlaRoutes } from './routes/sla.routes.ts';
import { registerStatsRoutes } from './routes/stats.routes.ts';
import { StatsService } from './stats/stats.service.ts';
import { StatsPush } from './stats/stats-push.ts';
import { WAIT_TIMER, WaitStepsService } from './assignment/wait-steps.service.ts';
import { registerAvailabilityRoutes } from './routes/availability.routes.ts';
import { AvailabilityService } from './calendars/availability.service.ts';
import { createChatSessionStore } from './chat-sessions.ts';
import { DirectoryService } from './directory/directory.service.ts';
import type { ChannelPlugin } from '../channels/channel.types.ts';
import { createChatChannel } from '../channels/chat/chat.channel.ts';
import { createEmailChannel, emailConfigFromEnv } from '../channels/email/index.ts';
import { createSmsChannel, smsConfigFromEnv } from '../channels/sms/index.ts';
import { createSlackChannel, slackConfigFromEnv } from '../channels/slack/index.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { EventBus } from './events.ts';
import { PipelineWorker } from './pipeline/pipeline.worker.ts';
import { createIngest, MAX_TEXT_BYTES } from './pipeline/ingest.ts';
import { OutboxWorker } from './outbox/outbox.worker.ts';
import { CaseService } from './cases/case.service.ts';
import { createAgentDesk } from './agent-desk.ts';
import { createAuthenticator } from './auth.ts';
import { CasePresence } from './case-presence.ts';
import cookie from '@fastify/cookie';
import { csrfTokenMatches, SignInService } from './people/sign-in.service.ts';
import { registerAuthRoutes } from './routes/auth.routes.ts';
import { registerCannedResponseRoutes } from './routes/canned-responses.routes.ts';
import { registerSavedViewRoutes } from './routes/saved-views.routes.ts';
import { SavedViewService } from './views/saved-view.service.ts';
import { RuleReplay } from './rules/rule-replay.ts';
import { RuleHits } from './rules/rule-hits.ts';
import { registerChannelRoutes } from './routes/channels.routes.ts';
import { ChannelOverviewService } from './channel-admin/channel-overview.service.ts';
import { emailSetup } from '../channels/email/email.setup.ts';
import { smsSetup } from '../channels/sms/sms.setup.ts';
import { slackSetup } from '../channels/slack/slack.setup.ts';
import { chatSetup } from '../channels/chat/chat.setup.ts';
import { createInvitationMailer } from './people/invitation-mail.ts';
import { CannedResponseService } from './canned/canned-response.service.ts';
import { createChannelContext } from './channel-context.ts';
import { installErrorHandler } from './error-handler.ts';
import { registerSecurityHeaders, widgetPageHeaders } from './security-headers.ts';
import { loggerOptions } from './logging.ts';
import { installJsonBodyParser } from './json-body.ts';
import { installPublicLimits } from './public-limits.ts';
import { BODY_LIMITS } from './body-limits.ts';
import { registerApiDocs } from './api-docs.ts';
import { healthRouteSchema } from './schemas/ops.schema.ts';
import { installValidators } from './validator.ts';
import { registerCaseRoutes } from './routes/cases.routes.ts';
import { registerFileRoutes } from './routes/files.routes.ts';
import { FileService } from './files/file.service.ts';
import { registerDirectoryRoutes } from './routes/directory.routes.ts';
import { registerAgentStream } from './routes/agent-stream.routes.ts';
import { AgentStream } from './agent-stream.ts';
import { registerConsoleRoutes } from './routes/console.routes.ts';
import { RulesService } from './rules/rules.service.ts';
import { registerRuleRoutes } from './routes/rules.routes.ts';
import { AssignmentWorker } from './assignment/assignment.worker.ts';
import { OfferService } from './assignment/offer.service.ts';
import { registerAssignmentRoutes } from './routes/assignment.routes.ts';
import { registerCustomerRoutes } from './routes/customers.routes.ts';
import { CustomerService } from './customers/customer.service.ts';
import { registerCalendarRoutes } from './routes/calendars.routes.ts';
import { CalendarService } from './calendars/calendar.service.ts';
import { createMetrics } from './metrics/metrics.ts';
import { addScrapeCollectors } from './metrics/scrape-collectors.ts';
import { metricsAccess, metricsTokenFrom } from './metrics/metrics-access.ts';
import { createReadinessCheck } from './readiness.ts';
import { registerOpsRoutes } from './routes/ops.routes.ts';
import { registerInboundRoutes } from './routes/inbound.routes.ts';
import { FailedInboundService } from './pipeline/failed-inbound.service.ts';
import { probeWritePath } from '../store/ops.repository.ts';

export interface AppOverrides {
  clock?: Clock;
  /** false for silence; otherwise pino options (a destination `stream`, a `level`) that keep the gateway's redaction */
  logger?: false | Record<string, unknown>;
  /** bind the inbound SMTP listener here instead of SMTP_PORT; 0 = any free port (then read it from the email channel) */
  smtpListenPort?: number;
}

export interface Switchboard {
  config: Config;
  db: Db;
  events: EventBus;
  pipeline: PipelineWorker;
  outbox: OutboxWorker;
  cases: CaseService;
  rules: RulesService;
  assignment: AssignmentWorker;
  channels: Map<string, ChannelPlugin>;
  agentStream: AgentStream;
  slaPolicies: SlaPolicyService;
  slaClocks: SlaClockService;
  waitSteps: WaitStepsService;
  timers: TimerWorker;
  /** set on the start that generated the first admin token (it is printed once) */
  generatedAdminToken: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    switchboard: Switchboard;
  }
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** Builds the whole gateway on a Fastify instance without listening; `server.ts` listens. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const clock = overrides.clock ?? systemClock;
  const now = () => clock.now();
  const app = Fastify({
    logger: overrides.logger === false ? false : loggerOptions(config.logLevel, config.logFormat, overrides.logger),
    bodyLimit: BODY_LIMITS.default,
    // a hop count as the function proxy-addr runs for one (Fastify's types take no number)
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });
  await registerSecurityHeaders(app);
  installErrorHandler(app);
  installJsonBodyParser(app);
  installValidators(app);
  await registerApiDocs(app, { title: 'Switchboard', version: '0.1.0' });

  // every setting is read before the store is touched: a bad one stops the start before a first admin token is made
  const metricsToken = metricsTokenFrom(config.env);
  const emailConfig = emailConfigFromEnv(config.env, config.dataDir);
  const smsConfig = smsConfigFromEnv(config.env, config.publicUrl);
  const slackConfig = slackConfigFromEnv(config.env);
  const metrics = createMetrics();
  const db = await Db.open({ url: config.databaseUrl, synchronous: config.sqliteSynchronous, poolSize: config.databasePoolSize, observe: metrics.observeTransaction });
  const generatedAdminToken = await db.transaction(async (tx) => {
    await seedQueues(tx, now());
    await seedCalendar(tx, config.defaultTimeZone, now());
    return ensureAdminToken(tx, config.adminToken, now());
  });

  const events = new EventBus();
  // several instances on one PostgreSQL database hear each other's events; on SQLite the bus stays in-process
  const eventLog = app.log.child({ component: 'events' });
  await events.connect((handlers) => db.listen(EVENT_CHANNEL, handlers), {
    maxPayloadBytes: MAX_NOTIFY_BYTES,
    onError: (err) => eventLog.warn({ err }, 'events to or from other instances failed; reconnecting'),
  });
  const rules = new RulesService({ db, now, events, log: app.log.child({ component: 'rules' }) });
  await rules.load();
  const routing = rules;
  const slaPolicies = new SlaPolicyService({ db, events, now, log: app.log.child({ component: 'sla' }) });
  const stats = new StatsService({ db, now, timeZone: config.defaultTimeZone });
  await slaPolicies.load();
  // the clocks set timers; the timers' SLA moments are the clocks' work
  const timerRef: { worker: TimerWorker | null } = { worker: null };
  const slaClocks = new SlaClockService({
    db,
    events,
    now,
    log: app.log.child({ component: 'sla' }),
    policies: () => slaPolicies.policies,
    wakeTimers: (at) => timerRef.worker?.wake(at),
    consoleUrl: `${config.publicUrl}/console/`,
  });
  const waitSteps = new WaitStepsService({ db, events, now, log: app.log.child({ component: 'overflow' }), wakeTimers: (at) => timerRef.worker?.wake(at) });
  const timers = new TimerWorker({
    db,
    events,
    now,
    log: app.log.child({ worker: 'timers' }),
    handlers: new Map([
      [SLA_TIMER, slaClocks.onTimer],
      [WAIT_TIMER, waitSteps.onTimer],
    ]),
  });
  timerRef.worker = timers;
  slaClocks.start();
  waitSteps.start();
  const ruleHits = new RuleHits({ db, now, log: app.log.child({ component: 'rule-hits' }), flushMs: config.ruleHitsFlushMs });
  const pipeline = new PipelineWorker({
    db,
    routing,
    ruleHits,
    now,
    reopenDays: config.reopenDays,
    continuityHours: config.continuityHours,
    events,
    log: app.log.child({ worker: 'pipeline' }),
    metrics: metrics.pipeline,
    autoReplyLimitMinutes: config.autoReplyLimitMinutes,
    settings: config.pipeline,
  });
  const ingest = createIngest(db, pipeline, now, { metrics: metrics.ingest });
  const ctx = createChannelContext(db, events, app.log.child({ component: 'channels' }), ingest, now);

  // where answers' files are read from, and the base of the links that carry them
  const files = { dataDir: config.dataDir, publicUrl: config.publicUrl };
  const channelCtx = (name: string) => ({ ...ctx, log: app.log.child({ channel: name }) });
  const channels = new Map<string, ChannelPlugin>();
  channels.set(
    'chat',
    createChatChannel(channelCtx('chat'), createChatSessionStore(db, now, files), {
      ...config.chat,
      maxTextBytes: MAX_TEXT_BYTES,
      sessionsPerMinute: config.publicRateLimit,
      widgetHeaders: widgetPageHeaders(config.chatWidgetFrameAncestors),
    }),
  );
  channels.set('email', createEmailChannel(emailConfig, channelCtx('email'), { now, listenPort: overrides.smtpListenPort, maxTextBytes: MAX_TEXT_BYTES }));
  channels.set('sms', createSmsChannel(smsConfig, channelCtx('sms'), { now }));

  const outbox = new OutboxWorker({
    db,
    channels,
    events,
    log: app.log.child({ worker: 'outbox' }),
    now,
    backoff: config.outbox,
    leaseMs: config.outbox.leaseMs,
    concurrency: config.outbox.concurrency,
    metrics: metrics.outbox,
    files,
  });
  // every stored answer (an agent's, or an acknowledgement the pipeline queued) goes out at once, not at the next wake-up
  events.on((e, source) => {
    if (source === 'local' && ((e.type === 'interaction.added' && e.direction === 'outbound') || (e.type === 'interaction.status' && e.status === 'queued'))) outbox.wake();
  });
  const fileService = new FileService({ db, dataDir: config.dataDir, maxBytes: config.uploadMaxBytes, mediaLinkDays: config.mediaLinkDays, now });
  const cases = new CaseService({ db, events, now, dataDir: config.dataDir, files: fileService });
  const offers = new OfferService({ db, events, now, metrics: metrics.offers });
  // after `cases` and `offers`: Slack works cases through the agent desk; the outbox sees it through the shared map
  channels.set('slack', createSlackChannel(slackConfig, channelCtx('slack'), createAgentDesk('slack', db, cases, offers, events, now), { now }));
  const email = channels.get('email');
  const people = new SignInService({
    db, now, config,
    // invitations go by mail only when mail really leaves (SMTP_URL); otherwise the admin hands the link over
    ...(emailConfig.smtpUrl && email?.enabled ? { mailInvitation: createInvitationMailer((m) => email.send(m), app.log.child({ component: 'invitations' })) } : {}),
  });
  const directory = new DirectoryService({ db, events, now, defaultOfferTimeoutSeconds: config.offerTimeoutSeconds });
  const auth = createAuthenticator(db.read, {
    log: app.log.child({ component: 'auth' }),
    tokenUsed: (id) => directory.tokenUsed(id),
    sessions: { resolve: (token) => people.resolve(token), csrfMatches: csrfTokenMatches },
    now,
    publicUrl: config.publicUrl,
  });
  // a token revoked or a role changed on another instance: its cached answer here must go too
  events.on((e, source) => {
    if (source === 'remote' && (e.type === 'directory.changed' || e.type === 'events.missed')) auth.forget();
  });
  const assignment = new AssignmentWorker({
    db,
    events,
    clock,
    log: app.log.child({ worker: 'assignment' }),
    config: { defaultOfferTimeoutSeconds: config.offerTimeoutSeconds, roundBackoffSeconds: config.offerRoundBackoffSeconds, awayAfterMissedOffers: config.awayAfterMissedOffers, sweepMs: config.assignmentSweepMs, batch: config.assignmentBatch },
    metrics: metrics.offers,
  });

  const agentStream = new AgentStream(db, events, app.log.child({ component: 'agent-stream' }));
  app.decorate('switchboard', { config, db, events, pipeline, outbox, cases, rules, assignment, channels, agentStream, slaPolicies, slaClocks, waitSteps, timers, generatedAdminToken } satisfies Switchboard);

  // before the rate limiter, whose own onRoute hook reads the limits this one sets on the webhooks
  installPublicLimits(app, { webhookPerMinute: config.webhookRateLimit, authFailuresPerMinute: config.authFailureLimit });
  await app.register(rateLimit, { global: false });
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 2 * MAX_TEXT_BYTES } });

  app.get('/healthz', { schema: healthRouteSchema }, async () => ({ status: 'ok' }));
  registerCaseRoutes(app, cases, auth);
  registerFileRoutes(app, fileService, auth, config.publicRateLimit);
  registerAgentStream(
    app,
    agentStream,
    auth,
    new StatsPush({ stats, intervalMs: config.statsPushSeconds * 1000, log: app.log.child({ component: 'stats' }) }),
    new CasePresence(events),
    async (id) => (await directory.agent(id))?.name ?? id,
  );
  addScrapeCollectors(metrics.registry, {
    store: db.read,
    now,
    chatConnections: () => channels.get('chat')?.connections?.() ?? 0,
    agentStreamConnections: () => agentStream.connections(),
    log: app.log.child({ component: 'metrics' }),
  });
  registerOpsRoutes(app, {
    registry: metrics.registry,
    metricsAccess: metricsAccess(metricsToken, auth.require('admin')),
    readiness: createReadinessCheck({ probeStore: () => probeWritePath(db), channels, log: app.log.child({ component: 'readiness' }) }),
  });
  await registerConsoleRoutes(app);
  registerDirectoryRoutes(app, directory, auth, people);
  registerCannedResponseRoutes(app, new CannedResponseService({ db, now }), auth);
  registerSavedViewRoutes(app, new SavedViewService({ db, now }), auth);
  registerChannelRoutes(
    app,
    new ChannelOverviewService({
      db,
      channels,
      now,
      setups: {
        chat: chatSetup(config.publicUrl),
        email: emailSetup(emailConfig, config.publicUrl),
        sms: smsSetup(smsConfig),
        slack: slackSetup(slackConfig, config.publicUrl),
      },
    }),
    auth,
  );
  registerAuthRoutes(app, people, auth, { signInPerMinute: config.signInRateLimit, secureCookie: config.publicUrl.startsWith('https:') });
  registerRuleRoutes(app, { rules, replay: new RuleReplay({ db, rules }), hits: ruleHits, simulate: (req, at) => simulate(rules, db.read, req, at), auth, now });
  registerAssignmentRoutes(app, offers, auth);
  registerCustomerRoutes(app, new CustomerService({ db, events, now }), auth);
  registerCalendarRoutes(app, new CalendarService({ db, now, events }), auth);
  registerSlaRoutes(app, slaPolicies, auth, now);
  registerAvailabilityRoutes(app, new AvailabilityService({ db, now, sla: slaPolicies }), config.publicRateLimit);
  registerStatsRoutes(app, stats, auth);
  registerInboundRoutes(app, new FailedInboundService(db, pipeline), auth);
  for (const channel of channels.values()) {
    await channel.routes?.(app);
    if (!channel.enabled) app.log.warn({ channel: channel.name }, `${channel.name} channel is off: ${channel.disabledReason ?? 'not configured'}`);
  }

  app.addHook('onReady', async () => {
    for (const channel of channels.values()) if (channel.enabled) await channel.start?.();
    // never waits for the backlog: the gateway listens while it is worked off
    ruleHits.start();
    const waiting = await pipeline.start();
    if (waiting) app.log.info({ waiting }, 'inbound messages left unprocessed are being processed');
    outbox.start();
    assignment.start();
    timers.start();
    // cases changed while no instance kept their clocks (a crash between a change and its pass)
    void slaClocks.catchUp().then(
      (stale) => stale > 0 && app.log.info({ cases: stale }, 'SLA clocks of cases changed meanwhile were worked out again'),
      (err: unknown) => app.log.error({ err }, 'could not look for cases whose SLA clocks missed a change'),
    );
  });
  app.addHook('preClose', async () => {
    // The outbox claims nothing more from here on, so a send a stopping channel hands back (retryable)
    // waits in the table for the next start instead of being claimed again and failed again meanwhile.
    const outboxStopped = outbox.stop();
    for (const channel of channels.values()) if (channel.enabled) await channel.stop?.();
    await outboxStopped;
  });
  app.addHook('onClose', async () => {
    await pipeline.stop();
    await ruleHits.stop();
    await assignment.stop();
    await timers.stop();
    await slaClocks.stop();
    await waitSteps.stop();
    auth.close();
    await events.close();
    await db.close();
  });
  return app;
}

/** The notification channel the instances of one database share. */
const EVENT_CHANNEL = 'switchboard_events';
