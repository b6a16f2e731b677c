/**
 * A channel without its credentials: it says why once at start, its webhooks answer 503 with a code
 * naming the channel and a message naming the missing settings, and a send that reaches it fails loudly.
 */
import type { FastifyInstance } from 'fastify';
import { SendError, type ChannelName, type ChannelPlugin } from './channel.types.ts';

export function disabledChannel(name: ChannelName, reason: string, webhookPaths: readonly string[] = []): ChannelPlugin {
  const body = { error: { code: `${name.toUpperCase()}_NOT_CONFIGURED`, message: `the ${name} channel is off: ${reason}` } };
  return {
    name,
    enabled: false,
    disabledReason: reason,
    routes(app: FastifyInstance) {
      // A provider pointed at us before the channel is set up gets a clear, retryable answer, not a 404.
      // Answered before parsing (the body is never read) but after the onRequest limits.
      for (const url of webhookPaths) {
        app.route({ method: 'POST', url, preParsing: async (_req, reply) => reply.code(503).send(body), handler: async () => undefined });
      }
    },
    async send() {
      // the outbox does not route to a disabled channel; should anything else, the message must not vanish
      throw new SendError(reason, false, 'CHANNEL_DISABLED');
    },
  };
}
