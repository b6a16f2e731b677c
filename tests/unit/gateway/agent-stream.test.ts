import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Db } from '../../../store/db.ts';
import type { Executor } from '../../../store/executor.ts';
import { resolveContact } from '../../../store/contact.repository.ts';
import { insertCase } from '../../../store/case.repository.ts';
import { addCaseEvent } from '../../../store/interaction.repository.ts';
import { AgentStream } from '../../../gateway/agent-stream.ts';
import { attachViews } from '../../../gateway/event-views.ts';
import { EventBus, type GatewayEvent } from '../../../gateway/events.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

let db: Db;
let reads: number;
beforeEach(async () => {
  db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
  reads = 0;
});
afterEach(() => db.close());

/** the store's reader, counting the queries it runs */
function countingReads(): Db {
  const read = new Proxy(db.read, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        reads++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Executor;
  return new Proxy(db, { get: (target, prop) => (prop === 'read' ? read : Reflect.get(target, prop, target)) });
}

/** a console's socket: what it was sent */
function consoleSocket() {
  const sent: any[] = [];
  const ws = Object.assign(new EventEmitter(), { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (t: string) => sent.push(JSON.parse(t)), close() {} });
  return { ws: ws as unknown as WebSocket, sent };
}

async function caseWithNote(text: string): Promise<GatewayEvent[]> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const contact = await resolveContact(tx, 'chat', { address: `s-${text}`, name: 'Mia' }, now);
    const caseId = await insertCase(tx, {
      channel: 'chat', subject: text, priority: 3, queueId: null, category: null, sentiment: 0, frustrated: false, tags: [], requiredSkills: [],
      contactId: contact.contactId, accountId: null, linkedCaseId: null, routing: '{}', acknowledged: false, now,
    });
    const note = await addCaseEvent(tx, { caseId, channel: 'chat', agentId: null, text, now, kind: 'note' });
    const events: GatewayEvent[] = [
      { type: 'case.created', caseId },
      { type: 'interaction.added', caseId, interactionId: note.id, direction: 'note', channel: 'chat', kind: 'note' },
    ];
    return attachViews(tx, events);
  });
}

describe('the agent stream', () => {
  it('renders events that carry their case and interaction without reading the store', async () => {
    const bus = new EventBus();
    const stream = new AgentStream(countingReads(), bus, pino({ level: 'silent' }));
    const c = consoleSocket();
    stream.add(c.ws);
    const events = [...(await caseWithNote('first')), ...(await caseWithNote('second'))];
    for (const e of events) bus.emit(e);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toBe(0);
    expect(c.sent.map((f) => [f.type, f.case.subject, f.interaction?.text])).toEqual([
      ['case.created', 'first', undefined],
      ['interaction.added', 'first', 'first'],
      ['case.created', 'second', undefined],
      ['interaction.added', 'second', 'second'],
    ]);
    stream.close();
  });

  it('reads, once per batch, what an event does not carry', async () => {
    const bus = new EventBus();
    const stream = new AgentStream(countingReads(), bus, pino({ level: 'silent' }));
    const c = consoleSocket();
    stream.add(c.ws);
    const events = await caseWithNote('bare');
    for (const e of events) bus.emit({ ...e, case: undefined, ...('interaction' in e ? { interaction: undefined } : {}) } as GatewayEvent);
    await new Promise((r) => setTimeout(r, 50));
    expect(reads).toBe(2);
    expect(c.sent.map((f) => [f.type, f.case.subject, f.interaction?.text])).toEqual([
      ['case.created', 'bare', undefined],
      ['interaction.added', 'bare', 'bare'],
    ]);
    stream.close();
  });
});

describe('views on events', () => {
  it('are wanted while a console is connected, and not after it left', async () => {
    const bus = new EventBus();
    const stream = new AgentStream(db, bus, pino({ level: 'silent' }));
    expect(bus.viewsWanted).toBe(false);
    const a = consoleSocket();
    const b = consoleSocket();
    stream.add(a.ws);
    stream.add(b.ws);
    expect(bus.viewsWanted).toBe(true);
    (a.ws as unknown as EventEmitter).emit('close');
    expect(bus.viewsWanted).toBe(true);
    (b.ws as unknown as EventEmitter).emit('close');
    expect(bus.viewsWanted).toBe(false);
    stream.close();
  });
});
