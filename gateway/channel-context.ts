import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../store/db.ts';
import { isUniqueViolation } from '../store/db.ts';
import { applyDeliveryUpdate } from '../store/outbound.repository.ts';
import type { ChannelContext, DeliveryUpdate, InboundMessage, IngestResult } from '../channels/channel.types.ts';
import type { EventBus } from './events.ts';

/** The services every channel adapter gets from the gateway. */
export function createChannelContext(
  db: Db,
  events: EventBus,
  log: FastifyBaseLogger,
  ingest: (msg: InboundMessage) => Promise<IngestResult>,
): ChannelContext {
  return {
    log,
    ingest,
    async updateDelivery(u: DeliveryUpdate) {
      const applied = await db.writeNow((sql) => applyDeliveryUpdate(sql, u));
      if (!applied) return false;
      events.emit({ type: 'interaction.status', caseId: applied.caseId, interactionId: applied.id, status: applied.status, error: u.error ?? null });
      return true;
    },
    async firstSeen(eventId: string) {
      try {
        await db.write((tx) => tx.processedEvent.create({ data: { id: eventId } }));
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}
