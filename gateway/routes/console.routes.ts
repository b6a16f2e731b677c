import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ASSET_CACHE_CONTROL, consolePageHeaders } from '../security-headers.ts';

const read = (name: string) => fs.readFileSync(new URL(`../console/${name}`, import.meta.url), 'utf8');
const CONSOLE_HTML = read('console.html');
const ASSETS = [
  { name: 'console.js', type: 'application/javascript; charset=utf-8', body: read('console.js') },
  { name: 'console.css', type: 'text/css; charset=utf-8', body: read('console.css') },
];

/** Public: the page holds no data until the agent gives it a token. */
const page = (summary: string) => ({ summary, tags: ['ops'] });

/** The agents' web console: one static page that talks to the API and the agent stream with the agent's token. */
export function registerConsoleRoutes(app: FastifyInstance): void {
  app.get('/console/', { helmet: consolePageHeaders, schema: page('The agents’ web console (HTML); the agent types their token in it') }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(CONSOLE_HTML));
  app.get('/console', { schema: page('Redirects to /console/') }, async (_req, reply) => reply.redirect('/console/'));
  for (const asset of ASSETS) {
    app.get(`/console/${asset.name}`, { schema: page(`The console’s ${asset.name}`) }, async (_req, reply) => reply.type(asset.type).header('cache-control', ASSET_CACHE_CONTROL).send(asset.body));
  }
}
