/**
 * HTTP load with autocannon, from the benchmark process (never the server's): a fixed number of
 * requests over a fixed number of keep-alive connections, each sending as soon as its last answer
 * came (closed loop). Fixed rates are offered by open-loop.ts.
 */
import autocannon from 'autocannon';
import { round } from './stats.ts';

export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  amount: number;
  /** called once per request, just before it is written to its connection */
  next: () => LoadRequest;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** from the start to the last response */
  seconds: number;
  /** 2xx responses per second */
  perSecond: number;
  /** ms, as autocannon measured them */
  latencyMs: { p50: number; p99: number; max: number };
  /** Date.now() at the start */
  startedAt: number;
}

export async function drive(opts: LoadOptions): Promise<LoadResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  // autocannon's own duration is counted in whole samples; time the last answer here
  let last = t0;
  const result = await autocannon({
    url: opts.url,
    // autocannon refuses more connections than requests
    connections: Math.min(opts.connections, opts.amount),
    amount: opts.amount,
    timeout: 30,
    // a run with `amount` ends at the first sample after the last answer: sample often so it ends promptly
    sampleInt: 50,
    requests: [
      {
        // keep autocannon's defaults (host, port) and replace what one request carries
        setupRequest: (req) => ({ ...req, ...opts.next() }),
        onResponse: () => {
          last = performance.now();
        },
      },
    ],
  });
  const seconds = (last - t0) / 1000;
  return {
    requests: result['2xx'] + result.non2xx,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: round(seconds, 3),
    perSecond: round(result['2xx'] / seconds, 0),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    startedAt,
  };
}
