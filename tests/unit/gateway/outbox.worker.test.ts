import { inStore } from '../../support/store-rows.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Db } from '../../../store/db.ts';
import { OutboxWorker, sendsInHand } from '../../../gateway/outbox/outbox.worker.ts';
import { EventBus } from '../../../gateway/events.ts';
import { SendError, type ChannelPlugin, type OutboundMessage } from '../../../channels/channel.types.ts';
import { eventually, tempDir } from '../../support/test-app.ts';
import { seedAnswer as seed } from '../../support/outbox-kit.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

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
  db = await Db.open({ url: await testDatabaseUrl(tempDir()), synchronous: 'NORMAL' });
  events = new EventBus();
});
afterEach(() => db.close());

const seedAnswer = async (optedOut = false, channel = 'sms', address = '+15550001') => seed(db, { optedOut, channel, address });

/** these answers carry no files */
const NO_FILES = { dataDir: '/nonexistent', publicUrl: 'http://127.0.0.1' };

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
    files: NO_FILES,
  });
}

async function state(id: string) {
  const i = await inStore(db).interaction.findUniqueOrThrow({ where: { id }, include: { outbox: true } });
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

  it('holds only a few sends of a self-paced channel: each goes out once although they wait past the lease, and other channels are not held up', async () => {
    // a provider paced at 5 sends/s, one at a time, as a rate limiter would
    const started: Array<{ id: string; at: number }> = [];
    let chain = Promise.resolve();
    const paced: ChannelPlugin = {
      name: 'sms',
      enabled: true,
      sendsPerSecond: 5,
      send(msg) {
        const turn = chain.then(async () => {
          started.push({ id: msg.interactionId, at: Date.now() });
          await new Promise((r) => setTimeout(r, 200));
        });
        chain = turn;
        return turn.then(() => ({ status: 'sent' as const, externalId: `SM-${msg.interactionId}` }));
      },
    };
    const chatSent: number[] = [];
    const chat: ChannelPlugin = { name: 'chat', enabled: true, async send() { chatSent.push(Date.now()); return { status: 'delivered' }; } };
    const smsIds: string[] = [];
    for (let i = 0; i < 12; i++) smsIds.push((await seedAnswer(false, 'sms', `+1555000${100 + i}`)).id);
    const w = new OutboxWorker({
      db,
      channels: new Map([['sms', paced], ['chat', chat]]),
      events,
      log: pino({ level: 'silent' }),
      now: () => new Date(),
      backoff: { baseMs: 10, maxMs: 50, maxAttempts: 4 },
      // 12 sends at 5/s take 2.4 s: with all of them in hand, the last ones would wait past this lease
      leaseMs: 1_000,
      files: NO_FILES,
      concurrency: 8,
    });
    w.start();
    await new Promise((r) => setTimeout(r, 100));
    const chatQueuedAt = Date.now();
    await seedAnswer(false, 'chat', 'session-1');
    w.wake();
    await eventually(async () => ((await inStore(db).outboxItem.count({ where: { status: 'done' } })) === 13 ? true : null), 10_000);
    await w.stop();
    // each answer went out once
    expect(started.map((s) => s.id).sort()).toEqual([...smsIds].sort());
    // the chat answer did not wait behind the SMS backlog (which takes 2.4 s)
    expect(chatSent).toHaveLength(1);
    expect(chatSent[0]! - chatQueuedAt).toBeLessThan(1_000);
  });

  it('sendsInHand: the pacing window plus the time sends take at the provider, always a slot left for others', () => {
    expect(sendsInHand(1, 0, 8)).toBe(5);
    // a provider taking 2 s a send needs two more in hand to keep a pace of one a second
    expect(sendsInHand(1, 2, 10)).toBe(7);
    expect(sendsInHand(100, 0, 8)).toBe(7);
    expect(sendsInHand(0.01, 0, 8)).toBe(1);
    expect(sendsInHand(5, 0, 1)).toBe(1);
  });
});
