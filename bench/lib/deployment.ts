/**
 * What a scenario runs against: one gateway on SQLite (the default), or one or two gateways on a fresh
 * PostgreSQL database behind a round-robin front. The front is a TCP proxy on loopback: each new
 * connection goes to the next instance, and stays there (HTTP keep-alive and WebSockets alike), as a
 * layer-4 load balancer would do it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { PipelineProbe, type Completion } from './pipeline-probe.ts';
import { freePort, procCpuSeconds, startServer, type ServerOptions, type ServerProcess } from './server-process.ts';
import { sleep } from './stats.ts';

export type Engine = 'sqlite' | 'postgres';

export interface DeploymentOptions extends ServerOptions {
  engine?: Engine;
  instances?: number;
}

/** What a scenario reads of the store while it runs. */
export interface StoreProbe {
  waitProcessed(expected: number, timeoutMs: number, since?: number): Promise<Completion>;
  offeredOrAssigned(): Promise<number>;
  /** every SLA breach written on a timeline: when it was due (from its text) and when it was fired (its time) */
  slaBreaches(): Promise<Array<{ dueAt: number; firedAt: number }>>;
  close(): Promise<void>;
}

/** The due time in an SLA breach's timeline text: "SLA first response breached (policy P, due <ISO>)…". */
export function breachOf(text: string, createdAt: number): { dueAt: number; firedAt: number } | null {
  const due = /\bbreached \(policy .*, due ([0-9T:.\-]+Z)\)/.exec(text);
  return due ? { dueAt: Date.parse(due[1]!), firedAt: createdAt } : null;
}

export interface Deployment {
  /** where clients go: the one server, or the front */
  url: string;
  probe: StoreProbe;
  /** CPU seconds of every gateway process so far */
  cpuSeconds(): number;
  /** CPU seconds of the PostgreSQL server's processes so far (NaN on SQLite) */
  databaseCpuSeconds(): number;
  /** the largest peak RSS of the gateway processes, MB */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** The PostgreSQL server the PostgreSQL scenarios create their databases on (a user allowed to), if any. */
export function benchPostgresUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

export async function startDeployment(o: DeploymentOptions = {}): Promise<Deployment> {
  if ((o.engine ?? 'sqlite') === 'sqlite') {
    const server = await startServer(o);
    const local = new PipelineProbe(server.dbFile);
    const probe: StoreProbe = {
      waitProcessed: (expected, timeoutMs, since) => local.waitProcessed(expected, timeoutMs, since),
      offeredOrAssigned: async () => local.offeredOrAssigned(),
      slaBreaches: async () => local.slaEvents().flatMap((r) => breachOf(r.text, Date.parse(r.createdAt)) ?? []),
      close: async () => local.close(),
    };
    return {
      url: server.url,
      probe,
      cpuSeconds: () => server.cpuSeconds(),
      databaseCpuSeconds: () => NaN,
      peakRssMb: () => server.peakRssMb(),
      async stop() {
        await probe.close();
        await server.stop();
      },
    };
  }
  const admin = benchPostgresUrl();
  if (!admin) throw new Error('the PostgreSQL scenarios need BENCH_DATABASE_URL (or TEST_DATABASE_URL)');
  const name = `sb_bench_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const env = { ...o.env, DATABASE_URL: url.toString() };
  const servers: ServerProcess[] = [];
  // one after the other: the first applies the migrations
  for (let i = 0; i < (o.instances ?? 1); i++) servers.push(await startServer({ ...o, env }));
  const front = servers.length > 1 ? await roundRobinFront(servers.map((s) => s.port)) : null;
  const probe = await postgresProbe(url.toString());
  return {
    url: front?.url ?? servers[0]!.url,
    probe,
    cpuSeconds: () => servers.reduce((sum, s) => sum + s.cpuSeconds(), 0),
    databaseCpuSeconds: postgresCpuSeconds,
    peakRssMb: () => Math.max(...servers.map((s) => s.peakRssMb())),
    async stop() {
      await probe.close();
      await front?.close();
      await Promise.all(servers.map((s) => s.stop()));
      await adminQuery(admin, `DROP DATABASE IF EXISTS "${name}"`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Each new connection to the front goes to the next port in turn, byte for byte. */
async function roundRobinFront(ports: number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(ports[next++ % ports.length]!, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.setNoDelay(true);
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The probe over PostgreSQL: the same questions as the SQLite one, asked of the server. */
async function postgresProbe(url: string): Promise<StoreProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const count = async () =>
    (
      await client.query<{ stored: number; waiting: number }>(
        `SELECT count(*)::int AS stored, count(*) FILTER (WHERE status = 'received')::int AS waiting FROM "Interaction" WHERE direction = 'inbound'`,
      )
    ).rows[0]!;
  return {
    async waitProcessed(expected, timeoutMs, since = Date.now()) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { stored, waiting } = await count();
        if (stored >= expected && waiting === 0) break;
        if (Date.now() > deadline) throw new Error(`the pipeline left ${waiting} of ${stored} messages unprocessed after ${timeoutMs} ms`);
        await sleep(20);
      }
      const rows = (
        await client.query<{ c: Date; p: Date }>(`SELECT "createdAt" AS c, "processedAt" AS p FROM "Interaction" WHERE direction = 'inbound' AND "processedAt" IS NOT NULL`)
      ).rows;
      const waitMs: number[] = [];
      let doneAt = since;
      for (const r of rows) {
        if (r.c.getTime() < since) continue;
        waitMs.push(r.p.getTime() - r.c.getTime());
        doneAt = Math.max(doneAt, r.p.getTime());
      }
      const cases = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Case"`)).rows[0]!.n;
      return { doneAt, processed: waitMs.length, waitMs, cases };
    },
    async offeredOrAssigned() {
      return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Case" WHERE "offeredToId" IS NOT NULL OR "assigneeId" IS NOT NULL`)).rows[0]!.n;
    },
    async slaBreaches() {
      const rows = (await client.query<{ text: string; at: Date }>(`SELECT text, "createdAt" AS at FROM "Interaction" WHERE direction = 'event' AND text LIKE 'SLA %'`)).rows;
      return rows.flatMap((r) => breachOf(r.text, r.at.getTime()) ?? []);
    },
    close: () => client.end(),
  };
}

/** CPU seconds (user + system) of every process named postgres on this machine: the server and its backends. */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const cpu = comm === 'postgres' ? procCpuSeconds(Number(pid)) : NaN;
    if (Number.isFinite(cpu)) total += cpu;
  }
  return total;
}

/** The database server's CPU per message, for a scenario's details (nothing on SQLite, whose work is in the gateway's process). */
export function databaseCpuDetails(seconds: number, messages: number): Record<string, number> {
  return Number.isFinite(seconds) && messages > 0 ? { databaseCpuMsPerMessage: Math.round((seconds * 1000 * 100) / messages) / 100 } : {};
}
