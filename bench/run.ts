/**
 * `npm run bench`: every benchmark in one run, against real server processes on loopback.
 *   -- --short      tiny sizes: proves the harness works in seconds (CI runs it)
 *   -- --profile    servers run with --cpu-prof; each scenario's profile is summarised by self time
 *   -- --only a,b   only the scenarios with these ids
 *   -- --scale F    full-mode message counts times F (e.g. 0.2 to compare builds quickly)
 * Results are printed as a table and written to bench/results/<timestamp>.json so runs can be compared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBareRoute } from './bare-route.bench.ts';
import { benchChatConsole } from './chat-console.bench.ts';
import { benchChatInbound } from './chat-inbound.bench.ts';
import { benchChatRoundTrip } from './chat-roundtrip.bench.ts';
import { benchChatSessions } from './chat-sessions.bench.ts';
import { benchHostileBody } from './hostile-body.bench.ts';
import { benchOutbox } from './outbox.bench.ts';
import { benchAssignmentPass } from './assignment-pass.bench.ts';
import { benchRouting } from './routing-bench.ts';
import { benchSmsInbound } from './sms-inbound.bench.ts';
import { printProfileSummary, summarizeProfile, type ProfileSummary } from './lib/cpu-profile-summary.ts';
import { resultsTable } from './lib/report.ts';
import { benchPostgresUrl } from './lib/deployment.ts';
import { parseRunOptions } from './lib/run-options.ts';
import { benchSlaTimers } from './sla-timers.bench.ts';
import { benchWorkspace } from './workspace.bench.ts';
import { RAISED_LIMITS, STAFF, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { round } from './lib/stats.ts';

const { short, profile, only, scale, size } = parseRunOptions(process.argv.slice(2));
const CONNECTIONS = 32;

const stamp = new Date().toISOString();
const resultsDir = path.join(import.meta.dirname, 'results');
const profileBase = profile ? path.join(resultsDir, `${stamp.replace(/:/g, '-')}-profiles`) : undefined;

/** SMS offered at a fixed rate for a number of seconds */
function smsAtRate(id: string, [rate, seconds]: readonly [number, number]) {
  return {
    id,
    run: (ctx: RunContext) =>
      benchSmsInbound(ctx, {
        id,
        title: `SMS offered at ${rate}/s`,
        customers: rate * seconds,
        perCustomer: 1,
        overallRate: rate,
      }),
  };
}

/** Chat offered at a fixed rate while an agent's console stream is open, with or without Slack on */
function chatWithConsole(id: string, slack: boolean, [visitors, rate, seconds]: readonly [number, number, number]) {
  return {
    id,
    run: (ctx: RunContext) =>
      benchChatConsole(ctx, { id, title: `chat at ${rate}/s, console${slack ? ' + Slack' : ''}`, visitors, rate, seconds, slack }),
  };
}

/** SMS and chat inbound on PostgreSQL, with one instance and with two behind a round-robin front. */
function postgresScenarios() {
  if (!benchPostgresUrl()) {
    console.log('PostgreSQL scenarios left out: set BENCH_DATABASE_URL to a server whose user may create databases (or run under scripts/throwaway-postgres.sh)');
    return [];
  }
  return [1, 2].flatMap((instances) => {
    const suffix = instances === 1 ? '' : `-${instances}`;
    const where = `PostgreSQL, ${instances} instance${instances === 1 ? '' : 's'}`;
    const deployment = { engine: 'postgres' as const, instances };
    return [
      {
        id: `pg-sms-inbound${suffix}`,
        run: (ctx: RunContext) => benchSmsInbound(ctx, { id: `pg-sms-inbound${suffix}`, title: `SMS inbound, new cases (${where})`, customers: size.sms, perCustomer: 1, connections: CONNECTIONS, deployment }),
      },
      {
        id: `pg-chat-inbound${suffix}`,
        run: (ctx: RunContext) =>
          benchChatInbound(ctx, { id: `pg-chat-inbound${suffix}`, title: `chat inbound, ${size.chat[0]} sockets (${where})`, visitors: size.chat[0], perVisitor: size.chat[1], deployment }),
      },
    ];
  });
}

const scenarios: Array<{ id: string; run: (ctx: RunContext) => Promise<ScenarioResult> }> = [
  { id: 'bare-route', run: () => benchBareRoute(size.bare, CONNECTIONS) },
  {
    id: 'sms-inbound',
    run: (ctx) => benchSmsInbound(ctx, { id: 'sms-inbound', title: 'SMS inbound, each a new case', customers: size.sms, perCustomer: 1, connections: CONNECTIONS }),
  },
  {
    id: 'sms-threading',
    run: (ctx) =>
      benchSmsInbound(ctx, {
        id: 'sms-threading',
        title: `SMS threading-heavy (${size.threading[0]}×${size.threading[1]})`,
        customers: size.threading[0],
        perCustomer: size.threading[1],
        connections: CONNECTIONS,
      }),
  },
  {
    id: 'sms-rules',
    run: (ctx) =>
      benchSmsInbound(ctx, {
        id: 'sms-rules',
        title: `SMS inbound, ${size.rules} routing rules`,
        customers: size.rulesMessages,
        perCustomer: 1,
        connections: CONNECTIONS,
        rules: size.rules,
      }),
  },
  smsAtRate('sms-fixed-rate', size.rate),
  smsAtRate('sms-steady-rate', size.steady),
  { id: 'chat-inbound', run: (ctx) => benchChatInbound(ctx, { visitors: size.chat[0], perVisitor: size.chat[1] }) },
  ...postgresScenarios(),
  { id: 'outbox', run: (ctx) => benchOutbox(ctx, { cases: size.outbox[0], replies: size.outbox[1], connections: CONNECTIONS }) },
  { id: 'chat-sessions', run: (ctx) => benchChatSessions(ctx, { visitors: size.sessions[0], rounds: size.sessions[1], connections: CONNECTIONS }) },
  chatWithConsole('chat-console', false, size.console),
  chatWithConsole('chat-console-slack', true, size.console),
  { id: 'sla-timers', run: (ctx) => benchSlaTimers(ctx, { rate: size.slaTimers[0], seconds: size.slaTimers[1], targetSeconds: size.slaTimers[2] }) },
];

const known = new Set([...scenarios.map((s) => s.id), 'routing', 'chat-roundtrip', 'hostile-body', 'assignment-pass', 'workspace']);
for (const id of only ?? []) if (!known.has(id)) throw new Error(`--only: no scenario "${id}" (there are ${[...known].join(', ')})`);

const started = performance.now();
const results: ScenarioResult[] = [];
const profiles: Record<string, ProfileSummary> = {};
for (const s of scenarios) {
  if (only && !only.has(s.id)) continue;
  const ctx: RunContext = { short, profileDir: profileBase && path.join(profileBase, s.id) };
  const t0 = performance.now();
  const r = await s.run(ctx);
  results.push(r);
  const database = (r.details as { databaseCpuMsPerMessage?: number }).databaseCpuMsPerMessage;
  console.log(
    `${s.id}: ${r.messages} messages, ${r.perSecond}/s, ${r.latencyOf} p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms, peak RSS ${r.peakRssMb} MB` +
      `${database !== undefined ? `, PostgreSQL server ${database} CPU ms/msg` : ''} (${round((performance.now() - t0) / 1000, 1)} s)`,
  );
  if (ctx.profileDir && fs.existsSync(ctx.profileDir)) {
    // the largest profile is the server's main thread; the others are its worker threads
    const [main] = fs.readdirSync(ctx.profileDir).map((f) => path.join(ctx.profileDir!, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
    if (main) {
      profiles[s.id] = summarizeProfile(JSON.parse(fs.readFileSync(main, 'utf8')), 12);
      printProfileSummary(`profile of the server in ${s.id} (${path.relative(process.cwd(), main)})`, profiles[s.id]!);
    }
  }
}
const ceiling = results.find((r) => r.id === 'bare-route');
if (ceiling) for (const r of results) if (r !== ceiling) r.ratio = round(r.perSecond / ceiling.perSecond, 3);

const routing = !only || only.has('routing') ? benchRouting(size.routingMs) : null;
const roundTrip = !only || only.has('chat-roundtrip') ? await benchChatRoundTrip(size.roundTrip) : null;
const hostile = !only || only.has('hostile-body') ? await benchHostileBody({ requests: size.hostile[0], bodyMb: 16, nested: size.hostile[1] }) : null;
const passes = !only || only.has('assignment-pass') ? await benchAssignmentPass(size.assignmentPass) : null;
const workspace = !only || only.has('workspace') ? await benchWorkspace(size.workspace) : null;

console.log(`\n${short ? 'short' : 'full'} mode, ${os.cpus().length} cores; msg/s counts messages processed (inbound), at the provider (outbox) or delivered (chat sockets)`);
console.log(resultsTable(results));
if (routing) {
  console.log(`\nrouting a ${routing.messageChars}-character message in process: ${routing.small.usPerMessage} µs with 10 keyword rules, ${routing.large.usPerMessage} µs with 10,000 (ratio ${routing.ratio}; compile ${routing.large.compileMs} ms)`);
}
if (roundTrip) {
  console.log(`start-up to listening (fresh database, tsx): ${roundTrip.startupMs} ms`);
  console.log(`one chat conversation at a time, ${roundTrip.rounds} rounds (p50 / p99 ms): ack ${roundTrip.ackMs.p50} / ${roundTrip.ackMs.p99}, visible to the agent ${roundTrip.toAgentMs.p50} / ${roundTrip.toAgentMs.p99}, answer received ${roundTrip.answerMs.p50} / ${roundTrip.answerMs.p99}`);
}

if (passes) {
  console.log('\none assignment pass, in process on SQLite (ms, p50 / max):');
  for (const p of passes) console.log(`  ${p.waiting} waiting, ${p.openOffers} open offers, ${p.agents} agents: ${p.p50} / ${p.max}`);
}

if (workspace) {
  const kb = (n: number) => `${round(n / 1024, 1)} KB`;
  console.log(`\nthe workspace with ${workspace.cases.toLocaleString('en')} open cases, ${workspace.interactions.toLocaleString('en')} interactions (SQLite, Chromium):`);
  console.log(`  first load, cold, signed in: inbox with its first cases in ${workspace.firstLoad.ms} ms; page ${kb(workspace.firstLoad.pageBytes)}, API ${kb(workspace.firstLoad.apiBytes)}, ${workspace.firstLoad.requests} requests`);
  for (const [what, s] of Object.entries(workspace.search)) console.log(`  search, ${what}: p50 ${s.p50} / p99 ${s.p99} ms (${s.hits} cases on the first page)`);
  console.log(`  a chat message to its row in the open inbox: p50 ${workspace.liveUpdateMs.p50} / p99 ${workspace.liveUpdateMs.p99} ms`);
  console.log(
    `  a draft rule set replayed over ${workspace.replay.messages.toLocaleString('en')} stored messages: ${workspace.replay.ms} ms (${workspace.replay.progressLines} progress lines); /healthz meanwhile p50 ${workspace.replay.healthzMs.p50} / max ${workspace.replay.healthzMs.max} ms`,
  );
}

if (hostile) {
  console.log(
    `${hostile.requests} unauthenticated ${hostile.bodyMb} MB bodies at once: answered ${JSON.stringify(hostile.statuses)} in p50 ${hostile.toAnswerMs.p50} / max ${hostile.toAnswerMs.max} ms; ` +
      `/healthz meanwhile p50 ${hostile.healthzMs.p50} / max ${hostile.healthzMs.max} ms (${hostile.healthzMs.polls} polls); RSS ${hostile.rssMb.before} → peak ${hostile.rssMb.peak} MB; ` +
      `an admin's 1 MB of nested brackets answered ${JSON.stringify(hostile.nestedAdmin.statuses)} in p50 ${hostile.nestedAdmin.p50} / max ${hostile.nestedAdmin.max} ms`,
  );
}

const output = {
  at: stamp,
  mode: short ? 'short' : 'full',
  scale: short ? undefined : scale,
  seconds: round((performance.now() - started) / 1000, 1),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: { raisedLimits: RAISED_LIMITS, staff: STAFF, connections: CONNECTIONS },
  scenarios: results,
  routing,
  chatRoundTrip: roundTrip,
  hostileBody: hostile,
  assignmentPass: passes,
  workspace,
  profiles: profile ? profiles : undefined,
};
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${stamp.replace(/:/g, '-')}.json`);
fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
console.log(`\nresults written to ${path.relative(process.cwd(), file)} (${output.seconds} s)`);
