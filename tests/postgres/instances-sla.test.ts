/**
 * SLA timers with two gateways on one PostgreSQL database: cases opened through both breach, and every
 * breach escalates exactly once although both timer workers look at every timer; a policy changed through
 * one instance is the one the other works with.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
const visitors: ChatClient[] = [];
afterEach(async () => {
  for (const v of visitors.splice(0)) await v.close();
  for (const a of apps.splice(0)) await a.close();
});

async function twoInstances(): Promise<[TestApp, TestApp]> {
  const dir = tempDir();
  const a = await startApp({}, {}, dir);
  apps.push(a);
  const b = await startApp({}, {}, dir);
  apps.push(b);
  return [a, b];
}

describe('SLA timers on two instances', () => {
  it('every case opened through either breaches once, whichever instance fires it', async () => {
    const [a, b] = await twoInstances();
    for (const p of (await a.api('GET', '/api/v1/sla-policies')).body.items) expect((await a.api('DELETE', `/api/v1/sla-policies/${p.id}`)).status).toBe(204);
    const made = await a.api('POST', '/api/v1/sla-policies', {
      name: 'Quick',
      calendar: null,
      targets: { firstResponse: 'PT2S' },
      escalations: [{ when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'late' }] }],
    });
    expect(made.status).toBe(201);
    // B works with the policy A stored
    await eventually(async () => (b.app.switchboard.slaPolicies.policies.map((p) => p.name).join() === 'Quick' ? true : null), 10_000, 'the policy on B');

    const emails: string[] = [];
    for (let i = 0; i < 20; i++) {
      const via = i % 2 === 0 ? a : b;
      const email = `sla${i}@example.org`;
      const v = await ChatClient.open(via.url, { name: `Visitor ${i}`, email });
      visitors.push(v);
      v.send({ type: 'message', id: 'm1', text: 'Nobody answers me' });
      await v.waitFor((f) => f.type === 'ack');
      emails.push(email);
    }
    const breaches = async (t: TestApp, email: string) => {
      const kase = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0];
      if (!kase) return null;
      const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
      return { detail, entries: detail.interactions.filter((i: any) => i.direction === 'event' && i.text.includes('breached')) };
    };
    for (const email of emails) {
      await eventually(async () => ((await breaches(a, email))?.entries.length ? true : null), 15_000, `the breach of ${email}`);
    }
    // both workers keep looking a while longer: nothing fires twice
    await new Promise((r) => setTimeout(r, 2_500));
    for (const email of emails) {
      const seen = await breaches(b, email);
      expect(seen!.entries, email).toHaveLength(1);
      expect(seen!.detail.tags).toContain('late');
      expect(seen!.detail.sla.firstResponse.state).toBe('breached');
    }
  });
});
