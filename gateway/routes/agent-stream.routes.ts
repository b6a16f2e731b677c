import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentStream } from '../agent-stream.ts';
import { roleAtLeast, type Authenticator } from '../auth.ts';
import type { StatsPush } from '../stats/stats-push.ts';
import { agentStreamSchema } from '../schemas/stream.schema.ts';
import { parseWatchFrame, WATCH_HELP, type CasePresence } from '../case-presence.ts';

export function registerAgentStream(
  app: FastifyInstance,
  stream: AgentStream,
  auth: Authenticator,
  stats: StatsPush,
  presence: CasePresence,
  nameOf: (agentId: string) => Promise<string>,
): void {
  app.addHook('preClose', async () => {
    stream.close();
    stats.close();
    presence.close();
  });

  app.get(
    '/api/v1/stream',
    {
      websocket: true,
      onRequest: auth.requireOnUpgrade('agent'),
      schema: agentStreamSchema,
    },
    (socket: WebSocket, req: FastifyRequest) => {
      stream.add(socket);
      // a wallboard: statistics too, the agents' for supervisors
      if ((req.query as { stats?: boolean }).stats) stats.add(socket, { agents: roleAtLeast(req.actor!.role, 'supervisor') });
      auth.trackStream(socket, req.actor!);
      socket.on('error', (err) => req.log.debug({ err }, 'agent stream socket error'));
      // The workspace says which case it has open (and whether its agent is typing); a ping gets a pong.
      const actor = req.actor!;
      const name = actor.agentId ? nameOf(actor.agentId) : null;
      socket.on('message', (data) => {
        const text = data.toString();
        if (text === '{"type":"ping"}') return socket.send('{"type":"pong"}');
        const watch = parseWatchFrame(text);
        if (!watch) return socket.send(JSON.stringify({ type: 'error', error: { code: 'INVALID_MESSAGE', message: WATCH_HELP } }));
        // a token of no agent is nobody to show
        if (!actor.agentId || !name) return;
        void name.then(
          (n) => {
            if (socket.readyState === socket.OPEN) presence.watch(socket, { agentId: actor.agentId!, name: n }, watch);
          },
          () => undefined,
        );
      });
      socket.on('close', () => presence.leave(socket));
      socket.send(JSON.stringify({ type: 'hello', role: req.actor!.role, agentId: req.actor!.agentId }));
    },
  );
}
