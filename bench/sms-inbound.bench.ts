/**
 * Signed Twilio SMS webhooks through the whole inbound pipeline: the webhook stores each message and
 * answers, then the pipeline resolves the contact, threads, scores, routes and the assignment step offers
 * the case to an agent. Measured twice: how fast the webhook acknowledges (autocannon), and how fast
 * the pipeline has processed everything acknowledged (watched in the store).
 */
import { startFakeTwilioApi } from '../tests/support/fake-twilio-api.ts';
import { addOnlineAgents, installKeywordRules } from './lib/gateway-api.ts';
import { customerText } from './lib/customer-texts.ts';
import { drive } from './lib/load-driver.ts';
import { driveAtRate } from './lib/open-loop.ts';
import { databaseCpuDetails, startDeployment, type DeploymentOptions } from './lib/deployment.ts';
import { profileArgs, RAISED_LIMITS, STAFF, warmUpCount, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { customerPhone, signedSms, smsEnv } from './lib/sms-webhooks.ts';
import { round, spread } from './lib/stats.ts';

export interface SmsInboundOptions {
  id: string;
  title: string;
  customers: number;
  /** messages per customer: 1 = every message opens a case; more = follow-ups join it */
  perCustomer: number;
  /** keep-alive connections sending as fast as acks come back; unused at a fixed rate */
  connections?: number;
  /** requests per second, evenly spaced (open loop); unset = as fast as acks come back */
  overallRate?: number;
  /** keyword rules installed in front of the default ones */
  rules?: number;
  /** SQLite (default), or PostgreSQL with one or more instances */
  deployment?: Pick<DeploymentOptions, 'engine' | 'instances'>;
}

export async function benchSmsInbound(ctx: RunContext, o: SmsInboundOptions): Promise<ScenarioResult> {
  const api = await startFakeTwilioApi();
  const server = await startDeployment({ env: { ...RAISED_LIMITS, ...smsEnv(api.url) }, nodeArgs: profileArgs(ctx), ...o.deployment });
  const probe = server.probe;
  try {
    await addOnlineAgents(server.url, STAFF.agents, STAFF.capacity);
    if (o.rules) await installKeywordRules(server.url, o.rules);
    const warm = warmUpCount(ctx);
    let w = 0;
    // other numbers than the measured customers', so the warm-up threads into none of their cases
    const warmed = await drive({ url: server.url, connections: 8, amount: warm, next: () => signedSms(customerPhone(900_000 + w), customerText(w++, 0)) });
    await probe.waitProcessed(warmed.ok, 120_000);

    const amount = o.customers * o.perCustomer;
    let k = 0;
    const next = () => {
      // round-robin over customers: a customer's next message comes after everyone's previous one
      const customer = k % o.customers;
      const nth = Math.floor(k / o.customers);
      k++;
      return signedSms(customerPhone(customer), customerText(customer, nth));
    };
    // at a fixed rate, open loop: each request leaves on time whatever the answers before it did
    const cpuBefore = server.cpuSeconds();
    const databaseCpuBefore = server.databaseCpuSeconds();
    const load = o.overallRate
      ? await driveAtRate({ url: server.url, rate: o.overallRate, amount, next })
      : await drive({ url: server.url, connections: o.connections ?? 32, amount, next });
    const done = await probe.waitProcessed(warmed.ok + load.ok, 600_000, load.startedAt);
    const seconds = (done.doneAt - load.startedAt) / 1000;
    const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    const databaseCpuSeconds = server.databaseCpuSeconds() - databaseCpuBefore;
    const wait = spread(done.waitMs);
    return scenarioResult({
      id: o.id,
      title: o.title,
      messages: done.processed,
      seconds,
      latencyOf: 'webhook ack',
      latency: load.latencyMs,
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds,
      details: {
        connections: o.overallRate ? null : o.connections,
        offeredRate: o.overallRate ?? null,
        ackPerSecond: load.perSecond,
        ackSeconds: load.seconds,
        pipelineSeconds: round(seconds, 3),
        non2xx: load.non2xx,
        errors: load.errors,
        receivedToProcessedMs: wait,
        cases: done.cases - warmed.ok,
        casesOffered: (await probe.offeredOrAssigned()) - warmed.ok,
        rules: o.rules ?? 0,
        ...databaseCpuDetails(databaseCpuSeconds, done.processed),
      },
    });
  } finally {
    await server.stop();
    await api.close();
  }
}
