/** A ChannelContext for tests that records what the channel hands to the pipeline. */
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { ChannelContext, DeliveryUpdate, InboundMessage, IngestResult } from '../../../../channels/channel.types.ts';

export interface RecordingContext extends ChannelContext {
  ingested: InboundMessage[];
  deliveries: DeliveryUpdate[];
  /** make the next ingest calls fail (the store is down) */
  failIngest: boolean;
}

export function recordingContext(): RecordingContext {
  const seen = new Map<string, string>();
  const ctx: RecordingContext = {
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    ingested: [],
    deliveries: [],
    failIngest: false,
    async ingest(msg: InboundMessage): Promise<IngestResult> {
      if (ctx.failIngest) throw new Error('store unavailable');
      const key = `${msg.channel}:${msg.externalId}`;
      const existing = seen.get(key);
      if (existing) return { interactionId: existing, duplicate: true };
      const id = `int-${seen.size + 1}`;
      seen.set(key, id);
      ctx.ingested.push(msg);
      return { interactionId: id, duplicate: false };
    },
    async updateDelivery(update) {
      ctx.deliveries.push(update);
      return true;
    },
    peers: { relayAnswer: () => false, onRelayedAnswer: () => () => undefined, turns: null },
    async firstSeen() {
      return true;
    },
    now: () => new Date(),
  };
  return ctx;
}
