import { Gauge, type Registry } from 'prom-client';
import type { Executor } from '../../store/executor.ts';
import { openCaseCounts, outboxBacklog, queueNames } from '../../store/ops.repository.ts';
import { ACTIVE_STATES } from '../../routing/case-state.ts';
import { unprocessedInboundCounts } from '../../store/interaction.repository.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';

export interface ScrapeSources {
  store: Executor;
  now: () => Date;
  /** open chat sockets (customers) */
  chatConnections: () => number;
  /** open agent stream sockets (consoles) */
  agentStreamConnections: () => number;
  log: { warn(obj: object, msg: string): void };
}

/** label of cases in no queue */
const NO_QUEUE = '(none)';

/**
 * Gauges read when Prometheus scrapes rather than kept up to date on every change: the store is the truth
 * for the backlog and the open cases (and other processes on the same database change them too), and a few
 * grouped queries per scrape cost less than bookkeeping on every message.
 */
export function addScrapeCollectors(registry: Registry, sources: ScrapeSources): void {
  const registers = [registry];
  new Gauge({
    name: 'switchboard_outbox_backlog',
    help: 'Pending outbox entries per channel: state="due" to be sent now (in flight included), "waiting" for a later retry',
    labelNames: ['channel', 'state'],
    registers,
    async collect() {
      const rows = await fromStore(sources, 'switchboard_outbox_backlog', () => outboxBacklog(sources.store, sources.now()));
      this.reset();
      if (!rows) return;
      for (const channel of CHANNEL_NAMES) {
        this.set({ channel, state: 'due' }, 0);
        this.set({ channel, state: 'waiting' }, 0);
      }
      for (const row of rows) {
        this.set({ channel: row.channel, state: 'due' }, row.due);
        this.set({ channel: row.channel, state: 'waiting' }, row.waiting);
      }
    },
  });
  new Gauge({
    name: 'switchboard_inbound_unprocessed',
    help: 'Inbound messages not processed: received (waiting, or backing off after a failed attempt) and failed (given up on after PIPELINE_MAX_ATTEMPTS; see GET /api/v1/inbound/failed)',
    labelNames: ['state'],
    registers,
    async collect() {
      const counts = await fromStore(sources, 'switchboard_inbound_unprocessed', () => unprocessedInboundCounts(sources.store));
      this.reset();
      if (!counts) return;
      this.set({ state: 'received' }, counts.received);
      this.set({ state: 'failed' }, counts.failed);
    },
  });
  new Gauge({
    name: 'switchboard_open_cases',
    help: `Cases not resolved or closed, per queue (${NO_QUEUE} for cases in no queue) and state`,
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const read = await fromStore(sources, 'switchboard_open_cases', async () => ({ queues: await queueNames(sources.store), counts: await openCaseCounts(sources.store) }));
      this.reset();
      if (!read) return;
      for (const queue of read.queues) for (const state of ACTIVE_STATES) this.set({ queue, state }, 0);
      for (const row of read.counts) this.set({ queue: row.queue ?? NO_QUEUE, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'switchboard_websocket_connections',
    help: 'Open WebSocket connections: endpoint="chat" for customers, "agent_stream" for agent consoles',
    labelNames: ['endpoint'],
    registers,
    collect() {
      this.set({ endpoint: 'chat' }, sources.chatConnections());
      this.set({ endpoint: 'agent_stream' }, sources.agentStreamConnections());
    },
  });
}

/**
 * A gauge whose query fails is left without series for this scrape, so the process metrics are still
 * served while the store is down (the readiness check names the store).
 */
async function fromStore<T>(sources: ScrapeSources, metric: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    sources.log.warn({ err, metric }, 'metrics: a store read failed at scrape time');
    return null;
  }
}
