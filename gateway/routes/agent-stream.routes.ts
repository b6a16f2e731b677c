import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Db } from '../../store/db.ts';
import { getCaseRow, toCaseView, type CaseView } from '../../store/case.repository.ts';
import { toInteractionView, type InteractionView } from '../../store/interaction.repository.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import type { Authenticator } from '../auth.ts';
import { agentStreamSchema } from '../schemas/stream.schema.ts';

/** What an agent's console receives: the event, with the case as it is now and the interaction it names. */
export interface AgentStreamFrame {
  type: GatewayEvent['type'];
  case: CaseView;
  interaction?: InteractionView;
  changes?: string[];
  origin?: string;
}

/** A console that lets this much pile up unread is too slow to follow; it is closed and reconnects. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /api/v1/stream` (WebSocket; the agent token in the Authorization header, or as `access_token`
 * from a browser, which cannot set headers on a WebSocket): every case event, pushed to every
 * connected agent; closed with 4401 when the token is revoked or its role changes. Each event is read from the
 * store once, whatever the number of agents listening.
 */
export function registerAgentStream(app: FastifyInstance, db: Db, events: EventBus, auth: Authenticator): { connections(): number } {
  const sockets = new Set<WebSocket>();
  // One chain keeps frames in the order the events happened.
  let chain: Promise<void> = Promise.resolve();

  const unsubscribe = events.on((e) => {
    if (sockets.size === 0 || e.caseId === null) return;
    chain = chain
      .then(() => frameOf(db, e))
      .then((frame) => {
        if (frame) broadcast(JSON.stringify(frame));
      })
      .catch((err: unknown) => app.log.warn({ err }, 'agent stream: event dropped'));
  });
  app.addHook('preClose', async () => {
    unsubscribe();
    for (const ws of sockets) ws.close(1001, 'server shutting down');
  });

  function broadcast(text: string): void {
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'too slow');
      else ws.send(text);
    }
  }

  app.get(
    '/api/v1/stream',
    {
      websocket: true,
      onRequest: auth.requireOnUpgrade('agent'),
      schema: agentStreamSchema,
    },
    (socket: WebSocket, req: FastifyRequest) => {
      sockets.add(socket);
      auth.trackStream(socket, req.actor!);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', (err) => req.log.debug({ err }, 'agent stream socket error'));
      // The console only listens; anything it sends is answered with pong or ignored.
      socket.on('message', (data) => {
        if (data.toString() === '{"type":"ping"}') socket.send('{"type":"pong"}');
      });
      socket.send(JSON.stringify({ type: 'hello', role: req.actor!.role, agentId: req.actor!.agentId }));
    },
  );
  return { connections: () => sockets.size };
}

async function frameOf(db: Db, e: GatewayEvent): Promise<AgentStreamFrame | null> {
  const row = e.caseId === null ? null : await getCaseRow(db.prisma, e.caseId);
  if (!row) return null;
  const frame: AgentStreamFrame = { type: e.type, case: toCaseView(row) };
  if (e.type === 'case.updated') Object.assign(frame, { changes: e.changes, origin: e.origin });
  if (e.type === 'interaction.added' || e.type === 'interaction.status') {
    const interaction = await db.prisma.interaction.findUnique({ where: { id: e.interactionId } });
    if (interaction) frame.interaction = toInteractionView(interaction);
  }
  return frame;
}
