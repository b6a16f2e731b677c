import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { TransactionObserver } from '../../store/db.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';
import { OFFER_OUTCOMES, type IngestReporter, type OfferReporter, type OutboxReporter, type PipelineReporter } from './reporters.ts';

export interface Metrics {
  /** this app's own registry: several apps in one process (tests) never share series */
  registry: Registry;
  ingest: IngestReporter;
  pipeline: PipelineReporter;
  outbox: OutboxReporter;
  offers: OfferReporter;
  observeTransaction: TransactionObserver;
}

/** from 1 ms (a message processed in the commit after its own) to a minute (a backlog after a restart) */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** from a savepoint-only batch (~0.1 ms) to a write waiting out another process's lock */
const TRANSACTION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The metrics updated as things happen, and the process metrics (event-loop lag, memory, CPU, GC).
 * The gauges read at scrape time are added beside it (`scrape-collectors.ts`).
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const ingested = new Counter({
    name: 'switchboard_ingested_messages_total',
    help: 'Inbound messages that reached ingest, per channel; duplicate="true" for provider retries of a message already stored',
    labelNames: ['channel', 'duplicate'],
    registers,
  });
  const lag = new Histogram({
    name: 'switchboard_pipeline_lag_seconds',
    help: 'Time from the commit that stored an inbound message to the commit that recorded its processing, per channel',
    labelNames: ['channel'],
    buckets: LAG_BUCKETS,
    registers,
  });
  const sent = new Counter({
    name: 'switchboard_outbox_sent_total',
    help: 'Outbound messages handed to their channel successfully, per channel',
    labelNames: ['channel'],
    registers,
  });
  const sendFailures = new Counter({
    name: 'switchboard_outbox_send_failures_total',
    help: 'Failed send attempts, per channel; kind="retryable" when another attempt is scheduled, "permanent" when the message failed for good',
    labelNames: ['channel', 'kind'],
    registers,
  });
  const offers = new Counter({
    name: 'switchboard_offers_total',
    help: 'Case offers to agents by outcome: made, accepted, declined, expired (not taken in time), withdrawn (case or agent no longer available)',
    labelNames: ['outcome'],
    registers,
  });
  const transactions = new Histogram({
    name: 'switchboard_db_transaction_seconds',
    help: 'Write transactions from taking the write path to commit: path="group_commit", one batch of writes sharing a commit (every write goes this way)',
    labelNames: ['path'],
    buckets: TRANSACTION_BUCKETS,
    registers,
  });

  // every series exists from the start at zero, so rates and alerts work before the first event
  for (const channel of CHANNEL_NAMES) {
    ingested.inc({ channel, duplicate: 'false' }, 0);
    ingested.inc({ channel, duplicate: 'true' }, 0);
    lag.zero({ channel });
    sent.inc({ channel }, 0);
    sendFailures.inc({ channel, kind: 'retryable' }, 0);
    sendFailures.inc({ channel, kind: 'permanent' }, 0);
  }
  for (const outcome of OFFER_OUTCOMES) offers.inc({ outcome }, 0);
  transactions.zero({ path: 'group_commit' });

  return {
    registry,
    ingest: { ingested: (channel, duplicate) => ingested.inc({ channel, duplicate: String(duplicate) }) },
    pipeline: { processed: (channel, lagSeconds) => lag.observe({ channel }, lagSeconds) },
    outbox: {
      sent: (channel) => sent.inc({ channel }),
      sendFailed: (channel, kind) => sendFailures.inc({ channel, kind }),
    },
    offers: { offers: (outcome, count = 1) => offers.inc({ outcome }, count) },
    observeTransaction: (path, seconds) => transactions.observe({ path }, seconds),
  };
}
