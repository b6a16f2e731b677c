/**
 * Presence across instances when words get lost: two buses joined by an in-memory transport that can drop
 * what one instance publishes; the heartbeat makes good a lost "left the case", and a gap forgets the others.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EventBus, type TransportHandlers } from '../../../gateway/events.ts';
import { CasePresence } from '../../../gateway/case-presence.ts';

/** Buses on one in-memory wire; `drop` loses what is published while it is true. */
async function wire(n: number) {
  const handlers: TransportHandlers[] = [];
  const state = { drop: false };
  const buses: EventBus[] = [];
  for (let i = 0; i < n; i++) {
    const bus = new EventBus();
    await bus.connect(
      async (h) => {
        handlers.push(h);
        return { publish: (payload: string) => void (state.drop || handlers.forEach((x) => x.message(payload))), close: async () => undefined };
      },
      { maxPayloadBytes: 8000, onError: () => undefined },
    );
    buses.push(bus);
  }
  return { buses, state, handlers };
}

/** A socket that records what it is sent. */
function socket(): WebSocket & { sent: any[] } {
  const sent: any[] = [];
  return { OPEN: 1, readyState: 1, send: (text: string) => sent.push(JSON.parse(text)), sent } as unknown as WebSocket & { sent: any[] };
}
const flush = () => new Promise((r) => setImmediate(r));
const names = (s: { sent: any[] }, kase: string) => s.sent.filter((f) => f.type === 'case.presence' && f.case === kase).at(-1)?.viewers.map((v: { name: string }) => v.name);

describe('case presence across instances', () => {
  it('a lost word of leaving is made good by the next heartbeat; a gap forgets the other instances', async () => {
    const { buses, state, handlers } = await wire(2);
    const a = new CasePresence(buses[0]!);
    const b = new CasePresence(buses[1]!);
    const ann = socket();
    const bob = socket();
    a.watch(ann, { agentId: 'ann', name: 'Ann' }, { case: 'CS0001001', typing: false });
    b.watch(bob, { agentId: 'bob', name: 'Bob' }, { case: 'CS0001001', typing: false });
    await flush();
    expect(names(ann, 'CS0001001')).toEqual(['Ann', 'Bob']);

    // Bob leaves while the wire drops everything: Ann still sees him
    state.drop = true;
    b.watch(bob, { agentId: 'bob', name: 'Bob' }, { case: null, typing: false });
    await flush();
    state.drop = false;
    expect(names(ann, 'CS0001001')).toEqual(['Ann', 'Bob']);
    // B's next heartbeat lists no open case: A forgets Bob there
    b.heartbeat();
    await flush();
    expect(names(ann, 'CS0001001')).toEqual(['Ann']);

    // Bob back; then the wire reports a gap: A forgets what it heard from B until B speaks again
    b.watch(bob, { agentId: 'bob', name: 'Bob' }, { case: 'CS0001001', typing: true });
    await flush();
    const seen = () => ann.sent.filter((f) => f.type === 'case.presence').at(-1).viewers.map((v: { name: string; typing: boolean }) => `${v.name}${v.typing ? ' typing' : ''}`);
    expect(seen()).toEqual(['Ann', 'Bob typing']);
    handlers[0]!.gap();
    expect(seen()).toEqual(['Ann']);
    b.heartbeat();
    await flush();
    expect(seen()).toEqual(['Ann', 'Bob typing']);
    a.close();
    b.close();
  });
});
