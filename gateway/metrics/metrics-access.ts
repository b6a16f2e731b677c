import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf } from '../auth.ts';
import { SettingError } from '../../channels/setting-error.ts';

type OnRequest = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** a short shared secret can be guessed */
const MIN_TOKEN_LENGTH = 16;

/** METRICS_TOKEN, checked before anything is opened; unset or empty means none */
export function metricsTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new SettingError('METRICS_TOKEN', `METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return token;
}

/**
 * onRequest hook for `/metrics`: the dedicated metrics token lets a scraper in without an API token;
 * anything else goes through the admin check, which answers 401/403.
 */
export function metricsAccess(metricsToken: string | undefined, requireAdmin: OnRequest): OnRequest {
  const expected = metricsToken ? digest(metricsToken) : null;
  return async (req, reply) => {
    const given = bearerOf(req.headers.authorization);
    // digests have one length, so the comparison's time says nothing about the token's length or content
    if (expected && given && crypto.timingSafeEqual(digest(given), expected)) return;
    await requireAdmin(req, reply);
  };
}

function digest(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}
