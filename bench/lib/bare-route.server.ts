/**
 * The ceiling: Fastify with one route that reads the body and answers as the SMS webhook does, with no
 * work in between. Run as its own process by bare-route.ts, on the PORT it is given.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
// every body is read whole, as the gateway's parsers read theirs
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/*', async (_req, reply) => reply.code(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>'));
app.get('/healthz', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
