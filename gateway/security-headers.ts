import helmet from '@fastify/helmet';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';

/** Headers a route declares as its `helmet` option, in place of the defaults below. */
export type RouteSecurityHeaders = Exclude<RouteShorthandOptions['helmet'], false | undefined>;

/** How long browsers may keep the pages' script and style files. */
export const ASSET_CACHE_CONTROL = 'public, max-age=300';

/**
 * Security headers on every answer, through helmet: `nosniff`, `Referrer-Policy: no-referrer`, HSTS,
 * cross-origin isolation headers, and — right for JSON — a policy that loads nothing and may not be
 * framed. A page declares its own policy (see `consolePageHeaders`); one served by a plugin that sets
 * its own Content-Security-Policy header in the handler or `onSend` overrides this one.
 * Answers are `no-store` unless the route says otherwise: they carry cases, tokens and personal data.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
}

/**
 * A page that runs only script and style files of its own origin (no inline code, no inline event
 * handlers) and talks only to its origin: `connect-src 'self'` covers its WebSocket too (CSP level 3).
 */
function pageHeaders(frameAncestors: string[], frameguard: RouteSecurityHeaders['frameguard']): RouteSecurityHeaders {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors,
      },
    },
    frameguard,
  };
}

/** The agents' console may never be framed: a framing page could trick an agent into clicks. */
export const consolePageHeaders = pageHeaders(["'none'"], { action: 'deny' });

/** The chat widget may be framed by its own origin and by `origins` (CHAT_WIDGET_FRAME_ANCESTORS). */
export function widgetPageHeaders(origins: string[]): RouteSecurityHeaders {
  // X-Frame-Options cannot name other origins, and browsers that know frame-ancestors ignore it
  return pageHeaders(["'self'", ...origins], origins.length > 0 ? false : { action: 'sameorigin' });
}
