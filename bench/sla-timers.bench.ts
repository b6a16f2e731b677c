/**
 * SLA timers under load: SMS arrive at a fixed rate, each opening a case whose first-response promise
 * (a few seconds, calendar time) nobody keeps, so every case's breach timer falls due while messages keep
 * arriving. Measures the lateness of each firing (due → written on the timeline), and what keeping the
 * clocks costs the pipeline (its throughput and CPU per message next to the plain SMS scenario's).
 */
import { startFakeTwilioApi } from '../tests/support/fake-twilio-api.ts';
import { addOnlineAgents, adminCall } from './lib/gateway-api.ts';
import { customerText } from './lib/customer-texts.ts';
import { driveAtRate } from './lib/open-loop.ts';
import { startDeployment } from './lib/deployment.ts';
import { profileArgs, RAISED_LIMITS, STAFF, scenarioResult, type RunContext, type ScenarioResult } from './lib/scenario.ts';
import { customerPhone, signedSms, smsEnv } from './lib/sms-webhooks.ts';
import { round, sleep, spread } from './lib/stats.ts';

export async function benchSlaTimers(ctx: RunContext, o: { rate: number; seconds: number; targetSeconds: number }): Promise<ScenarioResult> {
  const api = await startFakeTwilioApi();
  const server = await startDeployment({ env: { ...RAISED_LIMITS, ...smsEnv(api.url) }, nodeArgs: profileArgs(ctx) });
  try {
    await addOnlineAgents(server.url, STAFF.agents, STAFF.capacity);
    const current = await adminCall<{ items: Array<{ id: string }> }>(server.url, 'GET', '/api/v1/sla-policies');
    for (const p of current.items) await adminCall(server.url, 'DELETE', `/api/v1/sla-policies/${p.id}`);
    await adminCall(server.url, 'POST', '/api/v1/sla-policies', {
      name: 'Bench',
      calendar: null,
      targets: { firstResponse: `PT${o.targetSeconds}S` },
      escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] }],
    });
    const amount = o.rate * o.seconds;
    let k = 0;
    const cpuBefore = server.cpuSeconds();
    const load = await driveAtRate({ url: server.url, rate: o.rate, amount, next: () => signedSms(customerPhone(k), customerText(k++, 0)) });
    const done = await server.probe.waitProcessed(load.ok, 600_000, load.startedAt);
    // every case's breach, however long the pipeline took
    let breaches = await server.probe.slaBreaches();
    const deadline = Date.now() + 120_000;
    while (breaches.length < done.cases && Date.now() < deadline) {
      await sleep(200);
      breaches = await server.probe.slaBreaches();
    }
    const serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    const lateMs = breaches.map((b) => b.firedAt - b.dueAt);
    const duringLoad = breaches.filter((b) => b.firedAt <= done.doneAt).length;
    const pipelineSeconds = (done.doneAt - load.startedAt) / 1000;
    return scenarioResult({
      id: 'sla-timers',
      title: `SLA timers: ${o.rate} SMS/s, each a case breaching after ${o.targetSeconds} s`,
      messages: breaches.length,
      seconds: pipelineSeconds,
      latencyOf: 'timer lateness (due → escalated)',
      latency: spread(lateMs),
      peakRssMb: server.peakRssMb(),
      serverCpuSeconds,
      details: {
        offeredRate: o.rate,
        offered: amount,
        acknowledged: load.ok,
        refused: load.non2xx,
        failed: load.errors,
        ackPerSecond: load.perSecond,
        pipelinePerSecond: round(done.processed / pipelineSeconds, 0),
        cases: done.cases,
        breaches: breaches.length,
        firedWhileMessagesArrived: duringLoad,
        lateMaxMs: lateMs.length ? Math.max(...lateMs) : null,
        early: lateMs.filter((ms) => ms < 0).length,
      },
    });
  } finally {
    await server.stop();
    await api.close();
  }
}
