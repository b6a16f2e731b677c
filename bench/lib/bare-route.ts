/** Runs bare-route.server.ts as a child process, like the gateway, so both are measured the same way. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, procStatusMb, ROOT, waitUntilUp } from './server-process.ts';

export interface BareRouteProcess {
  url: string;
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startBareRoute(): Promise<BareRouteProcess> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bare-route.server.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(child, `${url}/healthz`, started);
  return {
    url,
    peakRssMb: () => procStatusMb(child.pid, 'VmHWM'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
