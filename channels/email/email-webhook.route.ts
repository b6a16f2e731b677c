/**
 * POST /webhooks/email: raw MIME (Content-Type: message/rfc822) behind a bearer token, answered 202
 * {interactionId, duplicate} once ingested. Registered in its own Fastify scope so its body parser,
 * auth hook and error format touch no other route. Without a configured token it answers 503
 * EMAIL_WEBHOOK_NOT_CONFIGURED.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { EMAIL_ERRORS, EmailInboundError, errorBody, type EmailErrorKey } from './email.errors.ts';
import type { InboundOutcome } from './email-inbound.ts';
import { isRefusal } from '../coded-errors.ts';
import { emailWebhookSchema } from './email-webhook.schema.ts';

export const EMAIL_WEBHOOK_PATH = '/webhooks/email';

export interface WebhookOptions {
  token?: string;
  maxBytes: number;
  receive(raw: Buffer): Promise<InboundOutcome>;
}

export async function registerEmailWebhook(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: opts.maxBytes }, (_req, body, done) => done(null, body));

    // before the body is read: an unauthenticated caller never makes us buffer 25 MB
    scope.addHook('onRequest', async (req, reply) => {
      if (!opts.token) return send(reply, 'WEBHOOK_NOT_CONFIGURED');
      if (!bearerMatches(req.headers.authorization, opts.token)) return send(reply, 'UNAUTHORIZED');
    });

    scope.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err instanceof EmailInboundError) return send(reply, err.key);
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 'MESSAGE_TOO_LARGE');
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return send(reply, 'UNSUPPORTED_MEDIA_TYPE');
      if (err.code === 'FST_ERR_CTP_EMPTY_BODY') return send(reply, 'EMPTY_MESSAGE');
      if (isRefusal(err)) {
        return reply.code(err.statusCode).send(errorBody(err.code ?? 'BAD_REQUEST', err.message));
      }
      scope.log.error({ err }, 'email webhook failed');
      return send(reply, 'INTERNAL');
    });

    scope.post(EMAIL_WEBHOOK_PATH, { schema: emailWebhookSchema }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) return send(reply, 'UNSUPPORTED_MEDIA_TYPE');
      const outcome = await opts.receive(req.body);
      if (outcome.ignored) return reply.code(202).send({ ignored: true, reason: outcome.reason });
      return reply.code(202).send({ interactionId: outcome.result.interactionId, duplicate: outcome.result.duplicate });
    });
  });
}

function send(reply: FastifyReply, key: EmailErrorKey): FastifyReply {
  const e = EMAIL_ERRORS[key];
  return reply.code(e.status).send(errorBody(e.code, e.message));
}

/** constant-time: both sides are hashed to equal length before comparing */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/iu.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}
