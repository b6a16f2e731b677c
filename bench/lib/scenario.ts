/** What every load scenario reports, and the server settings they share. */
import { round } from './stats.ts';

export interface ScenarioResult {
  id: string;
  title: string;
  /** how many messages went through */
  messages: number;
  /** messages per second through the whole path (processed, sent or delivered, not just acknowledged) */
  perSecond: number;
  /** which latency p50/p99 are of */
  latencyOf: string;
  latencyMs: { p50: number; p99: number };
  peakRssMb: number;
  /** the server's CPU time per message over the measured load, in ms (user + system, all threads) */
  cpuMsPerMessage?: number;
  /** perSecond ÷ the bare route's requests per second, filled in by the run */
  ratio?: number;
  details: Record<string, unknown>;
}

/** A scenario's record from what it measured: msg/s is messages over seconds, RSS in whole MB. */
export function scenarioResult(r: {
  id: string;
  title: string;
  messages: number;
  seconds: number;
  latencyOf: string;
  latency: { p50: number; p99: number };
  peakRssMb: number;
  /** the server's CPU seconds spent during the measured load */
  serverCpuSeconds?: number;
  details: Record<string, unknown>;
}): ScenarioResult {
  return {
    id: r.id,
    title: r.title,
    messages: r.messages,
    perSecond: round(r.messages / r.seconds, 0),
    latencyOf: r.latencyOf,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    peakRssMb: round(r.peakRssMb, 0),
    ...(r.serverCpuSeconds === undefined ? {} : { cpuMsPerMessage: round((r.serverCpuSeconds * 1000) / r.messages, 2) }),
    details: r.details,
  };
}

/**
 * Limits the benchmark raises so it measures the pipeline, not the abuse protection: every request comes
 * from one loopback address (per-address limits), chat clients send as fast as acks come back, and the
 * SMS pacing (1/s per number by default, as carriers require) would otherwise be all the outbox measures.
 * Everything else, SQLITE_SYNCHRONOUS=FULL included, stays at its default; logs are at warn.
 */
export const RAISED_LIMITS: Record<string, string> = {
  PUBLIC_RATE_LIMIT: '1000000',
  CHAT_MESSAGES_PER_SECOND: '100000',
  CHAT_BURST: '100000',
  SMS_RATE_PER_SECOND: '100000',
  SMS_ACCOUNT_RATE_PER_SECOND: '100000',
};

/** Agents online in every queue with room for every case, so each new case gets an offer. */
export const STAFF = { agents: 20, capacity: 1000 };

export interface RunContext {
  short: boolean;
  /** when set, servers run with --cpu-prof and write their profiles (one per thread) here */
  profileDir?: string;
}

export function profileArgs(ctx: RunContext): string[] {
  return ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`] : [];
}

/**
 * Messages sent before the measured load, from other customers: the first requests of a fresh process
 * pay for lazy module loading and the JIT, which a server that has been up for a while does not.
 */
export function warmUpCount(ctx: RunContext): number {
  return ctx.short ? 10 : 200;
}
