/**
 * The ceiling: the same signed SMS requests, the same tool and the same connections against a Fastify
 * route that does nothing. Pipeline throughput is reported as a fraction of this.
 */
import { startBareRoute } from './lib/bare-route.ts';
import { customerText } from './lib/customer-texts.ts';
import { drive } from './lib/load-driver.ts';
import { scenarioResult, type ScenarioResult } from './lib/scenario.ts';
import { customerPhone, signedSms } from './lib/sms-webhooks.ts';

export async function benchBareRoute(amount: number, connections: number): Promise<ScenarioResult> {
  const bare = await startBareRoute();
  try {
    let k = 0;
    const next = () => {
      const i = k++;
      return signedSms(customerPhone(i % 1000), customerText(i, 0));
    };
    const load = await drive({ url: bare.url, connections, amount, next });
    return scenarioResult({
      id: 'bare-route',
      title: 'bare Fastify route (ceiling)',
      messages: load.ok,
      seconds: load.seconds,
      latencyOf: 'response',
      latency: load.latencyMs,
      peakRssMb: bare.peakRssMb(),
      details: { connections, seconds: load.seconds, non2xx: load.non2xx, errors: load.errors },
    });
  } finally {
    await bare.stop();
  }
}
