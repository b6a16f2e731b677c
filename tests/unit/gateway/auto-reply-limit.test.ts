/**
 * The pipeline's limit on automatic messages, on a real SQLite store with the real rules: one
 * acknowledgement per recipient address within the configured window, whatever the channel; a case
 * opened inside the window records why it got none; 0 turns the limit off; the setting is read and
 * checked like the others.
 */
import { inStore } from '../../support/store-rows.ts';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { seedQueues } from '../../../store/directory.repository.ts';
import { storeInbound } from '../../../store/interaction.repository.ts';
import { RulesService } from '../../../gateway/rules/rules.service.ts';
import { EventBus } from '../../../gateway/events.ts';
import { processInbound, type PipelineDeps } from '../../../gateway/pipeline/process-inbound.ts';
import { loadConfig } from '../../../gateway/config.ts';
import type { ChannelName, InboundMessage } from '../../../channels/channel.types.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

const MINUTE = 60_000;
const start = new Date('2025-03-03T10:00:00Z');
let at = start;
let db: Db;
let routing: RulesService;
let seq = 0;

beforeEach(async () => {
  at = start;
  db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
  await db.transaction((tx) => seedQueues(tx, start));
  await inStore(db).queue.updateMany({ data: { ackTemplate: 'We opened {{caseNumber}}.' } });
  routing = new RulesService({ db, now: () => at, log: pino({ level: 'silent' }), events: new EventBus() });
  await routing.load();
});
afterEach(() => db.close());

/** stores a customer's message `minutes` after the start and runs it through the pipeline */
async function write(deps: Partial<PipelineDeps>, minutes: number, channel: ChannelName, address: string, subject: string) {
  at = new Date(start.getTime() + minutes * MINUTE);
  const msg: InboundMessage = {
    channel,
    externalId: `ext-${++seq}`,
    kind: 'message',
    from: channel === 'email' ? { address, email: address } : { address, phone: address },
    subject,
    text: `${subject}, please help.`,
    thread: {},
    receivedAt: at,
  };
  const { id } = await db.transaction((tx) => storeInbound(tx, msg, at));
  const outcome = await processInbound({ db, routing, now: () => at, reopenDays: 7, continuityHours: 24, autoReplyLimitMinutes: 60, ...deps }, id);
  expect(outcome.status).toBe('processed');
  return outcome.caseId!;
}

async function acknowledged(caseId: number) {
  const rows = await inStore(db).interaction.findMany({ where: { caseId, direction: 'outbound', kind: 'auto_reply' } });
  const kase = await inStore(db).case.findUniqueOrThrow({ where: { id: caseId } });
  return { sent: rows.length, record: JSON.parse(kase.routing!).acknowledgement, ackSentAt: kase.ackSentAt };
}

describe('one automatic message per recipient within AUTO_REPLY_LIMIT_MINUTES', () => {
  it('holds within the configured window and lets the next one through after it', async () => {
    const deps = { autoReplyLimitMinutes: 5 };
    const first = await write(deps, 0, 'email', 'kim@customer.test', 'Lost parcel');
    const second = await write(deps, 4, 'email', 'kim@customer.test', 'Wrong invoice');
    const third = await write(deps, 6, 'email', 'kim@customer.test', 'Broken screen');
    expect(await acknowledged(first)).toMatchObject({ sent: 1, record: { sent: true } });
    const held = await acknowledged(second);
    expect(held).toMatchObject({ sent: 0, ackSentAt: null, record: { sent: false } });
    expect(held.record.reason).toBe('an automatic message went to kim@customer.test within 5 minutes; no acknowledgement sent');
    expect(await acknowledged(third)).toMatchObject({ sent: 1, record: { sent: true } });
  });

  it('counts per address: another address is acknowledged at once', async () => {
    await write({}, 0, 'email', 'kim@customer.test', 'Lost parcel');
    const other = await write({}, 1, 'email', 'lou@customer.test', 'Lost parcel');
    expect((await acknowledged(other)).sent).toBe(1);
  });

  it('applies to every channel (a phone number here), with the hour as default', async () => {
    const first = await write({}, 0, 'sms', '+447700900600', 'Card charged twice');
    await inStore(db).case.updateMany({ where: { id: first }, data: { state: 'closed', closedAt: at } });
    const second = await write({}, 59, 'sms', '+447700900600', 'Charged again');
    expect(second).not.toBe(first);
    expect(await acknowledged(second)).toMatchObject({ sent: 0, record: { sent: false } });
  });

  it('0 turns the limit off', async () => {
    const deps = { autoReplyLimitMinutes: 0 };
    await write(deps, 0, 'email', 'kim@customer.test', 'Lost parcel');
    const second = await write(deps, 0, 'email', 'kim@customer.test', 'Wrong invoice');
    expect((await acknowledged(second)).sent).toBe(1);
  });
});

describe('AUTO_REPLY_LIMIT_MINUTES', () => {
  it('defaults to 60 and takes whole minutes from 0 up', () => {
    expect(loadConfig({}).autoReplyLimitMinutes).toBe(60);
    expect(loadConfig({ AUTO_REPLY_LIMIT_MINUTES: '0' }).autoReplyLimitMinutes).toBe(0);
    expect(loadConfig({ AUTO_REPLY_LIMIT_MINUTES: '1440' }).autoReplyLimitMinutes).toBe(1440);
  });

  it('refuses what is not a number of minutes', () => {
    for (const bad of ['-1', 'soon', 'Infinity']) expect(() => loadConfig({ AUTO_REPLY_LIMIT_MINUTES: bad }), bad).toThrow(/AUTO_REPLY_LIMIT_MINUTES/u);
  });
});
