/**
 * Bolt's receiver inside the gateway: POST /slack/events on the gateway's own Fastify server (raw body
 * kept for the signature check), or Socket Mode when an app token is set. Either way each request goes
 * through `dispatch`, which hands it to bolt (`processEvent`) and answers Slack once the work is done —
 * so a customer's message is stored before Slack hears "200" — or when the ack deadline comes first,
 * in which case the work goes on after the answer.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyBaseLogger } from 'fastify';
import type { App, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { classifyCommand, classifyEnvelope, classifyInteraction, parseSlackBody, type BodyParse, type SlackBody } from './slack-body.ts';
import { verifySlackSignature } from './slack-signature.ts';
import { slackErrorBody, slackErrorFromFramework, slackErrorStatus, type SlackErrorCode } from './slack.errors.ts';
import type { BoltLogger } from './bolt-logger.ts';
import { slackEventsSchema } from './slack-events.schema.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export type DispatchOutcome = { status: 200; body?: unknown } | { status: 503; code: SlackErrorCode; reason: string };

export interface SlackReceiverOptions {
  log: FastifyBaseLogger;
  ackDeadlineMs: number;
  /** why a well-formed request is not for us (logged, answered 200, nothing stored), or null to process it */
  skipReason(body: SlackBody): string | null;
  /** an event that may carry a customer's message: never acknowledged before it is stored */
  mayStore(body: SlackBody): boolean;
  /** Socket Mode: connect with this app token instead of serving HTTP */
  socket?: { appToken: string; logger: BoltLogger; clientOptions: Record<string, unknown> };
}

export interface HttpOptions {
  signingSecret: string;
  bodyLimit: number;
  now: () => number;
}

export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private socketClient: SocketModeClient | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly o: SlackReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    if (!this.o.socket) return;
    const client = new SocketModeClient({
      appToken: this.o.socket.appToken,
      logger: this.o.socket.logger,
      clientOptions: this.o.socket.clientOptions,
      autoReconnectEnabled: true,
    });
    client.on('slack_event', (args: SocketEvent) => void this.onSocketEvent(args));
    this.socketClient = client;
    // connecting can take long (Slack down: it keeps retrying); the gateway does not wait for it
    client
      .start()
      .then(() => this.o.log.info('slack: Socket Mode connected'))
      .catch((err: unknown) => this.o.log.error({ reason: (err as Error).message }, 'slack: Socket Mode could not connect'));
  }

  /** whether the Socket Mode WebSocket is open now (it reconnects on its own after a drop) */
  socketConnected(): boolean {
    return this.socketClient?.websocket?.isActive() ?? false;
  }

  async stop(): Promise<void> {
    await this.socketClient?.disconnect().catch(() => undefined);
    this.socketClient = undefined;
    // work that outlived its answer finishes before the store closes
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  /** POST /slack/events, in its own scope: its body parsers and error format touch no other route. */
  async registerHttp(fastify: FastifyInstance, http: HttpOptions): Promise<void> {
    await fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'string', bodyLimit: http.bodyLimit }, (_req, body, done) =>
        done(null, body),
      );
      scope.setErrorHandler((err: FastifyError, req, reply) => {
        const code = slackErrorFromFramework(err);
        if (code === 'INTERNAL') req.log.error({ err }, 'slack: request failed');
        return sendError(reply, code, code === 'INTERNAL' ? undefined : err.message);
      });
      scope.post(SLACK_EVENTS_PATH, { schema: slackEventsSchema }, async (req, reply) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const verdict = verifySlackSignature({
          signingSecret: http.signingSecret,
          rawBody: raw,
          signature: header(req.headers['x-slack-signature']),
          timestamp: header(req.headers['x-slack-request-timestamp']),
          nowMs: http.now(),
        });
        if (!verdict.valid) {
          req.log.warn({ reason: verdict.reason }, 'slack: request refused');
          return sendError(reply, verdict.code);
        }
        const parsed = parseSlackBody(req.headers['content-type'], raw);
        if (!parsed.ok) {
          req.log.warn({ reason: parsed.reason }, 'slack: malformed body');
          return sendError(reply, 'INVALID_BODY', parsed.reason);
        }
        const retryNum = Number(header(req.headers['x-slack-retry-num']) ?? NaN);
        const out = await this.dispatch(parsed.value, {
          retryNum: Number.isInteger(retryNum) ? retryNum : undefined,
          retryReason: header(req.headers['x-slack-retry-reason']),
        });
        if (out.status === 503) return sendError(reply, out.code, out.reason);
        if (out.body === undefined || out.body === '') return reply.code(200).send();
        if (typeof out.body === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(out.body);
        return reply.code(200).send(out.body);
      });
    });
  }

  /** Hands one request to bolt and decides what Slack hears, and when. */
  async dispatch(body: SlackBody, meta: { retryNum?: number; retryReason?: string } = {}): Promise<DispatchOutcome> {
    if (body.kind === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
    const log = this.o.log;
    if (body.kind === 'unknown') {
      log.info({ reason: body.reason }, 'slack: ignored a request we do not handle');
      return { status: 200 };
    }
    const skip = this.o.skipReason(body);
    if (skip) {
      log.info({ reason: skip, ...describe(body) }, 'slack: ignored');
      return { status: 200 };
    }
    if (!this.app) return { status: 503, code: 'INGEST_FAILED', reason: 'the Slack channel is not started' };
    if (meta.retryNum) log.info({ retryNum: meta.retryNum, retryReason: meta.retryReason, ...describe(body) }, 'slack: retried delivery');

    let acked = false;
    let answered = false;
    let ackBody: unknown;
    let onAck: () => void = () => undefined;
    const ackSeen = new Promise<'acked'>((resolve) => (onAck = () => resolve('acked')));
    const ack = async (response?: unknown) => {
      if (acked) return;
      acked = true;
      ackBody = response;
      onAck();
      // too late for the HTTP answer: a command's or button's reply goes to its response_url instead
      if (answered && response !== undefined) await this.lateAck(body, response);
    };
    const work = this.app.processEvent({ body: body.body as never, ack, retryNum: meta.retryNum, retryReason: meta.retryReason }).then(
      () => ({ ok: true as const }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    this.track(work);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), this.o.ackDeadlineMs)));
    // events are answered when their work is done (stored before acknowledged); commands and buttons when they ack
    const first = await Promise.race(body.kind === 'event' ? [work, deadline] : [work, deadline, ackSeen]);
    clearTimeout(timer);
    answered = true;

    if (first === 'deadline' || first === 'acked') {
      void work.then((r) => {
        if (!r.ok) log.error({ err: r.err, ...describe(body) }, 'slack: handling failed after the answer');
      });
      if (first === 'deadline' && this.o.mayStore(body)) {
        // A 200 now would let a crash lose the message; refused, Slack delivers it again, and the work
        // going on meanwhile stores it once (messages are kept once per channel and ts).
        log.warn({ ms: this.o.ackDeadlineMs, ...describe(body) }, 'slack: a customer message not stored by the deadline; refused so that Slack delivers it again');
        return { status: 503, code: 'INGEST_FAILED', reason: 'the message was not stored within the deadline' };
      }
      if (first === 'deadline') log.warn({ ms: this.o.ackDeadlineMs, ...describe(body) }, 'slack: answered before the work finished');
      return { status: 200, body: ackBody };
    }
    if (!first.ok) {
      log.error({ err: first.err, ...describe(body) }, 'slack: handling failed');
      // an event we could not store is refused so that Slack delivers it again
      if (body.kind === 'event') return { status: 503, code: 'INGEST_FAILED', reason: (first.err as Error)?.message ?? 'failed' };
      return { status: 200, body: ackBody ?? (body.kind === 'command' ? ephemeral('Something went wrong; nothing was changed. Please try again.') : undefined) };
    }
    return { status: 200, body: ackBody };
  }

  private track(p: Promise<unknown>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async lateAck(body: SlackBody, response: unknown): Promise<void> {
    const url = body.kind === 'command' ? body.body.response_url : body.kind === 'interaction' ? body.body.response_url : undefined;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return;
    const payload = typeof response === 'string' ? ephemeral(response) : response;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10_000) });
      if (!res.ok) this.o.log.warn({ status: res.status }, 'slack: response_url refused a late answer');
    } catch (err) {
      this.o.log.warn({ reason: (err as Error).message }, 'slack: response_url unreachable');
    }
  }

  private async onSocketEvent(args: SocketEvent): Promise<void> {
    const parsed = classifySocket(args.type, args.body);
    if (!parsed.ok) {
      this.o.log.warn({ reason: parsed.reason }, 'slack: malformed Socket Mode envelope');
      // acknowledged all the same: delivering it again would not make it readable
      await args.ack().catch(() => undefined);
      return;
    }
    const out = await this.dispatch(parsed.value, { retryNum: args.retry_num, retryReason: args.retry_reason });
    // not acknowledged = Slack delivers it again, as with a 503 over HTTP
    if (out.status !== 200) return;
    await args.ack(out.body as Record<string, unknown> | undefined).catch((err: unknown) => this.o.log.warn({ reason: (err as Error).message }, 'slack: Socket Mode ack failed'));
  }
}

interface SocketEvent {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: unknown;
  retry_num?: number;
  retry_reason?: string;
}

function classifySocket(type: string, body: unknown): BodyParse {
  switch (type) {
    case 'events_api':
      return classifyEnvelope(body);
    case 'interactive':
      return classifyInteraction(body);
    case 'slash_commands':
      return classifyCommand(body);
    default:
      return { ok: true, value: { kind: 'unknown', reason: `Socket Mode envelope ${type}` } };
  }
}

function describe(body: SlackBody): Record<string, unknown> {
  switch (body.kind) {
    case 'event':
      return { eventId: body.eventId, eventType: body.eventType };
    case 'interaction':
      return { interactionType: body.interactionType };
    case 'command':
      return { command: body.body.command };
    default:
      return {};
  }
}

function ephemeral(text: string) {
  return { response_type: 'ephemeral', text };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sendError(reply: FastifyReply, code: SlackErrorCode, detail?: string): FastifyReply {
  return reply.code(slackErrorStatus(code)).send(slackErrorBody(code, detail));
}
