/**
 * Consent is checked when a text leaves, not when it was taken from the outbox: an answer waiting for the
 * sending pace is held back by a STOP that arrives meanwhile (real gateway, real SMS adapter and its rate
 * limiter, a fake Twilio Messages API).
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

let api: FakeTwilioApi;
let t: TestApp;
beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
  // one text a second from our number: the sixth answer waits about 5 s for its turn
  t = await startApp({ ...smsTestEnv(api), SMS_RATE_PER_SECOND: '1', SMS_ACCOUNT_RATE_PER_SECOND: '1' });
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

const outboxOf = (interactionId: string) => inStore(t.app.switchboard.db).outboxItem.findUniqueOrThrow({ where: { interactionId } });

describe('a STOP while an answer waits for its turn', () => {
  it('keeps that answer from leaving; the answers to others still go', async () => {
    const phones = Array.from({ length: 6 }, (_, i) => `+44770090${1100 + i}`);
    const cases: string[] = [];
    for (const phone of phones) {
      expect((await textTheApp(t, phone, 'Where is my order?')).status).toBe(200);
      cases.push((await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items[0].number);
    }
    // whatever the gateway sent by itself (acknowledgements) is out of the way first
    await eventually(async () => ((await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })) === 0 ? true : null), 15_000);
    api.reset();

    const ids: string[] = [];
    for (const number of cases) {
      const res = await t.api('POST', `/api/v1/cases/${number}/replies`, { text: `About ${number}: it ships today.` });
      expect(res.status).toBe(202);
      ids.push(res.body.interactionId);
    }
    const last = phones.at(-1)!;
    // the last customer opts out while their answer waits behind the others
    await eventually(async () => (api.sends.length >= 1 ? true : null));
    expect((await textTheApp(t, last, 'STOP')).status).toBe(200);

    await eventually(async () => ((await outboxOf(ids.at(-1)!)).status !== 'pending' ? true : null), 15_000);
    await eventually(async () => ((await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })) === 0 ? true : null), 15_000);
    expect(api.sends.map((s) => s.params.To)).not.toContain(last);
    expect(api.sends.map((s) => s.params.To).sort()).toEqual(phones.slice(0, -1).sort());
    expect(await outboxOf(ids.at(-1)!)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^OPTED_OUT/) });
  });
});
