import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, tempDir } from '../support/test-app.ts';
import { TEST_POSTGRES_URL, testDatabaseEnv } from '../support/test-database.ts';
import { freePort } from '../../bench/lib/server-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** tsx's loader by absolute URL: the scripts run in other working directories, where `--import tsx` would not resolve */
const TSX_LOADER = import.meta.resolve('tsx');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of the project as `npm start` would, in `cwd`, until it exits or `until` sees its output. */
function run(script: string, args: string[], opts: { cwd: string; env: Record<string, string>; until?: (stdout: string) => boolean }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { PORT: _p, SMTP_PORT: _s, DATA_DIR: _d, ADMIN_TOKEN: _a, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, script), ...args], { cwd: opts.cwd, env: { ...inherited, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    let stopping = false;
    // generous: with every test file running at once on two cores, a start under tsx can take many seconds
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => {
      out.stdout += d;
      // one SIGTERM, as a service manager sends: a second one landing while the process exits would end it by the signal
      if (!stopping && opts.until?.(out.stdout)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (out.stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...out });
    });
  });
}

function holdPort(port: number): Promise<net.Server> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

const held: net.Server[] = [];
afterAll(() => held.forEach((s) => s.close()));

describe('starting the gateway', { timeout: 150_000 }, () => {
  it('loads .env from the working directory, says so, and lists every listener and channel', async () => {
    const cwd = tempDir('sb-env-');
    const port = await freePort();
    const smtp = await freePort();
    fs.writeFileSync(path.join(cwd, '.env'), `PORT=${port}\nSMTP_PORT=${smtp}\nADMIN_TOKEN=env-file-admin-token\nDATA_DIR=${path.join(cwd, 'data')}\n`);
    const res = await run('gateway/server.ts', [], { cwd, env: {}, until: (s) => s.includes('database:') && s.includes('settings:') });
    expect(res.stdout).toContain(`Switchboard is listening on http://127.0.0.1:${port}`);
    expect(res.stdout).toContain(`SMTP inbound: 127.0.0.1:${smtp}`);
    expect(res.stdout).toContain(`console:      http://127.0.0.1:${port}/console/`);
    expect(res.stdout).toMatch(/channels: +chat on; email on; sms off \(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM not set\); slack off/);
    expect(res.stdout).toContain(`settings:     environment and ${path.join(cwd, '.env')}`);
    // ADMIN_TOKEN came from the file: no token is generated
    expect(res.stdout).not.toContain('an admin token was generated');
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 0, signal: null });
  });

  it('a bad setting is one line naming it, and exit code 1', async () => {
    const cwd = tempDir('sb-bad-');
    const res = await run('gateway/server.ts', [], { cwd, env: { OUTBOX_MAX_ATTEMPTS: 'many', DATA_DIR: path.join(cwd, 'data') } });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('Switchboard cannot start: OUTBOX_MAX_ATTEMPTS must be a number ≥ 1, got "many"\n');
    const level = await run('gateway/server.ts', [], { cwd, env: { LOG_LEVEL: 'loud', DATA_DIR: path.join(cwd, 'data') } });
    expect(level.stderr).toMatch(/^Switchboard cannot start: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n$/);
  });

  it('a database URL of no known engine, or a PostgreSQL server that cannot be reached, is one line naming DATABASE_URL, without the password', async () => {
    const cwd = tempDir('sb-db-');
    const env = { SMTP_PORT: '0', DATA_DIR: path.join(cwd, 'data') };
    const other = await run('gateway/server.ts', [], { cwd, env: { ...env, DATABASE_URL: 'mysql://root@127.0.0.1/switchboard' } });
    expect(other.code).toBe(1);
    expect(other.stderr).toBe('Switchboard cannot start: DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL (PostgreSQL)\n');
    const closed = await freePort();
    const away = await run('gateway/server.ts', [], { cwd, env: { ...env, DATABASE_URL: `postgres://sb:hunter2@127.0.0.1:${closed}/switchboard` } });
    expect(away.code).toBe(1);
    expect(away.stderr).toBe(`Switchboard cannot start: DATABASE_URL: cannot reach the database at postgres://sb:***@127.0.0.1:${closed}/switchboard (ECONNREFUSED)\n`);
  });

  it('npm run db:status lists pending migrations (exit 1) until npm run db:migrate applies them', async () => {
    const cwd = tempDir('sb-migrate-');
    const env = { DATA_DIR: path.join(cwd, 'data'), ...(await testDatabaseEnv(cwd)) };
    const names = fs.readdirSync(path.join(ROOT, 'store', 'migrations', TEST_POSTGRES_URL ? 'postgres' : 'sqlite')).filter((d) => /^\d+_/.test(d)).sort();
    const before = await run('store/scripts/migrate.cli.ts', ['status'], { cwd, env });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('0 migration(s) applied before');
    for (const name of names) expect(before.stdout).toContain(`pending: ${name}`);
    const applied = await run('store/scripts/migrate.cli.ts', ['migrate'], { cwd, env });
    expect(applied.code).toBe(0);
    for (const name of names) expect(applied.stdout).toContain(`applied now: ${name}`);
    const after = await run('store/scripts/migrate.cli.ts', ['status'], { cwd, env });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`${names.length} migration(s) applied before`);
    expect(after.stdout).toContain('the database is up to date');
    const unknown = await run('store/scripts/migrate.cli.ts', ['drop'], { cwd, env });
    expect(unknown.code).toBe(2);
  });

  it("a bad channel setting on the first start stops it before the first admin token is made, so the next start still shows one", async () => {
    const cwd = tempDir('sb-first-');
    const env = { PORT: String(await freePort()), SMTP_PORT: '0', DATA_DIR: path.join(cwd, 'data') };
    const bad = await run('gateway/server.ts', [], { cwd, env: { ...env, SUPPORT_EMAIL: 'support+x@acme.test' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Switchboard cannot start: SUPPORT_EMAIL must be one or more email addresses without "\+"/);
    const good = await run('gateway/server.ts', [], { cwd, env, until: (out) => out.includes('makes another') });
    expect(good.stdout).toContain('First start: an admin token was generated');
  });

  it('a taken HTTP port is one line naming PORT, and the first admin token made before the failure is still shown', async () => {
    const cwd = tempDir('sb-port-');
    const port = await freePort();
    held.push(await holdPort(port));
    const res = await run('gateway/server.ts', [], { cwd, env: { PORT: String(port), SMTP_PORT: '0', DATA_DIR: path.join(cwd, 'data') } });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toBe(`Switchboard cannot start: PORT: 127.0.0.1:${port} is already in use; stop what holds it or set PORT to a free port`);
    expect(lines[1]).toMatch(/^The first admin token was created before the failure; keep it: sb_\S+$/);
    expect(lines).toHaveLength(2);
  });

  it('a taken SMTP port is one line naming SMTP_PORT', async () => {
    const cwd = tempDir('sb-smtp-');
    const smtp = await freePort();
    held.push(await holdPort(smtp));
    const res = await run('gateway/server.ts', [], { cwd, env: { PORT: String(await freePort()), SMTP_PORT: String(smtp), ADMIN_TOKEN: 'x-admin-token', DATA_DIR: path.join(cwd, 'data') } });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`Switchboard cannot start: SMTP_PORT: 127.0.0.1:${smtp} is already in use; stop what holds it or set SMTP_PORT to a free port\n`);
  });
});

describe('npm run token', { timeout: 150_000 }, () => {
  it('creates a token in the data directory that the gateway then accepts', async () => {
    const dataDir = tempDir('sb-token-');
    const res = await run('gateway/cli/token.cli.ts', ['--role', 'admin', '--label', 'recovery'], { cwd: dataDir, env: { DATA_DIR: dataDir, ...(await testDatabaseEnv(dataDir)) } });
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    expect(token).toMatch(/^sb_[\w-]{20,}$/);
    expect(res.stderr).toContain('shown only this once');
    const t = await startApp({}, {}, dataDir);
    try {
      expect((await t.api('GET', '/api/v1/me', undefined, token)).body).toMatchObject({ role: 'admin' });
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown role or option with its usage, and creates nothing', async () => {
    const dataDir = tempDir('sb-token-');
    const bad = await run('gateway/cli/token.cli.ts', ['--role', 'owner'], { cwd: dataDir, env: { DATA_DIR: dataDir } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role must be one of agent, supervisor, admin');
    const unknown = await run('gateway/cli/token.cli.ts', ['--role', 'admin', '--forever'], { cwd: dataDir, env: { DATA_DIR: dataDir } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: npm run token');
    expect(fs.existsSync(path.join(dataDir, 'switchboard.db'))).toBe(false);
  });
});
