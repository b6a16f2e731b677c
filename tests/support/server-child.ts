import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ADMIN } from './test-app.ts';
import { testDatabaseEnv } from './test-database.ts';

/** Runs the real server as a separate process, so it can be killed without warning; its database is the test's (`testDatabaseEnv`). */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<{ proc: ChildProcess; url: string }> {
  const database = await testDatabaseEnv(dataDir);
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('gateway/server.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', SMTP_PORT: '0', CHAT_MESSAGES_PER_SECOND: '1000', CHAT_BURST: '1000', ...database, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on('data', (d) => (out += d));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
