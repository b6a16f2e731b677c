import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../store/db.ts';
import { applyDeliveryUpdate } from '../store/outbound.repository.ts';
import { recordEventOnce } from '../store/processed-event.repository.ts';
import type { ChannelContext, DeliveryUpdate, InboundMessage, IngestResult } from '../channels/channel.types.ts';
import type { EventBus } from './events.ts';

/** The services every channel adapter gets from the gateway. */
export function createChannelContext(
  db: Db,
  events: EventBus,
  log: FastifyBaseLogger,
  ingest: (msg: InboundMessage) => Promise<IngestResult>,
  now: () => Date,
): ChannelContext {
  return {
    log,
    ingest,
    now,
    async updateDelivery(u: DeliveryUpdate) {
      const applied = await db.transaction((tx) => applyDeliveryUpdate(tx, u));
      if (!applied) return false;
      events.emit({ type: 'interaction.status', caseId: applied.caseId, interactionId: applied.id, status: applied.status, error: u.error ?? null });
      return true;
    },
    firstSeen: (eventId: string) => db.transaction((tx) => recordEventOnce(tx, eventId, now())),
  };
}
