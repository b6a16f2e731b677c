/**
 * Starts the real gateway as a child process on loopback with a fresh data directory, the way
 * `npm start` does, so a benchmark measures it from outside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  /** the server's SQLite file, for read-only progress probes */
  dbFile: string;
  child: ChildProcess;
  /** milliseconds from spawn to the first successful GET /healthz */
  startupMs: number;
  /** resident set size of the server process now, in MB (Linux /proc) */
  rssMb(): number;
  /** the highest resident set size the process has had so far (VmHWM), in MB */
  peakRssMb(): number;
  /** CPU time the server process has used so far (user + system), in seconds (Linux /proc) */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token';
export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A field of /proc/<pid>/status in MB, NaN once the process is gone. */
export function procStatusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds (user + system) a process has used, from /proc/<pid>/stat; NaN once it is gone. Throughput
 * on a shared machine swings with its neighbours; the CPU a message costs the server moves far less.
 */
export function procCpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

// USER_HZ, the unit of /proc's times: 100 on every Linux build that matters here
const CLOCK_TICKS = 100;

/** Waits until GET `url` answers 2xx, or fails when the child exits or 60 s pass. */
export async function waitUntilUp(child: ChildProcess, url: string, since: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before it was up`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > 60_000) throw new Error(`${url} did not come up within 60 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startServer(opts: ServerOptions = {}): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'gateway/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      SMTP_PORT: '0',
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(child, `${url}/healthz`, started);
  const startupMs = performance.now() - started;
  return {
    url,
    port,
    dataDir,
    dbFile: path.join(dataDir, 'switchboard.db'),
    child,
    startupMs,
    rssMb: () => procStatusMb(child.pid, 'VmRSS'),
    peakRssMb: () => procStatusMb(child.pid, 'VmHWM'),
    cpuSeconds: () => procCpuSeconds(child.pid),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
