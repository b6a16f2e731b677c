/**
 * Open-loop HTTP load at a fixed rate: request i is due at start + i/rate whatever happened to the ones
 * before it, and its latency counts from that moment (a stalled server cannot hide its stall by slowing
 * the sender down). autocannon's rate mode fires its connections together in bursts, so its latency at a
 * fixed rate measures the bursts as much as the server. The clock (paceAtRate) also paces the chat load.
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

  await paceAtRate(opts.rate, opts.amount, (_, dueAt) => pending.push(send(dueAt)), t0);
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

/**
 * Calls `fire(i, dueAt)` for i = 0 … amount-1, each at its due time t0 + i/rate (performance.now() ms),
 * whatever became of the ones before; when the loop falls behind, everything overdue leaves at once.
 * Resolves once the last one has been fired, not when their answers are in.
 */
export async function paceAtRate(rate: number, amount: number, fire: (i: number, dueAt: number) => void, t0 = performance.now()): Promise<void> {
  const due = (i: number) => t0 + (i * 1000) / rate;
  let sent = 0;
  while (sent < amount) {
    const now = performance.now();
    // every message whose time has come, then sleep until the next one is due
    while (sent < amount && due(sent) <= now) {
      fire(sent, due(sent));
      sent++;
    }
    const wait = due(sent) - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.max(1, Math.floor(wait))));
    else await new Promise((r) => setImmediate(r));
  }
}
