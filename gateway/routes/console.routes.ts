import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';

const CONSOLE_HTML = fs.readFileSync(new URL('../console/console.html', import.meta.url), 'utf8');

/** The agents' web console: one static page that talks to the API and the agent stream with the agent's token. */
export function registerConsoleRoutes(app: FastifyInstance): void {
  app.get('/console/', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:")
      .header('referrer-policy', 'no-referrer')
      .send(CONSOLE_HTML),
  );
  app.get('/console', async (_req, reply) => reply.redirect('/console/'));
}
