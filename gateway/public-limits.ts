import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { errorBody } from './errors.ts';

export interface PublicLimits {
  /** requests per minute per client address on each provider webhook */
  webhookPerMinute: number;
  /** failed authentications per minute per client address before that address is refused for the rest of the minute */
  authFailuresPerMinute: number;
}

const WEBHOOK_PREFIXES = ['/webhooks/', '/slack/'];
const WINDOW_MS = 60_000;
/** past this many addresses, windows that ended are dropped, so a scan from many addresses cannot grow the map for long */
const MAX_TRACKED = 10_000;

/** load balancers' probes answer whatever else an address did */
const PROBES = new Set(['/healthz', '/readyz']);

const isWebhook = (url: string) => WEBHOOK_PREFIXES.some((p) => url.startsWith(p));

/**
 * Limits on what anyone on the network can reach. Every provider webhook gets a per-address rate limit
 * (through @fastify/rate-limit, which must already be registered); and an address whose requests fail
 * authentication too often — bad bearer tokens, chat tokens, Twilio or Slack signatures — is answered
 * 429 before any hook or body parsing for the rest of the minute.
 */
export function installPublicLimits(app: FastifyInstance, limits: PublicLimits, now: () => number = Date.now): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isWebhook(route.url)) return;
    const config = (route.config ?? {}) as { rateLimit?: unknown };
    if (config.rateLimit === undefined) route.config = { ...config, rateLimit: { max: limits.webhookPerMinute, timeWindow: WINDOW_MS } };
  });

  const failures = new Map<string, { count: number; resetAt: number }>();
  const windowOf = (ip: string) => {
    const t = now();
    let w = failures.get(ip);
    if (!w || w.resetAt <= t) {
      if (failures.size >= MAX_TRACKED) for (const [k, v] of failures) if (v.resetAt <= t) failures.delete(k);
      w = { count: 0, resetAt: t + WINDOW_MS };
      failures.set(ip, w);
    }
    return w;
  };
  const authFailed = (req: FastifyRequest, status: number) =>
    status === 401 || (status === 403 && isWebhook(req.routeOptions.url ?? req.url));

  app.addHook('onRequest', async (req, reply) => {
    if (PROBES.has(req.url)) return;
    const w = failures.get(req.ip);
    if (!w || w.count < limits.authFailuresPerMinute || w.resetAt <= now()) return;
    const seconds = Math.ceil((w.resetAt - now()) / 1000);
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .send(errorBody('RATE_LIMITED', `too many failed authentications from this address; try again in ${seconds} s`));
  });
  app.addHook('onResponse', async (req, reply) => {
    if (authFailed(req, reply.statusCode)) windowOf(req.ip).count++;
  });
}
