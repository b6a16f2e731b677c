import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const started = performance.now();
const app = await buildApp(config);
const address = await app.listen({ port: config.port, host: config.host });
const base = config.publicUrl.startsWith('http://127.0.0.1') || config.publicUrl.startsWith('http://localhost') ? address : config.publicUrl;
const sb = app.switchboard;
app.log.info({ ms: Math.round(performance.now() - started) }, 'Switchboard is up');
const lines = [
  `Switchboard is listening on ${address}`,
  `  chat widget:  ${base}/chat/`,
  `  API:          ${base}/api/v1/cases   (OpenAPI: ${base}/openapi.json)`,
  `  health:       ${base}/healthz`,
  `  database:     ${config.databaseUrl}`,
];
if (sb.generatedAdminToken) {
  lines.push('', `  First start: an admin token was generated. It is shown only this once:`, `    ${sb.generatedAdminToken}`);
}
process.stdout.write(`${lines.join('\n')}\n`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new requests, finishing work in hand');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
