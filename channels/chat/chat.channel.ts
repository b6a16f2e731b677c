import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { WebSocket } from 'ws';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ChannelContext, ChannelPlugin, OutboundMessage, SendResult } from '../channel.types.ts';
import { parseClientFrame } from './chat-protocol.ts';
import { TokenBucket } from './token-bucket.ts';
import { ChatError } from './chat.errors.ts';
import { registerWidgetPage } from './widget-page.routes.ts';
import { chatSessionRouteSchema } from './chat-session.schema.ts';

/** A file sent with an answer, as the widget offers it: a link the visitor opens without signing in. */
export interface ChatAttachmentLink {
  name: string;
  contentType: string;
  size: number;
  url: string;
}

export interface ChatSessionStore {
  create(name: string | null, email: string | null): Promise<{ sessionId: string; token: string }>;
  byToken(token: string): Promise<{ id: string; name: string | null; email: string | null } | null>;
  history(
    conversationKey: string,
    limit: number,
  ): Promise<Array<{ id: string; direction: 'inbound' | 'outbound'; text: string; at: string; status: string; caseNumber: string | null; attachments: ChatAttachmentLink[] }>>;
  /** one answer, as another instance sent it */
  answer(interactionId: string): Promise<{ text: string; caseNumber: string; agent: string | null; attachments: ChatAttachmentLink[] } | null>;
}

export interface ChatOptions {
  messagesPerSecond: number;
  burst: number;
  historyLimit: number;
  maxTextBytes: number;
  /** requests per minute per address for POST /chat/sessions */
  sessionsPerMinute: number;
  /** security headers of the widget page; its framing follows CHAT_WIDGET_FRAME_ANCESTORS */
  widgetHeaders: RouteShorthandOptions['helmet'];
}

/** Rejected frames in a row after which a flooding client is disconnected. */
const MAX_REJECTED = 50;

export function conversationKeyOf(sessionId: string): string {
  return `chat:${sessionId}`;
}

/**
 * Web chat: sessions over HTTP, messages over a WebSocket. The channel is its own provider, so
 * "sending" is pushing to the visitor's open sockets; a visitor who is offline finds the answer in
 * the history sent when they reconnect.
 */
interface OutboundFrame {
  type: 'message';
  direction: 'outbound';
  id: string;
  text: string;
  caseNumber: string;
  agent: string | null;
  at: string;
  /** files sent with it (absent when none) */
  attachments?: ChatAttachmentLink[];
}

/** Only what the widget shows of each file: no path on our disk. */
function linksOf(files: ReadonlyArray<ChatAttachmentLink> | undefined): { attachments?: ChatAttachmentLink[] } {
  return files?.length ? { attachments: files.map(({ name, contentType, size, url }) => ({ name, contentType, size, url })) } : {};
}

const UNREACHED_HOLD_MS = 60_000;
// an answer a socket got: kept until its delivery is surely recorded, for a visitor who reconnects at once
const REACHED_HOLD_MS = 10_000;
const MAX_HELD_PER_CONVERSATION = 50;
const MAX_HELD_CONVERSATIONS = 10_000;

export function createChatChannel(ctx: ChannelContext, sessions: ChatSessionStore, opts: ChatOptions): ChannelPlugin & { connections(): number } {
  const sockets = new Map<string, Set<WebSocket>>();
  /**
   * Answers just sent, kept a short while for a visitor who reconnects: between the send and the record of
   * it, the history a reconnecting visitor reads still shows the answer as queued (left out), so it would
   * reach neither the new socket nor the history. One sent while no socket was open is kept longer.
   */
  const heldAnswers = new Map<string, Map<string, { frame: OutboundFrame; until: number; reached: boolean }>>();

  function holdAnswer(key: string, frame: OutboundFrame, reached: boolean): void {
    const now = Date.now();
    let held = heldAnswers.get(key);
    if (!held) {
      if (heldAnswers.size >= MAX_HELD_CONVERSATIONS) heldAnswers.delete(heldAnswers.keys().next().value!);
      heldAnswers.set(key, (held = new Map()));
    }
    held.set(frame.id, { frame, until: now + (reached ? REACHED_HOLD_MS : UNREACHED_HOLD_MS), reached });
    for (const [id, h] of held) if (now > h.until || held.size > MAX_HELD_PER_CONVERSATION) held.delete(id);
    // the oldest conversations first: drop those whose answers have all expired (their history has them by now)
    for (const [k, answers] of heldAnswers) {
      for (const [id, h] of answers) if (now > h.until) answers.delete(id);
      if (answers.size > 0) break;
      heldAnswers.delete(k);
    }
  }

  function push(key: string, payload: unknown): number {
    const set = sockets.get(key);
    if (!set) return 0;
    const text = JSON.stringify(payload);
    let n = 0;
    for (const ws of set) {
      if (ws.readyState === ws.OPEN) {
        ws.send(text);
        n++;
      }
    }
    return n;
  }

  // Another instance sent an answer to a visitor connected here: read it and hand it over.
  ctx.peers.onRelayedAnswer('chat', (key, interactionId) => {
    if (!sockets.has(key)) return;
    void (async () => {
      const answer = await sessions.answer(interactionId);
      if (!answer) return;
      const frame: OutboundFrame = {
        type: 'message', direction: 'outbound', id: interactionId, text: answer.text, caseNumber: answer.caseNumber, agent: answer.agent, at: ctx.now().toISOString(), ...linksOf(answer.attachments),
      };
      const reached = push(key, frame);
      if (reached === 0) return;
      holdAnswer(key, frame, true);
      await ctx.updateDelivery({ channel: 'chat', interactionId, externalId: `out:${interactionId}`, status: 'delivered' });
    })().catch((err) => ctx.log.warn({ err, interactionId }, 'an answer sent by another instance could not be handed over; the visitor gets it with the history'));
  });

  async function authorize(req: FastifyRequest) {
    const token = (req.query as { token?: unknown }).token;
    if (typeof token !== 'string' || token.length > 200) throw new ChatError('INVALID_TOKEN', 'a chat token is required', 401);
    const session = await sessions.byToken(token);
    if (!session) throw new ChatError('INVALID_TOKEN', 'unknown chat token', 401);
    return session;
  }

  return {
    name: 'chat',
    enabled: true,
    connections: () => [...sockets.values()].reduce((n, s) => n + s.size, 0),

    routes(app: FastifyInstance) {
      registerWidgetPage(app, opts.widgetHeaders);

      app.withTypeProvider<TypeBoxTypeProvider>().post(
        '/chat/sessions',
        {
          config: { rateLimit: { max: opts.sessionsPerMinute, timeWindow: 60_000 } },
          schema: chatSessionRouteSchema,
        },
        async (req, reply) => {
          const created = await sessions.create(req.body?.name?.trim() || null, req.body?.email?.trim() || null);
          return reply.code(201).send(created);
        },
      );

      app.get(
        '/chat/ws',
        {
          websocket: true,
          config: { rateLimit: { max: opts.sessionsPerMinute, timeWindow: 60_000 } },
          preValidation: async (req) => {
            (req as FastifyRequest & { chatSession?: unknown }).chatSession = await authorize(req);
          },
        },
        async (socket: WebSocket, req: FastifyRequest) => {
          const session = (req as FastifyRequest & { chatSession: { id: string; name: string | null; email: string | null } }).chatSession;
          const key = conversationKeyOf(session.id);
          let set = sockets.get(key);
          if (!set) sockets.set(key, (set = new Set()));
          set.add(socket);
          const bucket = new TokenBucket(opts.messagesPerSecond, opts.burst);
          let rejected = 0;
          // Frames that arrive while history is loading wait their turn, so ordering holds.
          let chain: Promise<void> = Promise.resolve();
          const send = (payload: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(payload));

          socket.on('close', () => {
            set!.delete(socket);
            if (set!.size === 0) sockets.delete(key);
          });
          socket.on('error', (err) => ctx.log.debug({ err }, 'chat socket error'));
          socket.on('message', (data, isBinary) => {
            if (!bucket.take()) {
              send({ type: 'error', error: { code: 'RATE_LIMITED', message: 'too many messages; slow down' } });
              if (++rejected >= MAX_REJECTED) socket.close(1008, 'rate limit');
              return;
            }
            chain = chain.then(async () => {
              if (isBinary) {
                send({ type: 'error', error: { code: 'INVALID_MESSAGE', message: 'binary frames are not accepted' } });
                return;
              }
              const parsed = parseClientFrame(data.toString(), opts.maxTextBytes);
              if (!parsed.ok) {
                rejected++;
                send({ type: 'error', error: parsed.error });
                return;
              }
              rejected = 0;
              const frame = parsed.frame;
              if (frame.type === 'ping') return void send({ type: 'pong' });
              if (frame.type === 'typing') return;
              try {
                const res = await ctx.ingest({
                  channel: 'chat',
                  externalId: `in:${session.id}:${frame.id ?? crypto.randomUUID()}`,
                  kind: 'message',
                  from: { address: session.id, name: session.name ?? undefined, email: session.email ?? undefined },
                  text: frame.text,
                  thread: { conversationKey: key },
                  receivedAt: ctx.now(),
                });
                send({ type: 'ack', id: frame.id ?? null, interactionId: res.interactionId, duplicate: res.duplicate });
              } catch (err) {
                ctx.log.warn({ err }, 'chat message refused');
                const e = err as { code?: string; message?: string; statusCode?: number };
                const client = typeof e.statusCode === 'number' && e.statusCode < 500;
                send({ type: 'error', id: frame.id ?? null, error: client ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'the message could not be stored; send it again' } });
              }
            });
          });

          chain = chain.then(async () => {
            // Answers still in the outbox are left out: the outbox pushes them to this socket when it sends.
            const history = (await sessions.history(key, opts.historyLimit)).filter((m) => m.status !== 'queued');
            // answers sent but not recorded yet (the history still has them as queued) join it from here
            const held = heldAnswers.get(key);
            heldAnswers.delete(key);
            const now = Date.now();
            const late = [...(held?.values() ?? [])].filter((h) => now <= h.until && !history.some((m) => m.id === h.frame.id));
            const messages = [
              ...history.map(({ id, direction, text, at, caseNumber, attachments }) => ({ id, direction, text, at, caseNumber, ...linksOf(attachments) })),
              ...late.map(({ frame }) => ({ id: frame.id, direction: frame.direction, text: frame.text, at: frame.at, caseNumber: frame.caseNumber, ...linksOf(frame.attachments) })),
            ].sort((a, b) => a.at.localeCompare(b.at));
            send({ type: 'history', messages });
            // one a socket got is recorded delivered by the outbox; one nobody got is delivered now
            for (const h of late) {
              if (!h.reached) await ctx.updateDelivery({ channel: 'chat', interactionId: h.frame.id, externalId: `out:${h.frame.id}`, status: 'delivered' });
            }
            // Answers that waited while the visitor was away are delivered now.
            for (const m of history) {
              if (m.direction === 'outbound' && m.status === 'sent') {
                await ctx.updateDelivery({ channel: 'chat', externalId: `out:${m.id}`, status: 'delivered' });
              }
            }
          });
        },
      );
    },

    async send(msg: OutboundMessage): Promise<SendResult> {
      const key = msg.conversationKey ?? conversationKeyOf(msg.to.address);
      await msg.confirmSend?.();
      const frame: OutboundFrame = {
        type: 'message',
        direction: 'outbound',
        id: msg.interactionId,
        text: msg.text,
        caseNumber: msg.caseNumber,
        agent: msg.agentName ?? null,
        at: ctx.now().toISOString(),
        ...linksOf(msg.attachments),
      };
      const reached = push(key, frame);
      holdAnswer(key, frame, reached > 0);
      // the visitor may be connected to another instance
      if (reached === 0) ctx.peers.relayAnswer('chat', key, msg.interactionId);
      return { status: reached > 0 ? 'delivered' : 'sent', externalId: `out:${msg.interactionId}` };
    },

    async stop() {
      for (const set of sockets.values()) for (const ws of set) ws.close(1001, 'server shutting down');
      sockets.clear();
    },
  };
}
