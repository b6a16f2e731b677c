/**
 * Web chat visitors writing over their WebSockets, each sending its next message as soon as the
 * previous one is acknowledged (stored). Every visitor's messages thread into its conversation's case.
 * Reported: ack rate and latency, and the rate at which the pipeline has processed them all.
 */
import { openVisitors } from './lib/chat-visitor.ts';
import { customerText } from './lib/customer-texts.ts';
import { addOnlineAgents } from './lib/gateway-api.ts';
import { databaseCpuDetails, startDeployment, type DeploymentOptions } from './lib/deployment.ts';
import { profileArgs, RAISED_LIMITS, STAFF, warmUpCount, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { round, spread } from './lib/stats.ts';

export async function benchChatInbound(
  ctx: RunContext,
  o: { id?: string; title?: string; visitors: number; perVisitor: number; deployment?: Pick<DeploymentOptions, 'engine' | 'instances'> },
): Promise<ScenarioResult> {
  const server = await startDeployment({ env: RAISED_LIMITS, nodeArgs: profileArgs(ctx), ...o.deployment });
  const probe = server.probe;
  try {
    await addOnlineAgents(server.url, STAFF.agents, STAFF.capacity);
    const [warmer] = await openVisitors(server.url, 1);
    const warm = warmUpCount(ctx);
    for (let n = 0; n < warm; n++) await warmer!.send(customerText(0, n));
    await probe.waitProcessed(warm, 120_000);

    const visitors = await openVisitors(server.url, o.visitors);
    const cpuBefore = server.cpuSeconds();
    const databaseCpuBefore = server.databaseCpuSeconds();
    const startedAt = Date.now();
    await Promise.all(
      visitors.map(async (v, i) => {
        for (let n = 0; n < o.perVisitor; n++) await v.send(customerText(i, n));
      }),
    );
    const ackSeconds = (Date.now() - startedAt) / 1000;
    const sent = o.visitors * o.perVisitor;
    const done = await probe.waitProcessed(warm + sent, 600_000, startedAt);
    const seconds = (done.doneAt - startedAt) / 1000;
    const ack = spread(visitors.flatMap((v) => v.ackMs));
    [warmer!, ...visitors].forEach((v) => v.close());
    return scenarioResult({
      id: o.id ?? 'chat-inbound',
      title: o.title ?? `chat inbound (${o.visitors} sockets)`,
      messages: done.processed,
      seconds,
      latencyOf: 'chat ack',
      latency: ack,
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds: server.cpuSeconds() - cpuBefore,
      details: {
        visitors: o.visitors,
        perVisitor: o.perVisitor,
        ackPerSecond: round(sent / ackSeconds, 0),
        pipelineSeconds: round(seconds, 3),
        receivedToProcessedMs: spread(done.waitMs),
        cases: done.cases - 1,
        casesOffered: (await probe.offeredOrAssigned()) - 1,
        ...databaseCpuDetails(server.databaseCpuSeconds() - databaseCpuBefore, done.processed),
      },
    });
  } finally {
    await server.stop();
  }
}
