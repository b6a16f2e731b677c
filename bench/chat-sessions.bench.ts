/**
 * Many visitors connected at once, each writing and being answered: every visitor sends a message, then
 * an agent answers every case through the API and each answer is pushed to its visitor's socket.
 * Reported: delivery latency (reply request → visitor receives it), ack latency with all sockets open,
 * answers delivered per second, and the server's peak memory with every session held.
 */
import { openVisitors, type ChatVisitor } from './lib/chat-visitor.ts';
import { customerText } from './lib/customer-texts.ts';
import { addOnlineAgents } from './lib/gateway-api.ts';
import { drive } from './lib/load-driver.ts';
import { PipelineProbe } from './lib/pipeline-probe.ts';
import { profileArgs, RAISED_LIMITS, STAFF, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { BENCH_ADMIN_TOKEN, startServer } from './lib/server-process.ts';
import { formatCaseNumber } from '../routing/case-number.ts';
import { round, spread, until } from './lib/stats.ts';

export async function benchChatSessions(ctx: RunContext, o: { visitors: number; rounds: number; connections: number }): Promise<ScenarioResult> {
  const server = await startServer({ env: RAISED_LIMITS, nodeArgs: profileArgs(ctx) });
  const probe = new PipelineProbe(server.dbFile);
  let visitors: ChatVisitor[] = [];
  try {
    await addOnlineAgents(server.url, STAFF.agents, STAFF.capacity);
    visitors = await openVisitors(server.url, o.visitors);
    const rssConnected = server.rssMb();
    // first messages open the cases the agent then answers
    await Promise.all(visitors.map((v, i) => v.send(customerText(i, 0))));
    await probe.waitProcessed(o.visitors, 600_000);
    const caseOf = probe.casesByConversation();
    const targets = visitors.map((v) => ({ visitor: v, number: formatCaseNumber(caseOf.get(v.conversationKey)!) }));

    const delivery: number[] = [];
    const sentAt = new Map<string, number>();
    let delivered = 0;
    let busySeconds = 0;
    let serverCpuSeconds = 0;
    for (let r = 1; r <= o.rounds; r++) {
      await Promise.all(visitors.map((v, i) => v.send(customerText(i, r))));
      const started = Date.now();
      const cpuBefore = server.cpuSeconds();
      let k = 0;
      const load = await drive({
        url: server.url,
        connections: o.connections,
        amount: targets.length,
        next: () => {
          const t = targets[k++ % targets.length]!;
          const text = `Round ${r}: here is what we found for ${t.number} (${k}).`;
          sentAt.set(text, Date.now());
          return {
            method: 'POST',
            path: `/api/v1/cases/${t.number}/replies`,
            headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ text }),
          };
        },
      });
      if (load.ok !== targets.length) throw new Error(`round ${r}: ${load.ok} of ${targets.length} replies accepted`);
      const received = () => visitors.reduce((n, v) => n + v.answers.size, 0);
      await until(() => received() >= delivered + targets.length, `round ${r}'s answers to reach their visitors`);
      let last = 0;
      for (const v of visitors) {
        for (const [text, at] of v.answers) {
          const sent = sentAt.get(text);
          if (sent === undefined) continue;
          delivery.push(at - sent);
          last = Math.max(last, at);
          sentAt.delete(text);
        }
      }
      busySeconds += (last - started) / 1000;
      serverCpuSeconds += server.cpuSeconds() - cpuBefore;
      delivered += targets.length;
    }
    const d = spread(delivery);
    return scenarioResult({
      id: 'chat-sessions',
      title: `${o.visitors} chat sockets, answered`,
      messages: delivered,
      seconds: busySeconds,
      latencyOf: 'reply → visitor',
      latency: d,
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds,
      details: {
        visitors: o.visitors,
        rounds: o.rounds,
        connections: o.connections,
        rssWithSocketsOpenMb: round(rssConnected, 0),
        ackMs: spread(visitors.flatMap((v) => v.ackMs)),
        deliveryMs: d,
      },
    });
  } finally {
    visitors.forEach((v) => v.close());
    probe.close();
    await server.stop();
  }
}
