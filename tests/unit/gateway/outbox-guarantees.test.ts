/**
 * The outbox's promises against the real store: an answer in flight is never taken again, only the
 * attempt holding the claim records its outcome, a send that succeeded is never repeated, nothing starts
 * after stop, answers of one conversation leave in order, and one busy entry does not delay the others.
 */
import { inStore } from '../../support/store-rows.ts';
import { refuseWrites, stopRefusing } from '../../support/refuse-writes.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Db } from '../../../store/db.ts';
import { claimDueOutbox, completeOutbox, failOutbox } from '../../../store/outbound.repository.ts';
import { OutboxWorker } from '../../../gateway/outbox/outbox.worker.ts';
import { EventBus } from '../../../gateway/events.ts';
import { SendError, type ChannelPlugin, type OutboundMessage } from '../../../channels/channel.types.ts';
import { eventually, tempDir } from '../../support/test-app.ts';
import { seedAnswer } from '../../support/outbox-kit.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let db: Db;
beforeEach(async () => {
  db = await Db.open({ url: await testDatabaseUrl(tempDir()), synchronous: 'NORMAL' });
});
afterEach(() => db.close());

function worker(plugin: ChannelPlugin, opts: { leaseMs?: number; maxAttempts?: number; concurrency?: number; log?: pino.Logger } = {}) {
  return new OutboxWorker({
    db,
    channels: new Map([[plugin.name, plugin]]),
    events: new EventBus(),
    log: opts.log ?? pino({ level: 'silent' }),
    now: () => new Date(),
    backoff: { baseMs: 20, maxMs: 100, maxAttempts: opts.maxAttempts ?? 4 },
    leaseMs: opts.leaseMs ?? 5_000,
    concurrency: opts.concurrency ?? 4,
    files: { dataDir: '/nonexistent', publicUrl: 'http://127.0.0.1' },
  });
}

/** A provider that records each call and answers after `ms`, as scripted. */
function slowProvider(ms: number, script: (msg: OutboundMessage, n: number) => 'ok' | 'retry' = () => 'ok') {
  const calls: OutboundMessage[] = [];
  const plugin: ChannelPlugin = {
    name: 'sms',
    enabled: true,
    async send(msg) {
      await msg.confirmSend?.();
      calls.push(msg);
      const step = script(msg, calls.length);
      await sleep(ms);
      if (step === 'retry') throw new SendError('provider busy (429)', true, '429');
      return { status: 'sent', externalId: `SM${calls.length}` };
    },
  };
  return { plugin, calls };
}

const outbox = (interactionId: string) => inStore(db).outboxItem.findUniqueOrThrow({ where: { interactionId } });
const interaction = (id: string) => inStore(db).interaction.findUniqueOrThrow({ where: { id } });

describe('an answer in flight', () => {
  it('is sent once although the send takes longer than the lease, by this worker or by another on the same store', async () => {
    const { id } = await seedAnswer(db);
    // the send takes three leases; the lease is renewed every third of one
    const p = slowProvider(3_000);
    const a = worker(p.plugin, { leaseMs: 1_000 });
    const b = worker(p.plugin, { leaseMs: 1_000 });
    a.start();
    await eventually(async () => p.calls.length === 1);
    b.start();
    // both keep looking for due work while the send is in flight
    for (let i = 0; i < 25; i++) {
      a.wake();
      b.wake();
      await sleep(100);
    }
    await eventually(async () => ((await outbox(id)).status === 'done' ? true : null));
    await Promise.all([a.stop(), b.stop()]);
    expect(p.calls).toHaveLength(1);
    expect(await outbox(id)).toMatchObject({ status: 'done', attempts: 1 });
  });
});

describe('the outcome of an attempt', () => {
  it('is recorded only by the attempt that holds the claim: a late failure of an earlier attempt changes nothing', async () => {
    const { id } = await seedAnswer(db);
    const t0 = new Date();
    const [first] = (await db.transaction((tx) => claimDueOutbox(tx, t0, 100, 1))).items;
    // the first attempt's lease runs out; a second attempt takes the entry and is delivered
    const [second] = (await db.transaction((tx) => claimDueOutbox(tx, new Date(t0.getTime() + 1_000), 100, 1))).items;
    expect(second?.attempts).toBe(2);
    expect(await db.transaction((tx) => completeOutbox(tx, second!, { status: 'delivered', externalId: 'SM2' }, new Date()))).toBe(true);
    // then the first attempt's failure arrives, late
    expect(await db.transaction((tx) => failOutbox(tx, first!, 'timed out', null, new Date()))).toBe(false);
    expect(await db.transaction((tx) => completeOutbox(tx, first!, { status: 'sent', externalId: 'SM1' }, new Date()))).toBe(false);
    expect(await outbox(id)).toMatchObject({ status: 'done', lastError: null });
    expect(await interaction(id)).toMatchObject({ status: 'delivered', error: null, externalId: 'SM2' });
  });

  it('a failed completion write does not send the answer again; only the bookkeeping is retried', async () => {
    const { id } = await seedAnswer(db);
    // the store refuses to record the delivery (a real write error, raised by the database) until told to stop
    await refuseWrites(db, { name: 'refuse_done', table: 'OutboxItem', on: 'UPDATE OF "status"', when: `NEW."status" = 'done'` });
    const logged: string[] = [];
    const p = slowProvider(0);
    const w = worker(p.plugin, { log: pino({ level: 'error' }, { write: (line: string) => void logged.push(line) }) });
    w.start();
    // two records refused (the second 50 ms after the first); the third, with the provider's ids, comes 100 ms later
    await eventually(async () => (logged.filter((l) => l.includes('could not record a delivered send')).length >= 2 ? true : null), 5_000);
    await stopRefusing(db, 'refuse_done');
    await eventually(async () => ((await outbox(id)).status === 'done' ? true : null), 5_000);
    await w.stop();
    expect(p.calls).toHaveLength(1);
    expect(await interaction(id)).toMatchObject({ status: 'sent', externalId: 'SM1' });
  });
});

describe('an attempt whose outcome was never recorded', () => {
  it('makes every later attempt ask the provider first, from the moment it was claimed, until the entry is settled', async () => {
    const { id } = await seedAnswer(db);
    await sleep(20);
    const claimedAt = new Date();
    // a worker claims the entry and dies mid-send: its token stays behind and its lease runs out
    await db.transaction((tx) => claimDueOutbox(tx, claimedAt, 1, 1));
    await sleep(10);
    // the provider cannot be asked at first (a retryable failure), then answers
    const p = slowProvider(0, (_msg, n) => (n === 1 ? 'retry' : 'ok'));
    const w = worker(p.plugin);
    w.start();
    await eventually(async () => ((await outbox(id)).status === 'done' ? true : null), 5_000);
    await w.stop();
    expect(p.calls).toHaveLength(2);
    // the attempt after the failed look-up still asks (the failure cleared the claim, not what it stood for)
    expect(p.calls.map((c) => c.mayBeSentSince?.getTime())).toEqual([claimedAt.getTime(), claimedAt.getTime()]);
    expect(typeof p.calls[1]!.recordedElsewhere).toBe('function');
    expect(await outbox(id)).toMatchObject({ status: 'done', unsettledSince: null });
  });

  it('an answer settled normally never asks', async () => {
    const { id } = await seedAnswer(db);
    const p = slowProvider(0, (_msg, n) => (n === 1 ? 'retry' : 'ok'));
    const w = worker(p.plugin);
    w.start();
    await eventually(async () => ((await outbox(id)).status === 'done' ? true : null), 5_000);
    await w.stop();
    expect(p.calls.map((c) => c.mayBeSentSince)).toEqual([undefined, undefined]);
  });
});

describe('stopping', () => {
  it('waits for a claim in progress and gives back what it claimed: nothing starts after stop, and the next start sends it once', async () => {
    const { id } = await seedAnswer(db);
    const p = slowProvider(0);
    const w = worker(p.plugin);
    w.start();
    // the claim is still committing when stop is asked for
    await w.stop();
    await sleep(200);
    expect(p.calls).toHaveLength(0);
    expect(await outbox(id)).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null });
    const again = worker(p.plugin);
    again.start();
    await eventually(async () => ((await outbox(id)).status === 'done' ? true : null));
    await again.stop();
    expect(p.calls).toHaveLength(1);
  });

  it('gives back a send still waiting for its channel, without counting an attempt', async () => {
    const { id } = await seedAnswer(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const paced: ChannelPlugin = {
      name: 'sms',
      enabled: true,
      sendsPerSecond: 1,
      async send(msg) {
        await gate; // a rate limiter's wait
        await msg.confirmSend?.();
        calls.push(msg.interactionId);
        return { status: 'sent' };
      },
    };
    const w = worker(paced);
    w.start();
    await eventually(async () => ((await outbox(id)).attempts === 1 ? true : null));
    const stopped = w.stop();
    release();
    await stopped;
    expect(calls).toHaveLength(0);
    expect(await outbox(id)).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null });
  });
});

describe('order', () => {
  it('answers of one conversation leave in the order they were written, even when the first must be retried', async () => {
    const conv = await seedAnswer(db, { text: 'first' });
    await conv.answer('second');
    await conv.answer('third');
    const p = slowProvider(10, (msg, n) => (msg.text === 'first' && n === 1 ? 'retry' : 'ok'));
    const w = worker(p.plugin);
    w.start();
    await eventually(async () => ((await inStore(db).outboxItem.count({ where: { status: 'done' } })) === 3 ? true : null));
    await w.stop();
    expect(p.calls.map((c) => c.text)).toEqual(['first', 'first', 'second', 'third']);
  });

  it('other conversations are not held up by one that waits for a retry', async () => {
    const slow = await seedAnswer(db, { text: 'retried', address: '+15550002' });
    await seedAnswer(db, { text: 'other', address: '+15550003' });
    const p = slowProvider(0, (msg) => (msg.text === 'retried' ? 'retry' : 'ok'));
    const w = worker(p.plugin, { maxAttempts: 50 });
    w.start();
    await eventually(async () => p.calls.some((c) => c.text === 'other'));
    await w.stop();
    expect((await outbox(slow.id)).status).toBe('pending');
  });
});

describe('the next wake-up', () => {
  it('an entry leased elsewhere does not delay one due sooner', async () => {
    await seedAnswer(db, { address: '+15550004' });
    // another instance holds the first entry for 20 s
    const held = await db.transaction((tx) => claimDueOutbox(tx, new Date(), 20_000, 1));
    expect(held.items).toHaveLength(1);
    const later = await seedAnswer(db, { address: '+15550005', now: new Date(Date.now() + 400) });
    const p = slowProvider(0);
    const w = worker(p.plugin);
    w.start();
    // due in 0.4 s: well before the other entry's lease ends
    await eventually(async () => ((await outbox(later.id)).status === 'done' ? true : null), 8_000, 'the entry due in 0.4 s');
    await w.stop();
    expect(p.calls.map((c) => c.interactionId)).toEqual([later.id]);
  });
});
