/**
 * Agent replies through the outbox to a local fake Twilio API: POST /api/v1/cases/:number/replies
 * stores the answer and its outbox entry, the outbox worker sends it through the SMS adapter, and the
 * fake (in this process) records when each one arrives. Reported: sends per second at the provider and
 * the latency from the reply request to the provider receiving the message.
 */
import { formatCaseNumber } from '../routing/case-number.ts';
import { startFakeTwilioApi } from '../tests/support/fake-twilio-api.ts';
import { customerText } from './lib/customer-texts.ts';
import { addOnlineAgents } from './lib/gateway-api.ts';
import { drive } from './lib/load-driver.ts';
import { PipelineProbe } from './lib/pipeline-probe.ts';
import { profileArgs, RAISED_LIMITS, STAFF, warmUpCount, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { BENCH_ADMIN_TOKEN, startServer } from './lib/server-process.ts';
import { BENCH_TWILIO, customerPhone, signedSms, smsEnv } from './lib/sms-webhooks.ts';
import { round, spread, until } from './lib/stats.ts';

export async function benchOutbox(ctx: RunContext, o: { cases: number; replies: number; connections: number }): Promise<ScenarioResult> {
  const api = await startFakeTwilioApi({ authToken: BENCH_TWILIO.authToken });
  const server = await startServer({ env: { ...RAISED_LIMITS, ...smsEnv(api.url) }, nodeArgs: profileArgs(ctx) });
  const probe = new PipelineProbe(server.dbFile);
  try {
    await addOnlineAgents(server.url, STAFF.agents, STAFF.capacity);
    // the customers write first: a reply needs a case and a customer message to answer
    let c = 0;
    const seeded = await drive({ url: server.url, connections: 8, amount: o.cases, next: () => signedSms(customerPhone(c), customerText(c++, 0)) });
    await probe.waitProcessed(seeded.ok, 600_000);
    const numbers = probe.caseIds().map(formatCaseNumber);

    const reply = (number: string, text: string) => ({
      method: 'POST' as const,
      path: `/api/v1/cases/${number}/replies`,
      headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    const warm = warmUpCount(ctx);
    let w = 0;
    await drive({ url: server.url, connections: 8, amount: warm, next: () => reply(numbers[w % numbers.length]!, `Warming up (${w++}).`) });
    await until(() => api.requests.length >= warm, 'the warm-up replies to reach the provider');
    api.reset();

    const sentAt = new Map<string, number>();
    let k = 0;
    const cpuBefore = server.cpuSeconds();
    const load = await drive({
      url: server.url,
      connections: o.connections,
      amount: o.replies,
      next: () => {
        const text = `Thanks for your patience, here is the answer to your question (${k}).`;
        const number = numbers[k++ % numbers.length]!;
        sentAt.set(text, Date.now());
        return reply(number, text);
      },
    });
    await until(() => api.requests.length >= load.ok, `all ${load.ok} replies to reach the provider`);
    const latency: number[] = [];
    let last = 0;
    for (const r of api.requests) {
      const at = sentAt.get(r.params.Body ?? '');
      if (at !== undefined) latency.push(r.at - at);
      last = Math.max(last, r.at);
    }
    const seconds = (last - load.startedAt) / 1000;
    const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    const delivery = spread(latency);
    return scenarioResult({
      id: 'outbox',
      title: 'agent replies → outbox → SMS provider',
      messages: api.requests.length,
      seconds,
      latencyOf: 'reply → provider',
      latency: delivery,
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds,
      details: {
        cases: numbers.length,
        connections: o.connections,
        replyAckPerSecond: load.perSecond,
        replyAckMs: load.latencyMs,
        non2xx: load.non2xx,
        errors: load.errors,
        providerSends: api.sends.length,
        seconds: round(seconds, 3),
      },
    });
  } finally {
    probe.close();
    await server.stop();
    await api.close();
  }
}
