/**
 * `npm run build` compiles the gateway to JavaScript that runs on plain Node (no tsx): built into a
 * temporary folder, started, it migrates a fresh database and serves the API, the console and the widget.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ADMIN, tempDir } from '../support/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('the production build', () => {
  it('compiles, starts without tsx, and serves the API, the console and the chat widget', async () => {
    const out = tempDir('sb-dist-');
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT });
    await run(process.execPath, [path.join(ROOT, 'scripts/copy-assets.mjs'), out], { cwd: ROOT });
    // the dependencies, where dist/ finds them in the project
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'));

    const dataDir = tempDir('sb-dist-data-');
    const { TSX_TSCONFIG_PATH: _t, NODE_OPTIONS: _n, ...env } = process.env;
    const child = spawn(process.execPath, [path.join(out, 'gateway/server.js')], {
      cwd: dataDir,
      env: { ...env, DATA_DIR: dataDir, PORT: '0', SMTP_PORT: '0', ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no listening line within 30 s: ${text}`)), 30_000);
        child.stdout!.on('data', (d) => {
          text += d;
          const m = /listening on (http:\/\/[\d.:]+)/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.stderr!.on('data', (d) => (text += d));
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const queues = await fetch(`${url}/api/v1/queues`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(queues.status).toBe(200);
      expect(((await queues.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      for (const page of ['/console/', '/chat/']) {
        const res = await fetch(url + page);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('<html');
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  }, 120_000);
});
