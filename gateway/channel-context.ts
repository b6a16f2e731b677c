import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../store/db.ts';
import { applyDeliveryUpdate } from '../store/outbound.repository.ts';
import { recordEventOnce } from '../store/processed-event.repository.ts';
import { takeSendTurn } from '../store/send-turn.repository.ts';
import type { ChannelContext, DeliveryUpdate, InboundMessage, IngestResult } from '../channels/channel.types.ts';
import type { EventBus, GatewayEvent } from './events.ts';
import { attachViewsIfWanted } from './event-views.ts';

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
      const event = await db.transaction(async (tx) => {
        const applied = await applyDeliveryUpdate(tx, u);
        if (!applied) return null;
        const e: GatewayEvent = { type: 'interaction.status', caseId: applied.caseId, interactionId: applied.id, status: applied.status, error: u.error ?? null };
        await attachViewsIfWanted(tx, [e], events);
        return e;
      });
      if (!event) return false;
      events.emit(event);
      return true;
    },
    firstSeen: (eventId: string) => db.transaction((tx) => recordEventOnce(tx, eventId, now())),
    peers: {
      relayAnswer(channel, conversationKey, interactionId) {
        if (!events.shared) return false;
        events.tellOthers({ type: 'answer.relayed', caseId: null, channel, conversationKey, interactionId });
        return true;
      },
      turns: events.shared ? { take: async (slots) => (await db.transaction((tx) => takeSendTurn(tx, slots, now()))).getTime() } : null,
      onRelayedAnswer(channel, listener) {
        return events.on((e, source) => {
          if (source === 'remote' && e.type === 'answer.relayed' && e.channel === channel) listener(e.conversationKey, e.interactionId);
        });
      },
    },
  };
}
