import type { FastifyBaseLogger } from 'fastify';
import { pendingInboundIds } from '../../store/interaction.repository.ts';
import type { EventBus } from '../events.ts';
import type { PipelineReporter } from '../metrics/reporters.ts';
import { processInbound, type PipelineDeps } from './process-inbound.ts';

/** messages processed per transaction: enough to share the commit's cost, few enough to keep the event loop free */
const BATCH = 32;

/**
 * Processes stored inbound interactions one after another, off the request path. The `received`
 * status in the store is the queue: what a crash left unprocessed is found again by `resume`.
 */
export class PipelineWorker {
  private readonly queue: string[] = [];
  /** id → when it was queued (right after the commit that stored it), for the lag metric */
  private readonly queued = new Map<string, number>();
  private draining: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: PipelineDeps & { events: EventBus; log: FastifyBaseLogger; metrics?: PipelineReporter },
  ) {}

  enqueue(id: string): void {
    if (this.stopped || this.queued.has(id)) return;
    this.queued.set(id, performance.now());
    this.queue.push(id);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Queues every interaction stored but not yet processed, oldest first. */
  async resume(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = (await pendingInboundIds(this.deps.db.prisma, 500)).filter((id) => !this.queued.has(id));
      if (ids.length === 0) return total;
      ids.forEach((id) => this.enqueue(id));
      total += ids.length;
      await this.idle();
    }
  }

  /** Resolves when everything queued so far has been processed. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Finishes the message in hand; the rest stay `received` in the store for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    this.queue.length = 0;
    this.queued.clear();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      // Started together, a batch shares one commit; each message still succeeds or fails alone, in order.
      const batch = this.queue.splice(0, BATCH);
      const outcomes = await Promise.allSettled(batch.map((id) => processInbound(this.deps, id)));
      outcomes.forEach((o, i) => {
        const id = batch[i]!;
        const queuedAt = this.queued.get(id)!;
        this.queued.delete(id);
        // a message resumed at start counts from its resumption: the time it waited while the gateway was down is not known here
        if (o.status === 'fulfilled' && o.value.channel) this.deps.metrics?.processed(o.value.channel, (performance.now() - queuedAt) / 1000);
        if (o.status === 'fulfilled') for (const e of o.value.events) this.deps.events.emit(e);
        // Left `received`: the next start retries it. Logged with its id so it can be looked at.
        else this.deps.log.error({ err: o.reason, interactionId: id }, 'processing an inbound message failed');
      });
    }
  }
}
