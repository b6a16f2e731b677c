/**
 * What the workers tell the metrics, as plain calls: the pipeline, outbox and assignment code depends
 * on these shapes only, never on the metrics library behind them.
 */

export interface IngestReporter {
  /** a message reached ingest; `duplicate` when its (channel, provider id) was stored before */
  ingested(channel: string, duplicate: boolean): void;
}

export interface PipelineReporter {
  /** a stored message was processed, `lagSeconds` after the commit that stored it */
  processed(channel: string, lagSeconds: number): void;
}

export interface OutboxReporter {
  sent(channel: string): void;
  /** `retryable`: another attempt is scheduled; `permanent`: the message failed for good */
  sendFailed(channel: string, kind: 'retryable' | 'permanent'): void;
}

export const OFFER_OUTCOMES = ['made', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];

export interface OfferReporter {
  offers(outcome: OfferOutcome, count?: number): void;
}
