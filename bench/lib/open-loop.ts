/**
 * Open-loop HTTP load at a fixed rate: request i is due at start + i/rate whatever happened to the ones
 * before it, and its latency counts from that moment (a stalled server cannot hide its stall by slowing
 * the sender down). autocannon's rate mode fires its connections together in bursts, so its latency at a
 * fixed rate measures the bursts as much as the server.
 */
import http from 'node:http';
import type { LoadRequest, LoadResult } from './load-driver.ts';
import { round, spread } from './stats.ts';

export interface OpenLoopOptions {
  url: string;
  rate: number;
  amount: number;
  /** called once per request, at its due time */
  next: () => LoadRequest;
}

export async function driveAtRate(opts: OpenLoopOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let last = 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  const pending: Array<Promise<void>> = [];

  const send = (dueAt: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const r = opts.next();
      const req = http.request(
        { host: target.hostname, port: target.port, method: r.method, path: r.path, headers: r.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            last = performance.now();
            latencies.push(last - dueAt);
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else non2xx++;
            resolve();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });

  let sent = 0;
  while (sent < opts.amount) {
    const now = performance.now();
    // every request whose time has come, then sleep until the next one is due
    while (sent < opts.amount && t0 + (sent * 1000) / opts.rate <= now) {
      pending.push(send(t0 + (sent * 1000) / opts.rate));
      sent++;
    }
    const wait = t0 + (sent * 1000) / opts.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.max(1, Math.floor(wait))));
    else await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pending);
  agent.destroy();
  const seconds = (last - t0) / 1000;
  const { p50, p99, max } = spread(latencies);
  return {
    requests: ok + non2xx,
    ok,
    non2xx,
    errors,
    seconds: round(seconds, 3),
    perSecond: round(ok / seconds, 0),
    latencyMs: { p50, p99, max },
    startedAt,
  };
}
