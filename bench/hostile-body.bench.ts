/**
 * What hostile bodies cost a real server process, measured from outside:
 *   - unauthenticated `PATCH /api/v1/rules` with 16 MB of nested brackets, several at once: time to
 *     the 401's first byte, while `/healthz` is polled every 5 ms (its worst latency shows any block
 *     of the event loop), and the server's peak RSS;
 *   - an admin's body of 1,000,000 brackets (under the route's 1 MB limit): time to its 400.
 */
import net from 'node:net';
import { BENCH_ADMIN_TOKEN, startServer } from './lib/server-process.ts';
import { percentile, round } from './lib/stats.ts';

export interface HostileBodyResult {
  requests: number;
  bodyMb: number;
  toAnswerMs: { p50: number; max: number };
  statuses: Record<string, number>;
  healthzMs: { p50: number; max: number; polls: number };
  rssMb: { before: number; peak: number };
  nestedAdmin: { statuses: Record<string, number>; p50: number; max: number };
}

/** Writes the whole declared body as fast as the socket takes it; resolves at the first byte of the answer. */
function hostileRequest(port: number, head: string[], bodyBytes: number): Promise<{ ms: number; status: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, '[');
    let sent = 0;
    let done = false;
    const pump = () => {
      while (!done && sent < bodyBytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.once('data', (d) => {
      done = true;
      resolve({ ms: performance.now() - t0, status: d.toString('latin1').split(' ')[1] ?? '?' });
      socket.destroy();
    });
    socket.on('error', (err) => {
      if (!done) reject(err);
    });
    socket.write([...head, `Content-Length: ${bodyBytes}`, 'Content-Type: application/json', 'Host: bench', '', ''].join('\r\n'));
    pump();
  });
}

export async function benchHostileBody(opts: { requests: number; bodyMb: number; nested: number }): Promise<HostileBodyResult> {
  // every unauthenticated request counts as a failed authentication: the limit is raised so all of them reach auth
  const server = await startServer({ env: { AUTH_FAILURE_LIMIT: '1000000' } });
  try {
    const rssBefore = server.rssMb();
    const polls: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        await fetch(`${server.url}/healthz`);
        polls.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const bytes = opts.bodyMb * 1024 * 1024;
    const answers = await Promise.all(Array.from({ length: opts.requests }, () => hostileRequest(server.port, ['PATCH /api/v1/rules HTTP/1.1'], bytes)));
    polling = false;
    await poller;

    const nestedMs: number[] = [];
    const nestedStatuses: Record<string, number> = {};
    const nested = `{"rules":${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
    for (let i = 0; i < opts.nested; i++) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/rules`, { method: 'PATCH', headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: nested });
      await res.arrayBuffer();
      nestedMs.push(performance.now() - t0);
      nestedStatuses[res.status] = (nestedStatuses[res.status] ?? 0) + 1;
    }

    const statuses: Record<string, number> = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const ms = answers.map((a) => a.ms);
    return {
      requests: opts.requests,
      bodyMb: opts.bodyMb,
      toAnswerMs: { p50: round(percentile(ms, 50), 1), max: round(Math.max(...ms), 1) },
      statuses,
      healthzMs: { p50: round(percentile(polls, 50), 1), max: round(Math.max(...polls), 1), polls: polls.length },
      rssMb: { before: round(rssBefore, 0), peak: round(server.peakRssMb(), 0) },
      nestedAdmin: { statuses: nestedStatuses, p50: round(percentile(nestedMs, 50), 1), max: round(Math.max(...nestedMs), 1) },
    };
  } finally {
    await server.stop();
  }
}
