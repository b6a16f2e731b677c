/**
 * The event transport on a real PostgreSQL server: events cross between two buses in order, in batches that
 * respect NOTIFY's payload limit, without their views and never back to their sender; a lost connection
 * comes back by itself and its owner hears of the gap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Db, MAX_NOTIFY_BYTES } from '../../store/db.ts';
import { EventBus, type EventSource, type GatewayEvent } from '../../gateway/events.ts';
import { tempDir, eventually } from '../support/test-app.ts';
import { testDatabaseUrl } from '../support/test-database.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function connectedBus(url: string, channel: string) {
  const db = await Db.open({ url });
  const bus = new EventBus();
  const errors: unknown[] = [];
  await bus.connect((handlers) => db.listen(channel, handlers), { maxPayloadBytes: MAX_NOTIFY_BYTES, onError: (err) => errors.push(err) });
  const heard: Array<{ e: GatewayEvent; source: EventSource }> = [];
  bus.on((e, source) => heard.push({ e, source }));
  cleanup.push(async () => {
    await bus.close();
    await db.close();
  });
  return { bus, heard, errors };
}

describe('events between instances over LISTEN/NOTIFY', () => {
  it('reach the other bus in order, without views, and not back to the sender', async () => {
    const url = await testDatabaseUrl(tempDir());
    const a = await connectedBus(url, 'events_order');
    const b = await connectedBus(url, 'events_order');
    const events: GatewayEvent[] = [...Array(600).keys()].map((i) => ({
      type: 'case.updated',
      caseId: i + 1,
      changes: ['priority'],
      origin: 'api',
      case: { number: `CS${i}`, subject: 'x'.repeat(200) } as never,
    }));
    for (const e of events) a.bus.emit(e);
    const remote = await eventually(async () => (b.heard.length === events.length ? b.heard : null), 10_000, 'every event on the other bus');
    expect(remote.every((h) => h.source === 'remote')).toBe(true);
    expect(remote.map((h) => h.e.caseId)).toEqual(events.map((e) => e.caseId));
    expect(remote.every((h) => !('case' in h.e))).toBe(true);
    // the sender heard its own at once, as local, and never again from the server
    await new Promise((r) => setTimeout(r, 200));
    expect(a.heard).toHaveLength(events.length);
    expect(a.heard.every((h) => h.source === 'local' && 'case' in h.e)).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('tells only the others what is meant for the others', async () => {
    const url = await testDatabaseUrl(tempDir());
    const a = await connectedBus(url, 'events_relay');
    const b = await connectedBus(url, 'events_relay');
    a.bus.tellOthers({ type: 'answer.relayed', caseId: null, channel: 'chat', conversationKey: 'chat:s1', interactionId: 'i1' });
    await eventually(async () => (b.heard.length === 1 ? true : null), 5_000, 'the relayed answer');
    expect(b.heard[0]).toEqual({ e: { type: 'answer.relayed', caseId: null, channel: 'chat', conversationKey: 'chat:s1', interactionId: 'i1' }, source: 'remote' });
    expect(a.heard).toEqual([]);
  });

  it('a listening connection killed by the server comes back, says events were missed, and carries events again', async () => {
    const url = await testDatabaseUrl(tempDir());
    const a = await connectedBus(url, 'events_gap');
    const b = await connectedBus(url, 'events_gap');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanup.push(() => admin.end());
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard-events' AND datname = current_database()`,
    );
    expect(killed.rowCount).toBe(2);
    await eventually(async () => (b.heard.some((h) => h.e.type === 'events.missed') ? true : null), 10_000, 'the gap reported');
    expect(b.heard.find((h) => h.e.type === 'events.missed')!.source).toBe('remote');
    await eventually(async () => (a.heard.some((h) => h.e.type === 'events.missed') ? true : null), 10_000, 'the gap reported on the sender too');
    a.bus.emit({ type: 'directory.changed', caseId: null });
    await eventually(async () => (b.heard.some((h) => h.e.type === 'directory.changed') ? true : null), 5_000, 'events flow again');
  });

  it('events published while the sender was cut off are owed: its listeners, whose connection never dropped, hear they missed them', async () => {
    const url = await testDatabaseUrl(tempDir());
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanup.push(() => admin.end());
    const a = await connectedBus(url, 'events_owed');
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'switchboard-events' AND datname = current_database()`,
    );
    expect(rows).toHaveLength(1);
    const b = await connectedBus(url, 'events_owed');
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    // while A is cut off (or before it notices), what it emits cannot reach B
    for (let i = 0; i < 20; i++) {
      a.bus.emit({ type: 'case.updated', caseId: i + 1, changes: ['priority'] });
      await new Promise((r) => setTimeout(r, 10));
    }
    const missed = await eventually(async () => b.heard.find((h) => h.e.type === 'events.missed') ?? null, 10_000, 'B told it missed events');
    expect(missed.source).toBe('remote');
    // B's own connection never dropped: the notice is A's
    a.bus.emit({ type: 'directory.changed', caseId: null });
    await eventually(async () => (b.heard.some((h) => h.e.type === 'directory.changed') ? true : null), 5_000, 'events flow again');
  });

  it('close waits for the publishes under way', async () => {
    const url = await testDatabaseUrl(tempDir());
    const a = await connectedBus(url, 'events_close');
    const b = await connectedBus(url, 'events_close');
    a.bus.emit({ type: 'directory.changed', caseId: null });
    await a.bus.close();
    await eventually(async () => (b.heard.some((h) => h.e.type === 'directory.changed') ? true : null), 5_000, 'the last event before close');
  });
});
