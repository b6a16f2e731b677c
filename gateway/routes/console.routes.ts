import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { consolePageHeaders } from '../security-headers.ts';

// the workspace as Vite builds it (npm install, npm start and npm run build build it): web/dist beside gateway/
const BUILT = fileURLToPath(new URL('../../web/dist/', import.meta.url));
// Vite names every asset by its content: a changed file is a new name, so browsers may keep each for good
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Public: the page holds no data until the person signs in. */
const page = (summary: string) => ({ summary, tags: ['ops'] });

/** The workspace at /console/: its page (with the page's own security policy) and its built script and style files. */
export async function registerConsoleRoutes(app: FastifyInstance): Promise<void> {
  const built = fs.existsSync(`${BUILT}index.html`);
  const html = built ? fs.readFileSync(`${BUILT}index.html`, 'utf8') : null;
  app.get('/console/', { helmet: consolePageHeaders, schema: page('The workspace (HTML): sign-in, inbox, cases') }, async (_req, reply) => {
    if (!html) return reply.code(503).type('text/plain; charset=utf-8').send('The workspace is not built: run `npm run build:web`.');
    return reply.type('text/html; charset=utf-8').send(html);
  });
  app.get('/console', { schema: page('Redirects to /console/') }, async (_req, reply) => reply.redirect('/console/'));
  if (!built) {
    app.log.error('the workspace is not built (web/dist is missing): /console/ answers 503 until `npm run build:web`');
    return;
  }
  await app.register(fastifyStatic, {
    root: `${BUILT}assets`,
    prefix: '/console/assets/',
    index: false,
    list: false,
    dotfiles: 'ignore',
    cacheControl: false,
    // the build leaves a brotli and a gzip copy beside each file: about a third of its size on the wire
    preCompressed: true,
    setHeaders: (res) => void res.header('cache-control', IMMUTABLE),
  });
}
