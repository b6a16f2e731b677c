import type { Db } from '../../store/db.ts';
import { failedInbound, retryFailedInbound, type FailedInboundRow } from '../../store/interaction.repository.ts';
import { GatewayError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../page-cursor.ts';
import type { PipelineWorker } from './pipeline.worker.ts';

export interface FailedInboundView {
  id: string;
  channel: string;
  from: string | null;
  kind: string;
  subject: string | null;
  text: string;
  attempts: number;
  error: string | null;
  receivedAt: string;
  failedAt: string | null;
}

/** Inbound messages the pipeline gave up on, for supervisors: list them, and put one back after fixing the cause. */
export class FailedInboundService {
  constructor(
    private readonly db: Db,
    private readonly pipeline: PipelineWorker,
  ) {}

  async list(limit: number, cursor?: string): Promise<{ items: FailedInboundView[]; nextCursor: string | null }> {
    const before = cursor === undefined ? undefined : decodeCursor('i', cursor, /[a-z0-9]{1,64}/);
    const rows = await failedInbound(this.db.read, limit + 1, before);
    const page = rows.slice(0, limit);
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor('i', page.at(-1)!.id) : null };
  }

  async retry(id: string): Promise<void> {
    const outcome = await this.db.transaction((tx) => retryFailedInbound(tx, id));
    if (outcome === 'not-found') throw new GatewayError('NOT_FOUND', `no inbound message ${id}`);
    if (outcome === 'not-failed') throw new GatewayError('NOT_FAILED', `inbound message ${id} is not failed; only a failed message is retried`);
    this.pipeline.enqueue(id);
  }
}

function toView(r: FailedInboundRow): FailedInboundView {
  return {
    id: r.id,
    channel: r.channel,
    from: r.fromAddress,
    kind: r.kind,
    subject: r.subject,
    text: r.text,
    attempts: r.attempts,
    error: r.error,
    receivedAt: r.createdAt.toISOString(),
    failedAt: r.processedAt?.toISOString() ?? null,
  };
}
