import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentStream } from '../agent-stream.ts';
import { roleAtLeast, type Authenticator } from '../auth.ts';
import type { StatsPush } from '../stats/stats-push.ts';
import { agentStreamSchema } from '../schemas/stream.schema.ts';

/**
 * `GET /api/v1/stream` (WebSocket; the agent token in the Authorization header, or as `access_token`
 * from a browser, which cannot set headers on a WebSocket): every case event, pushed to every
 * connected agent by `stream`; closed with 4401 when the token is revoked or its role changes.
 */
export function registerAgentStream(app: FastifyInstance, stream: AgentStream, auth: Authenticator, stats: StatsPush): void {
  app.addHook('preClose', async () => {
    stream.close();
    stats.close();
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
      // The console only listens; anything it sends is answered with pong or ignored.
      socket.on('message', (data) => {
        if (data.toString() === '{"type":"ping"}') socket.send('{"type":"pong"}');
      });
      socket.send(JSON.stringify({ type: 'hello', role: req.actor!.role, agentId: req.actor!.agentId }));
    },
  );
}
