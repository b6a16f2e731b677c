import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Db } from '../store/db.ts';
import type { CaseView } from '../store/case.repository.ts';
import type { InteractionView } from '../store/interaction.repository.ts';
import { streamViews } from '../store/stream.repository.ts';
import type { EventBus, GatewayEvent } from './events.ts';

/** What an agent's console receives: the event, with the case as it is now and the interaction it names. */
export interface AgentStreamFrame {
  type: 'case.created' | 'case.updated' | 'interaction.added' | 'interaction.status' | 'sla.alert' | 'assignment.alert' | 'note.mention';
  case: CaseView;
  /** note.mention: the agents the note (the interaction) names */
  mentioned?: string[];
  interaction?: InteractionView;
  changes?: string[];
  origin?: string;
  /** sla.alert: which promise of the case is about to break or broke */
  alert?: { when: 'warning' | 'breach'; target: string; policy: string; dueAt: string };
  /** assignment.alert: why assignment gave up on the case */
  reason?: string;
}

/** Sent in place of events the stream dropped: the console re-reads its list and its open case from the API. */
export interface AgentStreamResync {
  type: 'resync';
  skipped: number;
}

/**
 * Events held in memory at most. The store already has every change, so a backlog beyond this is
 * dropped and the consoles re-read the store, rather than this process holding an unbounded queue.
 */
export const AGENT_STREAM_WINDOW = 1_000;

/** Events turned into frames per turn of the event loop: two queries, then the loop is given back. */
const BATCH = 100;

/** cases whose newest view is remembered */
const MAX_NEWEST = 10_000;

/** A console that lets this much pile up unread is too slow to follow; it is closed and reconnects. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type CaseEvent = GatewayEvent & { caseId: number };

/**
 * Every case event, read from the store once whatever the number of agents listening, and pushed to
 * every connected console in the order the events happened.
 */
export class AgentStream {
  private readonly sockets = new Set<WebSocket>();
  private queued: CaseEvent[] = [];
  private inFlight = 0;
  /** events dropped since the last resync frame */
  private skipped = 0;
  private draining = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  /** while a console is connected, writers attach views to their events */
  private releaseViews: (() => void) | null = null;
  /** the newest view of each case sent: an event emitted late (its commit's listeners ran after a newer one's) never shows an older case */
  private readonly newest = new Map<string, CaseView>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribe = events.on((e) => this.accept(e));
  }

  connections(): number {
    return this.sockets.size;
  }

  /** Events in memory, waiting or being read: never more than AGENT_STREAM_WINDOW. */
  pending(): number {
    return this.queued.length + this.inFlight;
  }

  add(socket: WebSocket): void {
    this.sockets.add(socket);
    this.releaseViews ??= this.events.wantViews();
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.sockets.size === 0) {
        this.releaseViews?.();
        this.releaseViews = null;
      }
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.releaseViews?.();
    this.releaseViews = null;
    this.queued = [];
    for (const ws of this.sockets) ws.close(1001, 'server shutting down');
  }

  private accept(e: GatewayEvent): void {
    if (this.sockets.size === 0) return;
    if (e.type === 'events.missed') {
      // changes made on other instances meanwhile are not in the queue: the consoles re-read
      this.skipped += 1;
      this.schedule();
      return;
    }
    if (e.caseId === null) return;
    // an SLA moment reaches the consoles only when its policy says to tell them
    if (e.type === 'sla.alert' && !e.notify.some((n) => n.channel === 'console')) return;
    if (this.pending() >= AGENT_STREAM_WINDOW) {
      // the store has all of it: the consoles re-read it (one resync frame) instead of this queue growing
      this.skipped += this.queued.length;
      this.queued = [];
    }
    this.queued.push(e as CaseEvent);
    this.schedule();
  }

  private schedule(): void {
    if (this.draining) return;
    this.draining = true;
    // a turn's worth of events (one commit often emits several) waits to share the first batch
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0 || this.skipped > 0) {
        if (this.sockets.size === 0 || this.closed) {
          this.queued = [];
          this.skipped = 0;
          return;
        }
        // before anything that happened after the drop, so what follows applies on top of the reload
        if (this.skipped > 0) {
          this.broadcast(JSON.stringify({ type: 'resync', skipped: this.skipped } satisfies AgentStreamResync));
          this.skipped = 0;
        }
        await this.sendBatch(this.queued.splice(0, BATCH));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private async sendBatch(batch: CaseEvent[]): Promise<void> {
    if (batch.length === 0) return;
    this.inFlight = batch.length;
    try {
      for (const frame of await framesOf(this.db, batch)) this.broadcast(JSON.stringify(this.newestOf(frame)));
    } catch (err) {
      this.log.warn({ err, events: batch.length }, 'agent stream: events dropped, consoles told to resync');
      this.skipped += batch.length;
    } finally {
      this.inFlight = 0;
    }
  }

  private newestOf(frame: AgentStreamFrame): AgentStreamFrame {
    const caseId = frame.case.number;
    const known = this.newest.get(caseId);
    if (known && known.updatedAt > frame.case.updatedAt) return { ...frame, case: known };
    this.newest.delete(caseId);
    if (this.newest.size >= MAX_NEWEST) this.newest.delete(this.newest.keys().next().value!);
    this.newest.set(caseId, frame.case);
    return frame;
  }

  private broadcast(text: string): void {
    for (const ws of this.sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.close(1013, 'too slow');
      else ws.send(text);
    }
  }
}

/**
 * One frame per event, in the batch's order. Events carry their case and interaction as their commit left
 * them (event-views.ts); only what an event lacks is read, once for the whole batch.
 */
async function framesOf(db: Db, batch: CaseEvent[]): Promise<AgentStreamFrame[]> {
  const caseIds = [...new Set(batch.flatMap((e) => (e.case ? [] : [e.caseId])))];
  const interactionIds = [...new Set(batch.flatMap((e) => ('interactionId' in e && !e.interaction ? [e.interactionId] : [])))];
  const { cases, interactions } =
    caseIds.length || interactionIds.length ? await streamViews(db.read, caseIds, interactionIds) : { cases: new Map<number, CaseView>(), interactions: new Map<string, InteractionView>() };
  const frames: AgentStreamFrame[] = [];
  for (const e of batch) {
    const view = e.case ?? cases.get(e.caseId);
    if (!view) continue;
    const frame: AgentStreamFrame = { type: e.type as AgentStreamFrame['type'], case: view };
    if (e.type === 'case.updated') Object.assign(frame, { changes: e.changes, origin: e.origin });
    if (e.type === 'sla.alert') frame.alert = { when: e.when, target: e.target, policy: e.policy, dueAt: e.dueAt };
    if (e.type === 'assignment.alert') frame.reason = e.reason;
    if (e.type === 'note.mention') frame.mentioned = e.mentioned;
    if ('interactionId' in e) {
      const interaction = e.interaction ?? interactions.get(e.interactionId);
      if (interaction) frame.interaction = interaction;
    }
    frames.push(frame);
  }
  return frames;
}
