import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import { claimDueOutbox, completeOutbox, failOutbox, nextOutboxDue, type ClaimedItem } from '../../store/outbound.repository.ts';
import { RECIPIENT_OPTED_OUT, SendError, type ChannelPlugin } from '../../channels/channel.types.ts';
import type { EventBus } from '../events.ts';
import { buildOutbound } from './build-outbound.ts';
import { setOptOut } from '../../store/contact.repository.ts';
import { retryDelay, type BackoffPolicy } from './backoff.ts';
import type { OutboxReporter } from '../metrics/reporters.ts';

export interface OutboxDeps {
  db: Db;
  channels: Map<string, ChannelPlugin>;
  events: EventBus;
  log: FastifyBaseLogger;
  now: () => Date;
  backoff: BackoffPolicy;
  /** how long a claimed entry stays reserved for the worker that took it */
  leaseMs: number;
  concurrency: number;
  metrics?: OutboxReporter;
}

/**
 * How many sends of a channel paced at `perSecond` the outbox holds at once: a few seconds' worth keeps
 * its limiter busy; no more than half a lease's worth, so none waits past its lease; and at least one
 * slot always stays free for the other channels.
 */
export function sendsInHand(perSecond: number, leaseMs: number, concurrency: number): number {
  const withinLease = Math.floor((perSecond * leaseMs) / 2000);
  return Math.max(1, Math.min(Math.ceil(perSecond * 5), withinLease, concurrency - 1));
}

/**
 * Sends stored answers through their channel. The outbox table is the queue: entries survive a
 * restart, and each ends as sent/delivered or failed with the reason on its interaction.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** sends in hand per channel, for the self-paced channels' caps */
  private readonly inFlightByChannel = new Map<string, number>();

  constructor(private readonly deps: OutboxDeps) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Something was enqueued (or a channel became free): look for due work now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  private async tick(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        const free = this.deps.concurrency - this.inFlight.size;
        if (free <= 0) break;
        const { items, capped } = await this.deps.db.writeNow((sql) => claimDueOutbox(sql, this.deps.now(), this.deps.leaseMs, free, this.room()));
        for (const item of items) this.track(item.channel, this.send(item));
        if (items.length === free || capped) this.again = true;
      } while (this.again && !this.stopped);
      this.schedule();
    } catch (err) {
      this.deps.log.error({ err }, 'outbox tick failed');
      this.timer = setTimeout(() => this.wake(), 1000);
    } finally {
      this.running = false;
    }
  }

  /** how many more sends each self-paced channel may take now */
  private room(): Map<string, number> {
    const room = new Map<string, number>();
    for (const [name, channel] of this.deps.channels) {
      if (channel.sendsPerSecond === undefined) continue;
      const cap = sendsInHand(channel.sendsPerSecond, this.deps.leaseMs, this.deps.concurrency);
      room.set(name, Math.max(0, cap - (this.inFlightByChannel.get(name) ?? 0)));
    }
    return room;
  }

  private track(channel: string, p: Promise<void>): void {
    this.inFlight.add(p);
    this.inFlightByChannel.set(channel, (this.inFlightByChannel.get(channel) ?? 0) + 1);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.inFlightByChannel.set(channel, this.inFlightByChannel.get(channel)! - 1);
      this.wake();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const full = [...this.room()].filter(([, n]) => n <= 0).map(([channel]) => channel);
    const due = nextOutboxDue(this.deps.db.sql, full);
    if (!due) return;
    const delay = Math.max(10, Math.min(60_000, due.getTime() - this.deps.now().getTime()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delay);
    this.timer.unref();
  }

  private async send(item: ClaimedItem): Promise<void> {
    const { db, log, events } = this.deps;
    let caseId: number | null = null;
    let recipient: { channel: string; address: string } | null = null;
    try {
      // only reads: no write transaction (and no commit) per send
      const built = buildOutbound(db.sql, item.interactionId, item.attempts);
      const { msg, optedOut } = built;
      caseId = built.caseId;
      recipient = { channel: msg.channel, address: msg.to.address };
      const channel = this.deps.channels.get(msg.channel);
      if (optedOut) throw new SendError('recipient opted out of this channel', false, 'OPTED_OUT');
      if (!channel?.enabled) throw new SendError(`channel ${msg.channel} is not configured`, false, 'CHANNEL_OFF');
      const result = await channel.send(msg);
      await db.writeNow((sql) => completeOutbox(sql, item, result));
      this.deps.metrics?.sent(item.channel);
      events.emit({ type: 'interaction.status', caseId, interactionId: item.interactionId, status: result.status });
    } catch (err) {
      const sendErr = err instanceof SendError ? err : null;
      const reason = err instanceof Error ? err.message : String(err);
      const retryable = sendErr ? sendErr.retryable : true;
      const last = item.attempts >= this.deps.backoff.maxAttempts;
      const retryAt = retryable && !last ? new Date(this.deps.now().getTime() + retryDelay(this.deps.backoff, item.attempts)) : null;
      log.warn({ interactionId: item.interactionId, attempt: item.attempts, retryAt, reason }, retryAt ? 'send failed, will retry' : 'send failed for good');
      this.deps.metrics?.sendFailed(item.channel, retryAt ? 'retryable' : 'permanent');
      try {
        await db.writeNow((sql) => {
          failOutbox(sql, item, sendErr?.code ? `${sendErr.code}: ${reason}` : reason, retryAt);
          if (sendErr?.code === RECIPIENT_OPTED_OUT && recipient) setOptOut(sql, recipient.channel, recipient.address, true);
        });
        if (!retryAt) events.emit({ type: 'interaction.status', caseId, interactionId: item.interactionId, status: 'failed', error: reason });
      } catch (e) {
        log.error({ err: e }, 'could not record a failed send');
      }
    }
  }
}
