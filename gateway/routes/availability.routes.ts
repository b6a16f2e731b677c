import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AvailabilityService } from '../calendars/availability.service.ts';
import { errorResponses, Nullable } from '../schemas/common.schema.ts';

const AvailabilitySchema = Type.Object({
  open: Type.Boolean({ description: 'whether the team works now (the default calendar)' }),
  opensAt: Nullable(Type.String({ format: 'date-time', description: 'closed: when the team is back' })),
  timeZone: Nullable(Type.String()),
  firstResponse: Nullable(Type.String({ description: 'the first-response promise of a usual chat (priority 3), ISO 8601 (PT4H)' })),
  businessTime: Type.Boolean({ description: 'whether that promise counts business hours only' }),
});

/** Public: what the chat widget (or a contact page) tells customers before they write. */
export function registerAvailabilityRoutes(app: FastifyInstance, availability: AvailabilityService, perMinute: number): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/chat/availability',
    {
      // unauthenticated: limited per address like the chat's own public routes (PUBLIC_RATE_LIMIT)
      config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Whether the team is in, when it is back, and how soon a usual chat is answered (public, for the widget)',
        tags: ['chat'],
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: AvailabilitySchema, ...errorResponses(400, 429) },
      },
    },
    async (_req, reply) => {
      // the same for every visitor; a minute old is fresh enough
      reply.header('cache-control', 'public, max-age=60');
      return availability.of('chat');
    },
  );
}
