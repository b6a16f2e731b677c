import type { Db } from '../../store/db.ts';
import { storeInbound } from '../../store/interaction.repository.ts';
import type { IngestResult, InboundMessage } from '../../channels/channel.types.ts';
import type { PipelineWorker } from './pipeline.worker.ts';
import { GatewayError } from '../errors.ts';
import type { IngestReporter } from '../metrics/reporters.ts';

export const MAX_TEXT_BYTES = 64 * 1024;

/** Refuses a message text over the limit (UTF-8 bytes), wherever a text comes in. */
export function assertTextFits(text: string, maxBytes = MAX_TEXT_BYTES): void {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new GatewayError('TEXT_TOO_LONG', `text is over ${maxBytes} bytes`);
}

/**
 * The one entry for every channel: the message is stored (once per channel and provider id) and
 * committed before this resolves, so the caller may acknowledge the provider; the rest happens on the
 * worker. Messages arriving together share one commit.
 */
export function createIngest(db: Db, worker: PipelineWorker, now: () => Date, opts: { maxTextBytes?: number; metrics?: IngestReporter } = {}) {
  const maxTextBytes = opts.maxTextBytes ?? MAX_TEXT_BYTES;
  return async function ingest(msg: InboundMessage): Promise<IngestResult> {
    if (!msg.externalId || msg.externalId.length > 512) throw new GatewayError('INVALID_MESSAGE', 'externalId is missing or longer than 512 characters');
    if (!msg.from?.address) throw new GatewayError('INVALID_MESSAGE', 'the sender address is missing');
    assertTextFits(msg.text, maxTextBytes);
    const { id, duplicate } = await db.transaction((tx) => storeInbound(tx, msg, now()));
    opts.metrics?.ingested(msg.channel, duplicate);
    if (!duplicate) worker.enqueue(id);
    return { interactionId: id, duplicate };
  };
}
