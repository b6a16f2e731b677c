import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Authenticator } from '../auth.ts';
import { actorName } from '../auth.ts';
import type { ChannelOverviewService } from '../channel-admin/channel-overview.service.ts';
import { bearer, errorResponses } from '../schemas/common.schema.ts';
import { ChannelOverviewList, ChannelParams, ChannelTestBody, ChannelTestResult } from '../schemas/channel.schema.ts';

/** The channels' setup as admins see it, and a test message through one. */
export function registerChannelRoutes(app: FastifyInstance, channels: ChannelOverviewService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ops'];

  api.get(
    '/api/v1/channels',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Each channel: on or off (and why), settings missing, the URLs for its provider, what it serves', tags, ...bearer('admin'), response: { 200: ChannelOverviewList, ...errorResponses(401, 403, 429) } },
    },
    async () => ({ items: channels.list() }),
  );

  api.post(
    '/api/v1/channels/:name/test',
    {
      onRequest: auth.require('admin'),
      // each test reaches a provider (and may cost money): a few a minute
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        summary: 'Send a test message through a channel, straight to the provider (nothing is stored)',
        tags,
        ...bearer('admin'),
        params: ChannelParams,
        body: ChannelTestBody,
        response: { 200: ChannelTestResult, ...errorResponses(400, 401, 403, 404, 409, 415, 429, 502) },
      },
    },
    async (req) => channels.test(req.params.name, req.body.to.trim(), actorName(req.actor!)),
  );
}
