import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { databaseLabel, loadConfig, type Config } from './config.ts';
import { loadEnvFile } from './env-file.ts';
import { describeStartupError, type Listener } from './startup-error.ts';
import type { EmailChannel } from '../channels/email/index.ts';

/** A failure a setting explains is one line on stderr and exit code 1; anything else keeps its stack. */
function fail(err: unknown, listeners: Listener[], dataDir: string, generatedToken?: string | null): never {
  const line = describeStartupError(err, listeners, dataDir, config ? databaseLabel(config.databaseUrl) : undefined);
  process.stderr.write(line ? `Switchboard cannot start: ${line}\n` : `Switchboard cannot start:\n${(err as Error)?.stack ?? String(err)}\n`);
  // the token was stored before the failure: printing it now is the only chance to see it
  if (generatedToken) process.stderr.write(`The first admin token was created before the failure; keep it: ${generatedToken}\n`);
  process.exit(1);
}

let envFile: string | null = null;
let config: Config;
try {
  envFile = loadEnvFile();
  config = loadConfig(process.env, { terminal: process.stdout.isTTY === true });
} catch (err) {
  fail(err, [], process.env.DATA_DIR || './data');
}

const listeners: Listener[] = [
  { setting: 'PORT', port: config.port },
  { setting: 'SMTP_PORT', port: Number(process.env.SMTP_PORT || 2525) },
];
const started = performance.now();
let app: FastifyInstance;
try {
  app = await buildApp(config);
} catch (err) {
  fail(err, listeners, config.dataDir);
}
let address: string;
try {
  address = await app.listen({ port: config.port, host: config.host });
} catch (err) {
  const token = app.switchboard.generatedAdminToken;
  await app.close().catch(() => undefined);
  fail(err, listeners, config.dataDir, token);
}

// Handlers go in before the banner: whoever waits for the banner may signal at once.
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

const sb = app.switchboard;
app.log.info({ ms: Math.round(performance.now() - started) }, 'Switchboard is up');
process.stdout.write(`${banner(address).join('\n')}\n`);

/** Every listener, which channels are on and where the settings came from. */
function banner(address: string): string[] {
  const local = config.publicUrl.startsWith('http://127.0.0.1') || config.publicUrl.startsWith('http://localhost');
  const base = local ? address : config.publicUrl;
  const smtp = (sb.channels.get('email') as EmailChannel | undefined)?.smtpAddress();
  const lines = [
    `Switchboard is listening on ${address}`,
    `  console:      ${base}/console/`,
    `  chat widget:  ${base}/chat/`,
    `  API:          ${base}/api/v1/   (reference: ${base}/docs, OpenAPI: ${base}/openapi.json)`,
    `  health:       ${base}/healthz, ${base}/readyz; metrics: ${base}/metrics (admin or METRICS_TOKEN)`,
    `  SMTP inbound: ${smtp ? `${smtp.address}:${smtp.port}` : 'off (SMTP_PORT=0)'}`,
    `  channels:     ${[...sb.channels.values()].map((c) => (c.enabled ? `${c.name} on` : `${c.name} off (${c.disabledReason ?? 'not configured'})`)).join('; ')}`,
    `  database:     ${databaseLabel(config.databaseUrl)}`,
    `  settings:     ${envFile ? `environment and ${envFile}` : 'environment only (no .env file)'}`,
  ];
  if (sb.generatedAdminToken) {
    lines.push(
      '',
      '  First start: an admin token was generated. It is shown only this once:',
      `    ${sb.generatedAdminToken}`,
      '  Lost it? `npm run token -- --role admin` makes another.',
    );
  }
  return lines;
}
