/**
 * Acknowledgements cannot loop or be aimed at someone: ticket-system receipts that carry no
 * auto-reply header are recognised and open nothing, and whatever opens cases, one address gets
 * at most one automatic message per AUTO_REPLY_LIMIT_MINUTES (an hour by default), on any channel.
 * A case opened while the limit holds is still opened; its routing record says why nothing was sent.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { deliverSmtp, startSmtpSink } from '../support/smtp-sink.ts';
import type { EmailChannel } from '../../channels/email/index.ts';
import { rawMail, SUPPORT } from './email-kit.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/email-autoresponders');
const MINUTE = 60_000;
const TEMPLATE = 'Hello {{name}}, we opened case {{caseNumber}} for "{{subject}}".';

/** Real time shifted by `offsetMs`: a test dates earlier mails back so a later one falls outside the limit's window. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

async function ackEveryQueue(t: TestApp) {
  const queues = (await t.api('GET', '/api/v1/queues')).body.items as Array<{ id: string }>;
  for (const q of queues) expect((await t.api('PATCH', `/api/v1/queues/${q.id}`, { ackTemplate: TEMPLATE })).status).toBe(200);
}

async function drained(t: TestApp) {
  await eventually(async () => (await inStore(t.app.switchboard.db).outboxItem.count({ where: { status: 'pending' } })) === 0, 10_000, 'outbox to drain');
}

/** the gateway on the shifted clock, its SMTP listener on a free port, answers going to a real SMTP sink */
async function startClockedEmailApp() {
  const sink = await startSmtpSink();
  const app = await startApp({ SUPPORT_EMAIL: SUPPORT, SMTP_URL: sink.url, EMAIL_RATE_PER_SECOND: '100' }, { smtpListenPort: 0, clock });
  const port = (app.app.switchboard.channels.get('email') as EmailChannel).smtpAddress()!.port;
  return {
    ...app,
    sink,
    smtp: (raw: Buffer) => deliverSmtp(port, { from: /^From:.*?<?([^\s<>]+@[^\s<>]+)>?\s*$/imu.exec(raw.toString())![1]!, to: [SUPPORT] }, raw),
    settled: () => app.app.switchboard.pipeline.idle(),
    async casesOf(address: string) {
      await app.app.switchboard.pipeline.idle();
      return (await app.api('GET', `/api/v1/cases?contact=${encodeURIComponent(address)}`)).body.items;
    },
    caseView: async (number: string) => (await app.api('GET', `/api/v1/cases/${number}`)).body,
    async stop() {
      await app.close();
      await sink.close();
    },
  };
}

describe('email acknowledgements', () => {
  let t: Awaited<ReturnType<typeof startClockedEmailApp>>;
  beforeAll(async () => {
    t = await startClockedEmailApp();
    await ackEveryQueue(t);
  });
  afterAll(() => t.stop());

  it('ticket-system receipts and other autoresponders without auto-reply headers open no case and get no answer', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const before = t.sink.messages.length;
    for (const f of files) expect((await t.smtp(fs.readFileSync(path.join(FIXTURES, f)))).code, f).toBe(250);
    await t.settled();
    await drained(t);
    const rows = await inStore(t.app.switchboard.db).interaction.findMany({ where: { direction: 'inbound', messageId: { endsWith: '@autoresponder.test>' } } });
    expect(rows).toHaveLength(files.length);
    for (const r of rows) expect({ id: r.messageId, kind: r.kind, status: r.status, caseId: r.caseId }).toEqual({ id: r.messageId, kind: 'auto_reply', status: 'ignored', caseId: null });
    expect(t.sink.messages.length).toBe(before);
  });

  it('a receipt answering each acknowledgement cannot start a loop', async () => {
    // A customer's mail opens a case and is acknowledged; the customer's own helpdesk answers the
    // acknowledgement with a new receipt (no In-Reply-To, no Auto-Submitted), again and again.
    const before = t.sink.messages.length;
    await t.smtp(rawMail({ from: 'Desk <desk@loop.test>', subject: 'Printer on fire', body: 'Our printer is on fire, please help.' }));
    await t.sink.waitFor(before + 1);
    for (const n of [1001, 1002, 1003]) {
      await t.smtp(rawMail({ from: 'Desk <desk@loop.test>', subject: `Ticket #${n} received`, body: `Your message was logged as ticket #${n}.` }));
    }
    await t.settled();
    await drained(t);
    expect(await t.casesOf('desk@loop.test')).toHaveLength(1);
    expect(t.sink.messages.filter((m) => m.to.includes('desk@loop.test'))).toHaveLength(1);
  });

  it('forged senders with Reply-To pointing at one address: every case opens, one acknowledgement reaches that address', async () => {
    const victim = 'victim@target.test';
    for (const [i, from] of ['mallory@forger.test', 'eve@forger.test', 'trent@other-forger.test'].entries()) {
      const res = await t.smtp(rawMail({ from, subject: `Urgent request ${i}`, headers: [`Reply-To: ${victim}`], body: `Please call me back about request ${i}.` }));
      expect(res.code).toBe(250);
    }
    await t.settled();
    await drained(t);
    const cases = await t.casesOf(victim);
    expect(cases).toHaveLength(3);
    expect(t.sink.messages.filter((m) => m.to.includes(victim))).toHaveLength(1);

    const views = await Promise.all(cases.map((c: any) => t.caseView(c.number)));
    const acked = views.filter((v) => v.interactions.some((i: any) => i.direction === 'outbound' && i.kind === 'auto_reply'));
    expect(acked).toHaveLength(1);
    expect(acked[0].routing.acknowledgement).toMatchObject({ sent: true });
    for (const v of views.filter((x) => x !== acked[0])) {
      expect(v.interactions.filter((i: any) => i.direction === 'outbound')).toEqual([]);
      expect(v.routing.acknowledgement.sent).toBe(false);
      expect(v.routing.acknowledgement.reason).toMatch(/victim@target\.test within 60 minutes/u);
    }
  });

  it('once the window has passed, the address is acknowledged again', async () => {
    // the earlier mails arrive in the past, so everything queued is due at once
    const who = 'returning@customer.test';
    clock.offsetMs = -90 * MINUTE;
    await t.smtp(rawMail({ from: who, subject: 'First question', body: 'Where is order 1?' }));
    await t.settled();
    clock.offsetMs = -60 * MINUTE;
    await t.smtp(rawMail({ from: who, subject: 'Second question', body: 'Where is order 2?' }));
    await t.settled();
    clock.offsetMs = 0;
    await t.smtp(rawMail({ from: who, subject: 'Third question', body: 'Where is order 3?' }));
    await t.settled();
    await drained(t);
    const acks = t.sink.messages.filter((m) => m.to.includes(who));
    expect(acks).toHaveLength(2);
    const cases = await t.casesOf(who);
    expect(cases.map((c: any) => c.subject).sort()).toEqual(['First question', 'Second question', 'Third question']);
    const second = await t.caseView(cases.find((c: any) => c.subject === 'Second question').number);
    expect(second.routing.acknowledgement.reason).toMatch(/within 60 minutes/u);
  });
});

describe('the limit holds on SMS as well', () => {
  let api: FakeTwilioApi;
  let t: TestApp;
  beforeAll(async () => {
    api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
    t = await startApp({ ...smsTestEnv(api), SMS_RATE_PER_SECOND: '100' });
    await ackEveryQueue(t);
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('a number whose case was closed and who writes again within the hour gets no second acknowledgement', async () => {
    const phone = '+447700900511';
    expect((await textTheApp(t, phone, 'My card was charged twice')).status).toBe(200);
    const first = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items[0]);
    await eventually(async () => api.sends.some((s) => s.params.To === phone));
    expect((await t.api('PATCH', `/api/v1/cases/${first.number}`, { state: 'closed' })).status).toBe(200);

    expect((await textTheApp(t, phone, 'It happened again today')).status).toBe(200);
    const cases = await eventually(async () => {
      const items = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
      return items.length === 2 ? items : null;
    });
    await t.app.switchboard.pipeline.idle();
    await drained(t);
    expect(api.sends.filter((s) => s.params.To === phone)).toHaveLength(1);
    const second = (await t.api('GET', `/api/v1/cases/${cases[0].number}`)).body;
    expect(second.routing.acknowledgement).toMatchObject({ sent: false });
    expect(second.interactions.filter((i: any) => i.direction === 'outbound')).toEqual([]);
  });
});
