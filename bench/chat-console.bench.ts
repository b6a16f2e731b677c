/**
 * Web chat at a fixed offered rate while an agent's console is open, optionally with Slack switched on:
 * the load a staffed desk puts on the gateway. Every stored message is also pushed to the console's
 * stream and, with Slack, mirrored onto its case's card and thread, all in the process that acks the
 * chat. Reported: chat ack latency (due time → ack, open loop), how far behind the console saw each
 * message, the frames the console read and the Slack calls the gateway made.
 */
import { AgentConsole } from './lib/agent-console.ts';
import { chatAtRate } from './lib/chat-at-rate.ts';
import { openVisitors, type ChatVisitor } from './lib/chat-visitor.ts';
import { customerText } from './lib/customer-texts.ts';
import { addConsoleAgent, addOnlineAgents } from './lib/gateway-api.ts';
import { PipelineProbe } from './lib/pipeline-probe.ts';
import { profileArgs, RAISED_LIMITS, STAFF, warmUpCount, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { startServer } from './lib/server-process.ts';
import { slackEnv, startBenchSlackApi, type BenchSlackApi } from './lib/slack-web-api.ts';
import { round, spread } from './lib/stats.ts';

export interface ChatConsoleOptions {
  id: string;
  title: string;
  visitors: number;
  /** chat messages per second over all visitors */
  rate: number;
  seconds: number;
  /** Slack's Web API stood in for on loopback, and every case given a card */
  slack: boolean;
}

/** Unique per message, so the console's frame for it can be told from the others. */
const benchText = (visitor: number, nth: number) => `${customerText(visitor, nth)} [v${visitor}.${nth}]`;

export async function benchChatConsole(ctx: RunContext, o: ChatConsoleOptions): Promise<ScenarioResult> {
  const slack = o.slack ? await startBenchSlackApi() : null;
  const server = await startServer({ env: { ...RAISED_LIMITS, ...(slack ? slackEnv(slack.apiUrl) : {}) }, nodeArgs: profileArgs(ctx) });
  const probe = new PipelineProbe(server.dbFile);
  let desk: AgentConsole | undefined;
  let visitors: ChatVisitor[] = [];
  try {
    // the console's agent is one of the staff, so the desk is as large as in the other scenarios
    await addOnlineAgents(server.url, STAFF.agents - 1, STAFF.capacity);
    desk = await AgentConsole.open(server.url, await addConsoleAgent(server.url, STAFF.capacity));
    const warm = await warmUp(ctx, server.url, probe);
    // the warm-up's frames and Slack calls trail its commits: let them pass before counting
    await desk.settled();
    await slack?.settled();
    const framesBefore = desk.frames;
    const typesBefore = { ...desk.byType };
    const slackBefore = { ...slack?.calls };

    visitors = await openVisitors(server.url, o.visitors);
    const cpuBefore = server.cpuSeconds();
    const load = await chatAtRate(visitors, { rate: o.rate, amount: o.rate * o.seconds, text: benchText });
    const done = await probe.waitProcessed(warm + load.acked, 600_000, load.startedAt);
    const seconds = (done.doneAt - load.startedAt) / 1000;
    const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    const settleStarted = performance.now();
    await desk.settled();
    await slack?.settled();
    const ack = spread(load.ackMs);
    return scenarioResult({
      id: o.id,
      title: o.title,
      messages: done.processed,
      seconds,
      latencyOf: 'chat ack',
      latency: ack,
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds,
      details: {
        visitors: o.visitors,
        offeredRate: o.rate,
        offeredSeconds: o.seconds,
        sent: load.sent,
        acked: load.acked,
        failed: load.failed,
        ackPerSecond: round(load.acked / load.seconds, 0),
        ackMs: ack,
        pipelineSeconds: round(seconds, 3),
        receivedToProcessedMs: spread(done.waitMs),
        cases: done.cases - 1,
        consoleFrames: desk.frames - framesBefore,
        consoleFramesByType: difference(desk.byType, typesBefore),
        consoleSeenMs: spread(seenDelays(desk, load.dueAt)),
        consoleClosed: desk.closedWith,
        ...(slack ? slackDetails(slack, slackBefore) : {}),
        settleSeconds: round((performance.now() - settleStarted) / 1000, 2),
      },
    });
  } finally {
    visitors.forEach((v) => v.close());
    desk?.close();
    probe.close();
    await server.stop();
    await slack?.close();
  }
}

/** Messages from another visitor before the measured load (JIT, lazy modules); returns how many. */
async function warmUp(ctx: RunContext, base: string, probe: PipelineProbe): Promise<number> {
  const [warmer] = await openVisitors(base, 1);
  const count = warmUpCount(ctx);
  for (let n = 0; n < count; n++) await warmer!.send(customerText(0, n));
  await probe.waitProcessed(count, 120_000);
  warmer!.close();
  return count;
}

/** Due time → the console's frame for it, per measured message the console saw. */
function seenDelays(desk: AgentConsole, dueAt: Map<string, number>): number[] {
  const delays: number[] = [];
  for (const [text, due] of dueAt) {
    const seen = desk.seenAt.get(text);
    if (seen !== undefined) delays.push(seen - due);
  }
  return delays;
}

function slackDetails(slack: BenchSlackApi, before: Record<string, number>) {
  const during = difference(slack.calls, before);
  return { slackCalls: Object.values(during).reduce((a, b) => a + b, 0), slackCallsByMethod: during, slackCallsInRun: slack.total() };
}

/** Counts now minus counts then, by key, leaving out keys that did not move. */
function difference(now: Record<string, number>, then: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).flatMap(([k, n]) => (n - (then[k] ?? 0) > 0 ? [[k, n - (then[k] ?? 0)]] : [])));
}
