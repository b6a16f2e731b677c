/**
 * Two gateways on one database (one SQLite file, or one PostgreSQL database under `npm run test:pg`):
 * a webhook delivered to both is stored once, two messages of one customer reaching both at the same
 * moment make one case, and answers queued on both leave once each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { inboundSmsFields, postTwilioWebhook, smsTestEnv, startFakeTwilioApi, TEST_TWILIO, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { inStore } from '../support/store-rows.ts';

const apps: TestApp[] = [];
let api: FakeTwilioApi | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  await api?.close();
  api = undefined;
});

async function twoInstances(): Promise<[TestApp, TestApp]> {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  const dir = tempDir();
  const env = { ...smsTestEnv(api), SMS_RATE_PER_SECOND: '1000', SMS_ACCOUNT_RATE_PER_SECOND: '1000' };
  const a = await startApp(env, {}, dir);
  apps.push(a);
  const b = await startApp(env, {}, dir);
  apps.push(b);
  return [a, b];
}

function post(t: TestApp, fields: Record<string, string>) {
  return postTwilioWebhook({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields);
}

const sms = (from: string, body: string) => inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body });

describe('two instances on one database', () => {
  it('the same webhook delivered to both at once is stored once and makes one case', async () => {
    const [a, b] = await twoInstances();
    const fields = [...Array(10).keys()].map((i) => sms(`+4477009005${String(i).padStart(2, '0')}`, `Order ${i} is late`));
    const answers = await Promise.all(fields.flatMap((f) => [post(a, f), post(b, f)]));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const db = a.app.switchboard.db;
    const rows = await eventually(async () => {
      const found = await inStore(db).interaction.findMany({ where: { channel: 'sms', direction: 'inbound' } });
      return found.length === 10 && found.every((r) => r.status === 'processed') ? found : null;
    }, 10_000, 'every message processed');
    expect(new Set(rows.map((r) => r.externalId)).size).toBe(10);
    expect(await inStore(db).case.count()).toBe(10);
  });

  it('two messages of one customer reaching both at the same moment make one contact and one case', async () => {
    const [a, b] = await twoInstances();
    const customers = [...Array(12).keys()].map((i) => `+4477009006${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(customers.flatMap((from) => [post(a, sms(from, 'My parcel never came')), post(b, sms(from, 'Any news on my parcel?'))]));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const db = a.app.switchboard.db;
    const rows = await eventually(async () => {
      const found = await inStore(db).interaction.findMany({ where: { channel: 'sms', direction: 'inbound' } });
      return found.length === 24 && found.every((r) => r.status === 'processed') ? found : null;
    }, 15_000, 'every message processed');
    // the second of each pair waited for the first, rather than failing on its contact and trying again
    expect(rows.filter((r) => r.attempts > 0)).toEqual([]);
    for (const from of customers) {
      const mine = rows.filter((r) => r.fromAddress === from);
      expect(new Set(mine.map((r) => r.caseId)).size).toBe(1);
      expect(new Set(mine.map((r) => r.contactId)).size).toBe(1);
    }
    expect(await inStore(db).case.count()).toBe(customers.length);
    expect(await inStore(db).contact.count()).toBe(customers.length);
  });

  it('answers written through both instances reach the provider once each', async () => {
    const [a, b] = await twoInstances();
    const customers = [...Array(30).keys()].map((i) => `+4477009007${String(i).padStart(2, '0')}`);
    await Promise.all(customers.map(async (from, i) => expect((await post(i % 2 ? b : a, sms(from, 'Hello, I need help'))).status).toBe(200)));
    const numbers = await eventually(async () => {
      const items = (await a.api('GET', '/api/v1/cases?limit=100')).body.items as Array<{ number: string }>;
      return items.length === customers.length ? items.map((c) => c.number) : null;
    }, 15_000, 'a case per customer');
    // every case answered twice, through one instance or the other, all at once: both outboxes race for the entries
    const texts = numbers.flatMap((n) => [`First answer to ${n}`, `Second answer to ${n}`]);
    const accepted = await Promise.all(texts.map((text, i) => (i % 2 ? b : a).api('POST', `/api/v1/cases/${text.split(' ').at(-1)}/replies`, { text })));
    expect(accepted.filter((r) => r.status !== 202)).toEqual([]);
    const db = a.app.switchboard.db;
    await eventually(async () => ((await inStore(db).outboxItem.count({ where: { status: 'done' } })) === texts.length ? true : null), 20_000, 'every answer sent');
    // a moment for a second copy to show, were there one
    await new Promise((r) => setTimeout(r, 300));
    const bodies = api!.sends.map((s) => s.params.Body ?? '').filter((body) => body.includes(' answer to '));
    expect(bodies.sort()).toEqual([...texts].sort());
  });

});
