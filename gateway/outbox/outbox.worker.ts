import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import {
  claimDueOutbox,
  completeOutbox,
  failOutbox,
  nextOutboxDue,
  releaseOutbox,
  renewOutboxLeases,
  sendCheck,
  type ClaimedItem,
  providerIdTakenElsewhere,
} from '../../store/outbound.repository.ts';
import { RECIPIENT_OPTED_OUT, SendError, type ChannelPlugin, type SendResult } from '../../channels/channel.types.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import { attachViewsIfWanted } from '../event-views.ts';
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
  /** how long a claim lasts without renewal: the time another worker waits before taking over from one that died */
  leaseMs: number;
  concurrency: number;
  metrics?: OutboxReporter;
  /** where answers' files are, and the base of their links */
  files: { dataDir: string; publicUrl: string };
}

/** seconds of a self-paced channel's sends kept waiting in hand, so its limiter never runs dry */
const PACING_WINDOW_S = 5;

/**
 * How many sends of a channel paced at `perSecond` the outbox holds at once: enough to cover the pacing
 * window plus the time each send takes at the provider (a slow provider needs more in hand to keep its
 * pace), and at least one slot always stays free for the other channels. Leases are renewed while a send
 * waits or runs, so the cap is about pace and memory, not about the lease.
 */
export function sendsInHand(perSecond: number, sendSeconds: number, concurrency: number): number {
  return Math.max(1, Math.min(Math.ceil(perSecond * (PACING_WINDOW_S + sendSeconds)), concurrency - 1));
}

/** Why a send was called off at its last moment (see `OutboundMessage.confirmSend`). */
type Cancel = 'stopping' | 'claim-lost' | 'opted-out';

/** One entry this worker holds, from its claim to the record of its outcome. */
interface Held {
  item: ClaimedItem;
  /** another worker took the entry over (this one's lease ran out unrenewed): this one records nothing */
  lost: boolean;
  /** the adapter confirmed the send: from here on it may have reached the provider */
  dispatchedAt: number | null;
  cancelled: Cancel | null;
}

class SendCancelled extends Error {}

/**
 * Sends stored answers through their channel. The outbox table is the queue: entries survive a
 * restart, and each ends as sent/delivered or failed with the reason on its interaction.
 *
 * Guarantees: an entry is held under a lease that is renewed while its send waits and runs, so no
 * worker takes it again unless this one died; only the attempt holding the claim records the outcome;
 * consent is checked at the last moment before the provider call; a send that succeeded is never
 * retried (only its bookkeeping is); on stop, nothing new starts and whatever was claimed but not sent
 * is given back; answers of one conversation leave one at a time, in order.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held = new Map<string, Held>();
  /** sends in hand per channel, for the self-paced channels' caps */
  private readonly inFlightByChannel = new Map<string, number>();
  /** a moving average of how long a send takes at each channel's provider, in seconds */
  private readonly sendSeconds = new Map<string, number>();
  private renewing = false;

  constructor(private readonly deps: OutboxDeps) {}

  start(): void {
    this.stopped = false;
    this.heartbeat = setInterval(() => this.renewLeases(), Math.max(50, Math.floor(this.deps.leaseMs / 3)));
    this.heartbeat.unref();
    this.wake();
  }

  /** Something was enqueued (or a channel became free): look for due work now. */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
      // a wake between the loop's last look and here would otherwise wait for the next one
      if (this.again && !this.stopped) this.wake();
    });
  }

  /**
   * Stops taking work, waits for a claim being committed (and gives back what it took) and for the sends
   * in hand: those already at the provider finish and are recorded; those still waiting give their entry
   * back untried.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.ticking) await this.ticking;
    await Promise.allSettled([...this.inFlight]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async tick(): Promise<void> {
    const { db, now, leaseMs, log } = this.deps;
    try {
      do {
        this.again = false;
        const free = this.deps.concurrency - this.inFlight.size;
        // every slot busy: the first send to finish wakes the worker (a timer now would only spin)
        if (free <= 0) return;
        const { items, capped } = await db.transaction((tx) => claimDueOutbox(tx, now(), leaseMs, free, this.room(), [...this.held.keys()]));
        if (this.stopped) {
          // claimed while stop was asked for: give it back rather than start a send
          await Promise.allSettled(items.map((item) => this.release(item)));
          return;
        }
        for (const item of items) this.track(item, this.send(item));
        if (items.length === free || capped) this.again = true;
        // a wake that came while the next due time was being read must not be lost: look again
        if (!this.again && !this.stopped) await this.schedule();
      } while (this.again && !this.stopped);
    } catch (err) {
      log.error({ err }, 'outbox tick failed');
      if (!this.stopped) this.timer = setTimeout(() => this.wake(), 1000);
    }
  }

  /** how many more sends each self-paced channel may take now */
  private room(): Map<string, number> {
    const room = new Map<string, number>();
    for (const [name, channel] of this.deps.channels) {
      if (channel.sendsPerSecond === undefined) continue;
      const cap = sendsInHand(channel.sendsPerSecond, this.sendSeconds.get(name) ?? 0, this.deps.concurrency);
      room.set(name, Math.max(0, cap - (this.inFlightByChannel.get(name) ?? 0)));
    }
    return room;
  }

  private track(item: ClaimedItem, p: Promise<void>): void {
    const { channel } = item;
    this.inFlight.add(p);
    this.inFlightByChannel.set(channel, (this.inFlightByChannel.get(channel) ?? 0) + 1);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.held.delete(item.id);
      this.inFlightByChannel.set(channel, this.inFlightByChannel.get(channel)! - 1);
      this.wake();
    });
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const full = [...this.room()].filter(([, n]) => n <= 0).map(([channel]) => channel);
    const due = await nextOutboxDue(this.deps.db.read, this.deps.now(), full, [...this.held.keys()]);
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!due) return;
    const delay = Math.max(10, Math.min(60_000, due.getTime() - this.deps.now().getTime()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delay);
    this.timer.unref();
  }

  /** Keeps the leases of every entry in hand from running out while its send waits or runs. */
  private renewLeases(): void {
    const items = [...this.held.values()].filter((h) => !h.lost).map((h) => h.item);
    // one renewal at a time: beats do not pile up behind a busy write path
    if (items.length === 0 || this.renewing) return;
    this.renewing = true;
    this.deps.db
      .transaction((tx) => renewOutboxLeases(tx, items, this.deps.now(), this.deps.leaseMs))
      .then(
        (lost) => {
          for (const id of lost) {
            const h = this.held.get(id);
            if (h) h.lost = true;
          }
        },
        (err: unknown) => this.deps.log.warn({ err }, 'could not renew outbox leases; retrying at the next beat'),
      )
      .finally(() => {
        this.renewing = false;
      });
  }

  /**
   * The last check before a message leaves, run by the adapter after any wait of its own: the worker is
   * not stopping, it still holds the claim, and the recipient has not opted out meanwhile.
   */
  private async confirm(h: Held, channel: string, address: string): Promise<void> {
    const cancel = (why: Cancel, err: Error): never => {
      h.cancelled = why;
      throw err;
    };
    if (this.stopped) cancel('stopping', new SendCancelled('the outbox is stopping'));
    if (h.lost) cancel('claim-lost', new SendCancelled('this worker no longer holds the entry'));
    const check = await sendCheck(this.deps.db.read, h.item, { channel, address }, this.deps.now());
    if (!check.holdsClaim) cancel('claim-lost', new SendCancelled('this worker no longer holds the entry'));
    if (check.optedOut) cancel('opted-out', optedOutError());
    // asked again after the reads: a stop may have begun meanwhile
    if (this.stopped) cancel('stopping', new SendCancelled('the outbox is stopping'));
    h.dispatchedAt = performance.now();
  }

  private async send(item: ClaimedItem): Promise<void> {
    const h: Held = { item, lost: false, dispatchedAt: null, cancelled: null };
    this.held.set(item.id, h);
    let caseId: number | null = null;
    let recipient: { channel: string; address: string } | null = null;
    let result: SendResult;
    const started = performance.now();
    try {
      // only reads: no write transaction (and no commit) per send
      const built = await buildOutbound(this.deps.db.read, item.interactionId, item.attempts, this.deps.files);
      const { msg, optedOut } = built;
      caseId = built.caseId;
      recipient = { channel: msg.channel, address: msg.to.address };
      const channel = this.deps.channels.get(msg.channel);
      if (optedOut) throw optedOutError();
      if (!channel?.enabled) throw new SendError(`channel ${msg.channel} is not configured`, false, 'CHANNEL_OFF');
      const to = recipient;
      const unsettled = item.unsettledSince
        ? { mayBeSentSince: item.unsettledSince, recordedElsewhere: (externalId: string) => providerIdTakenElsewhere(this.deps.db.read, to.channel, externalId, item.interactionId) }
        : {};
      result = await channel.send({ ...msg, confirmSend: () => this.confirm(h, to.channel, to.address), ...unsettled });
    } catch (err) {
      // a slow failure (a timeout) is send time too: the cap on sends in hand must see it
      if (h.dispatchedAt !== null) this.observeSendTime(item.channel, (performance.now() - h.dispatchedAt) / 1000);
      if (h.cancelled === 'stopping' || (this.stopped && h.dispatchedAt === null)) return this.release(item);
      if (h.cancelled === 'claim-lost' || h.lost) {
        this.deps.log.warn({ interactionId: item.interactionId, attempt: item.attempts }, 'outbox entry taken over by another worker; this attempt records nothing');
        return;
      }
      // adapters may wrap what the check threw; the check's own reason is the one that counts
      return this.recordFailure(h, h.cancelled === 'opted-out' ? optedOutError() : err, caseId, recipient);
    }
    this.observeSendTime(item.channel, (performance.now() - (h.dispatchedAt ?? started)) / 1000);
    return this.recordSuccess(h, result, caseId);
  }

  private observeSendTime(channel: string, seconds: number): void {
    const before = this.sendSeconds.get(channel);
    this.sendSeconds.set(channel, before === undefined ? seconds : before * 0.8 + seconds * 0.2);
  }

  /**
   * Records a delivered send. The message has left: whatever goes wrong with this write, the send is never
   * repeated; the write is retried (the lease is renewed meanwhile) until it lands — after a few failures
   * without the provider's ids, in case those are what the store refuses — or a few times once stopping,
   * after which the lease runs out and the entry may go once more (see the README's delivery notes).
   */
  private async recordSuccess(h: Held, result: SendResult, caseId: number | null): Promise<void> {
    const { db, log, events, now } = this.deps;
    const { item } = h;
    for (let n = 0; ; n++) {
      try {
        const recorded = await db.transaction(async (tx) => {
          if (!(await completeOutbox(tx, item, n >= 3 && n % 2 === 1 ? { status: result.status } : result, now()))) return null;
          const e: GatewayEvent = { type: 'interaction.status', caseId, interactionId: item.interactionId, status: result.status };
          await attachViewsIfWanted(tx, [e], events);
          return e;
        });
        if (!recorded) {
          log.warn({ interactionId: item.interactionId, attempt: item.attempts }, 'a later attempt holds this outbox entry; this delivery is not recorded over it');
          return;
        }
        this.deps.metrics?.sent(item.channel);
        events.emit(recorded);
        return;
      } catch (err) {
        const giveUp = this.stopped && n >= 3;
        log.error({ err, interactionId: item.interactionId, attempt: n + 1 }, giveUp ? 'could not record a delivered send; giving up as the outbox stops' : 'could not record a delivered send; retrying the record, not the send');
        if (giveUp) return;
        await sleep(Math.min(50 * 2 ** n, 5_000));
      }
    }
  }

  private async recordFailure(h: Held, err: unknown, caseId: number | null, recipient: { channel: string; address: string } | null): Promise<void> {
    const { db, log, events, now, backoff } = this.deps;
    const { item } = h;
    const sendErr = err instanceof SendError ? err : null;
    const reason = err instanceof Error ? err.message : String(err);
    const retryable = sendErr ? sendErr.retryable : true;
    const last = item.attempts >= backoff.maxAttempts;
    const retryAt = retryable && !last ? new Date(now().getTime() + retryDelay(backoff, item.attempts)) : null;
    log.warn({ interactionId: item.interactionId, attempt: item.attempts, retryAt, reason }, retryAt ? 'send failed, will retry' : 'send failed for good');
    try {
      const recorded = await db.transaction(async (tx) => {
        const ok = await failOutbox(tx, item, sendErr?.code ? `${sendErr.code}: ${reason}` : reason, retryAt, now());
        if (ok && sendErr?.code === RECIPIENT_OPTED_OUT && recipient) await setOptOut(tx, recipient.channel, recipient.address, true);
        if (!ok || retryAt) return { ok, event: null };
        const e: GatewayEvent = { type: 'interaction.status', caseId, interactionId: item.interactionId, status: 'failed', error: reason };
        await attachViewsIfWanted(tx, [e], events);
        return { ok, event: e };
      });
      if (!recorded.ok) return;
      this.deps.metrics?.sendFailed(item.channel, retryAt ? 'retryable' : 'permanent');
      if (recorded.event) events.emit(recorded.event);
    } catch (e) {
      // the entry stays claimed until its lease runs out, then it is tried again: nothing was sent
      log.error({ err: e }, 'could not record a failed send');
    }
  }

  private async release(item: ClaimedItem): Promise<void> {
    try {
      await this.deps.db.transaction((tx) => releaseOutbox(tx, item, this.deps.now()));
    } catch (err) {
      // its lease runs out instead; the attempt then counts, nothing was sent
      this.deps.log.warn({ err, interactionId: item.interactionId }, 'could not give back an unsent outbox entry');
    }
  }
}

function optedOutError(): SendError {
  return new SendError('recipient opted out of this channel', false, 'OPTED_OUT');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
