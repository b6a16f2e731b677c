import type { ChannelPlugin } from '../channels/channel.types.ts';

const STORE_TIMEOUT_MS = 1000;
const REUSE_MS = 500;

export interface ReadinessReport {
  ready: boolean;
  /** check name → "ok", or a few fixed words saying what is wrong */
  checks: Record<string, string>;
}

export interface ReadinessDeps {
  /** resolves once the store took a (trivial) write */
  probeStore: () => Promise<void>;
  channels: ReadonlyMap<string, ChannelPlugin>;
  /** a store that does not answer within this is not ready (a load balancer's probe gives up soon too) */
  timeoutMs?: number;
  log: { warn(obj: object, msg: string): void };
}

/**
 * Whether this instance can take traffic: the store answers, and every listener a running channel keeps
 * (SMTP, Slack's Socket Mode) is up. HTTP needs no check: the answer itself proves it.
 */
export function createReadinessCheck(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  // /readyz is public: probes arriving together, or within REUSE_MS, share one store check instead of
  // each queueing a write
  let last: { at: number; result: Promise<string> } | undefined;
  const database = () => {
    const now = Date.now();
    if (!last || now - last.at >= REUSE_MS) last = { at: now, result: storeCheck(deps) };
    return last.result;
  };
  return async () => {
    const checks: Record<string, string> = { database: await database(), http: 'ok' };
    for (const channel of deps.channels.values()) {
      const status = channel.enabled ? channel.readiness?.() : undefined;
      if (status) checks[status.check] = status.ready ? 'ok' : (status.reason ?? 'not ready');
    }
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  };
}

async function storeCheck(deps: ReadinessDeps): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), deps.timeoutMs ?? STORE_TIMEOUT_MS);
  });
  try {
    const probe = deps.probeStore().then(
      () => 'ok',
      (err: unknown) => {
        // the error goes to the log only: the public answer names no paths or driver messages
        deps.log.warn({ err }, 'readiness: the store did not take a write');
        return 'unavailable';
      },
    );
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
