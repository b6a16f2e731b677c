import fs from 'node:fs';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';

const read = (name: string) => fs.readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const WIDGET_HTML = read('widget.html');
const ASSETS = [
  { name: 'widget.js', type: 'application/javascript; charset=utf-8', body: read('widget.js') },
  { name: 'widget.css', type: 'text/css; charset=utf-8', body: read('widget.css') },
];
/** The page itself is never cached, so a new version reaches visitors within these five minutes. */
const ASSET_CACHE_CONTROL = 'public, max-age=300';

/** The chat widget's page at `/chat/` with its script and style files; `headers` are the page's security headers. */
export function registerWidgetPage(app: FastifyInstance, headers: RouteShorthandOptions['helmet']): void {
  app.get('/chat/', { helmet: headers }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(WIDGET_HTML));
  app.get('/chat', async (_req, reply) => reply.redirect('/chat/'));
  for (const asset of ASSETS) {
    app.get(`/chat/${asset.name}`, async (_req, reply) => reply.type(asset.type).header('cache-control', ASSET_CACHE_CONTROL).send(asset.body));
  }
}
