import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Db } from '../../../store/db.ts';
import { enqueueOutbound } from '../../../store/outbound.repository.ts';
import { OutboxWorker } from '../../../gateway/outbox/outbox.worker.ts';
import { EventBus } from '../../../gateway/events.ts';
import { SendError, type ChannelPlugin, type OutboundMessage } from '../../../channels/channel.types.ts';
import { eventually, tempDir } from '../../support/test-app.ts';

/** A provider that fails as scripted: the outbox is the code under test, the provider is the stand-in. */
function scriptedProvider(script: Array<'ok' | 'retry' | 'fatal'>) {
  const calls: OutboundMessage[] = [];
  const plugin: ChannelPlugin = {
    name: 'sms',
    enabled: true,
    async send(msg) {
      calls.push(msg);
      const step = script[Math.min(calls.length - 1, script.length - 1)];
      if (step === 'retry') throw new SendError('provider busy (429)', true, '429');
      if (step === 'fatal') throw new SendError('number is opted out at the carrier', false, '21610');
      return { status: 'sent', externalId: `SM${calls.length}` };
    },
  };
  return { plugin, calls };
}

let db: Db;
let events: EventBus;
beforeEach(async () => {
  db = await Db.open({ url: `file:${path.join(tempDir(), 'o.db')}`, synchronous: 'NORMAL' });
  events = new EventBus();
});
afterEach(() => db.close());

async function seedAnswer(optedOut = false) {
  return db.write(async (tx) => {
    const contact = await tx.contact.create({ data: { phone: '+15550001' } });
    await tx.channelIdentity.create({ data: { channel: 'sms', address: '+15550001', contactId: contact.id, optedOut } });
    const kase = await tx.case.create({ data: { channel: 'sms', contactId: contact.id, subject: 'hi' } });
    const inbound = await tx.interaction.create({
      data: { caseId: kase.id, channel: 'sms', direction: 'inbound', externalId: 'SMin', fromAddress: '+15550001', status: 'processed', meta: JSON.stringify({ message: { meta: {} } }) },
    });
    return enqueueOutbound(tx, { caseId: kase.id, replyTo: inbound, text: 'answer', kind: 'message', agentId: null, now: new Date() });
  });
}

function worker(plugin: ChannelPlugin, maxAttempts = 4) {
  return new OutboxWorker({
    db,
    channels: new Map([['sms', plugin]]),
    events,
    log: pino({ level: 'silent' }),
    now: () => new Date(),
    backoff: { baseMs: 10, maxMs: 50, maxAttempts },
    leaseMs: 5_000,
    concurrency: 4,
  });
}

async function state(id: string) {
  const i = await db.prisma.interaction.findUniqueOrThrow({ where: { id }, include: { outbox: true } });
  return { status: i.status, error: i.error, externalId: i.externalId, outbox: i.outbox?.status, attempts: i.outbox?.attempts };
}

describe('OutboxWorker', () => {
  it('retries retryable failures with backoff, then sends', async () => {
    const { id } = await seedAnswer();
    const p = scriptedProvider(['retry', 'retry', 'ok']);
    const w = worker(p.plugin);
    w.start();
    const s = await eventually(async () => ((await state(id)).outbox === 'done' ? state(id) : null));
    await w.stop();
    expect(s).toMatchObject({ status: 'sent', error: null, externalId: 'SM3', attempts: 3 });
    expect(p.calls).toHaveLength(3);
    expect(p.calls[0]).toMatchObject({ to: { address: '+15550001' }, text: 'answer', caseNumber: 'CS0001001', attempt: 1 });
  });

  it('gives up after the last attempt with the reason on the interaction', async () => {
    const { id } = await seedAnswer();
    const p = scriptedProvider(['retry']);
    const failed: string[] = [];
    events.on((e) => e.type === 'interaction.status' && failed.push(e.status));
    const w = worker(p.plugin, 3);
    w.start();
    const s = await eventually(async () => ((await state(id)).outbox === 'failed' ? state(id) : null));
    await w.stop();
    expect(p.calls).toHaveLength(3);
    expect(s).toMatchObject({ status: 'failed', error: '429: provider busy (429)' });
    expect(failed).toEqual(['failed']);
  });

  it('fails a permanent error at once', async () => {
    const { id } = await seedAnswer();
    const p = scriptedProvider(['fatal']);
    const w = worker(p.plugin);
    w.start();
    const s = await eventually(async () => ((await state(id)).outbox === 'failed' ? state(id) : null));
    await w.stop();
    expect(p.calls).toHaveLength(1);
    expect(s.error).toContain('21610');
  });

  it('never sends to a recipient who opted out', async () => {
    const { id } = await seedAnswer(true);
    const p = scriptedProvider(['ok']);
    const w = worker(p.plugin);
    w.start();
    const s = await eventually(async () => ((await state(id)).outbox === 'failed' ? state(id) : null));
    await w.stop();
    expect(p.calls).toHaveLength(0);
    expect(s.error).toContain('opted out');
  });
});
