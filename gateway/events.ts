import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CaseView } from '../store/case.repository.ts';
import type { InteractionView } from '../store/interaction.repository.ts';
import type { NotifyChannel } from '../routing/sla-policy.ts';

/**
 * What happened, told after the commit that stored it. `case` (the case as that commit left it) and
 * `interaction` are attached by the writer (see event-views.ts), so listeners need not read them back.
 */
export type GatewayEvent =
  | { type: 'case.created'; caseId: number; case?: CaseView }
  | { type: 'case.updated'; caseId: number; changes: string[]; actor?: string; origin?: string; case?: CaseView }
  | { type: 'interaction.added'; caseId: number; interactionId: string; direction: string; channel: string; kind: string; origin?: string; case?: CaseView; interaction?: InteractionView }
  | { type: 'interaction.status'; caseId: number | null; interactionId: string; status: string; error?: string | null; case?: CaseView; interaction?: InteractionView }
  /** queues, agents or API tokens changed (created, edited, presence, revoked): caches of them are stale */
  | { type: 'directory.changed'; caseId: null }
  /** a new version of the routing rules is in force */
  | { type: 'rules.changed'; caseId: null; version: number }
  /** a new version of the SLA policies is in force */
  | { type: 'sla.changed'; caseId: null; version: number }
  /** a queue's overflow steps or aging changed: the next steps of its waiting cases are planned again */
  | { type: 'queue.waitChanged'; caseId: null; queueId: string }
  /** a business calendar changed (hours, holidays, zone): the SLA clocks of open cases are worked out again */
  | { type: 'calendar.changed'; caseId: null; calendarId: string }
  /** assignment gave up on a case (nobody took it in its queue's rounds): the supervisors' consoles are told */
  | { type: 'assignment.alert'; caseId: number; reason: string; case?: CaseView }
  /** an SLA moment came for a case (a warning, a breach): consoles alert, Slack tells the queue's channel */
  | { type: 'sla.alert'; caseId: number; when: 'warning' | 'breach'; target: string; policy: string; dueAt: string; notify: Array<{ channel: NotifyChannel; to?: string }>; case?: CaseView }
  /**
   * An answer another instance sent on a channel whose customers hold a connection to one instance (web
   * chat): the instance holding it hands the answer over. Only ever told to the other instances.
   */
  | { type: 'answer.relayed'; caseId: null; channel: string; conversationKey: string; interactionId: string }
  /** the other instances' events were lost for a while (the connection carrying them dropped): caches and views must be read again */
  | { type: 'events.missed'; caseId: null }
  /** an internal note names agents (`@Ann Lee`): their workspaces tell them */
  | { type: 'note.mention'; caseId: number; interactionId: string; mentioned: string[]; by: string | null; case?: CaseView; interaction?: InteractionView }
  /** who has a case open on one instance, and typing (gateway/case-presence.ts); nothing stored */
  | { type: 'case.presence'; caseId: null; caseNumber: string; instance: string; viewers: Array<{ agentId: string; name: string; typing: boolean }> }
  /** the cases an instance's agents have open now: the others forget what they knew of it for any other case */
  | { type: 'case.presence.snapshot'; caseId: null; instance: string; caseNumbers: string[] };

/** Who an event came from: this process, or another instance on the same database. */
export type EventSource = 'local' | 'remote';

/**
 * How events travel between instances: fire-and-forget text to every instance, this one included.
 * PostgreSQL's LISTEN/NOTIFY is the one transport today (store/postgres.notify.ts); another (Redis
 * pub/sub, say) only has to give this.
 */
export interface EventTransport {
  publish(payload: string): void;
  close(): Promise<void>;
}

/** What a transport delivers to the bus. */
export interface TransportHandlers {
  message(payload: string): void;
  gap(): void;
  error(err: unknown): void;
  /** what the transport publishes once it can again after losing a publish of this bus */
  lostNotice: string;
}

/**
 * Fan-out of what happened to the chat sockets, the agent stream, Slack mirroring and the caches; with a
 * transport, to the same listeners on every other instance too. An event crosses without its views
 * (ids only: the receivers read what they show), in batches of what one turn of the event loop emitted.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private viewers = 0;
  private transport: EventTransport | null = null;
  private readonly instance = crypto.randomUUID();
  private outgoing: string[] = [];
  private flushScheduled = false;
  private maxPayloadBytes = Infinity;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /**
   * Joins the other instances through a transport (opened with the handlers the bus gives it; null when
   * there is none, as on SQLite). `maxPayloadBytes` is the most one publish may carry.
   */
  async connect(open: (handlers: TransportHandlers) => Promise<EventTransport | null>, opts: { maxPayloadBytes: number; onError: (err: unknown) => void }): Promise<void> {
    this.maxPayloadBytes = opts.maxPayloadBytes;
    this.transport = await open({
      message: (payload) => this.receive(payload),
      gap: () => this.deliver({ type: 'events.missed', caseId: null }, 'remote'),
      error: opts.onError,
      lostNotice: JSON.stringify({ from: this.instance, missed: true }),
    });
  }

  /** Whether other instances may hear this bus (a transport is connected). */
  get shared(): boolean {
    return this.transport !== null;
  }

  async close(): Promise<void> {
    this.flush();
    const t = this.transport;
    this.transport = null;
    await t?.close();
  }

  /**
   * A listener renders events (an open console, an agent-facing channel): while one does, the hot paths
   * attach case and interaction views to what they emit. Returns the release.
   */
  wantViews(): () => void {
    this.viewers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.viewers--;
    };
  }

  get viewsWanted(): boolean {
    return this.viewers > 0;
  }

  /** Tells this process's listeners, then the other instances. */
  emit(e: GatewayEvent): void {
    this.deliver(e, 'local');
    if (this.transport) this.send(e);
  }

  /** Tells only the other instances (nothing happens here when there are none). */
  tellOthers(e: GatewayEvent): void {
    if (this.transport) this.send(e);
  }

  /**
   * Listeners must not throw; a throwing one is isolated so the others still run. A listener that acts on
   * the outside world (posts to Slack, wakes a worker) acts on `local` events only: each event is local to
   * exactly one instance. Caches and views follow both.
   */
  on(listener: (e: GatewayEvent, source: EventSource) => void): () => void {
    const safe = (e: GatewayEvent, source: EventSource) => {
      try {
        listener(e, source);
      } catch {
        // a listener's failure is its own; the event still reaches the rest
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }

  private deliver(e: GatewayEvent, source: EventSource): void {
    this.emitter.emit('event', e, source);
  }

  private send(e: GatewayEvent): void {
    this.outgoing.push(JSON.stringify(withoutViews(e)));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** One publish per batch that fits the transport's payload limit; an event too large alone is dropped (none comes near). */
  private flush(): void {
    this.flushScheduled = false;
    const items = this.outgoing;
    this.outgoing = [];
    const t = this.transport;
    if (!t || items.length === 0) return;
    const head = `{"from":"${this.instance}","events":[`;
    let batch: string[] = [];
    let bytes = head.length + 2;
    for (const item of items) {
      const size = Buffer.byteLength(item) + 1;
      if (batch.length > 0 && bytes + size > this.maxPayloadBytes) {
        t.publish(`${head}${batch.join(',')}]}`);
        batch = [];
        bytes = head.length + 2;
      }
      if (bytes + size > this.maxPayloadBytes) continue;
      batch.push(item);
      bytes += size;
    }
    if (batch.length > 0) t.publish(`${head}${batch.join(',')}]}`);
  }

  private receive(payload: string): void {
    let parsed: { from?: unknown; events?: unknown; missed?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    // this instance hears its own publishes too; its listeners had those at once
    if (parsed.from === this.instance) return;
    // another instance could not publish for a while: what it did meanwhile never arrived
    if (parsed.missed === true) return this.deliver({ type: 'events.missed', caseId: null }, 'remote');
    if (!Array.isArray(parsed.events)) return;
    for (const e of parsed.events as GatewayEvent[]) {
      if (e && typeof e === 'object' && typeof e.type === 'string') this.deliver(e, 'remote');
    }
  }
}

function withoutViews(e: GatewayEvent): GatewayEvent {
  if (!('case' in e) && !('interaction' in e)) return e;
  const { case: _case, interaction: _interaction, ...ids } = e as GatewayEvent & { case?: unknown; interaction?: unknown };
  return ids as GatewayEvent;
}
