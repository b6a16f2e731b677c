import type { Executor } from './executor.ts';
import { newId } from './ids.ts';

export interface AuditRecord {
  actor: string;
  actorRole: string;
  action: string;
  /** kind and id of the record, e.g. "contact:c…" */
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditView extends Omit<AuditRecord, 'before' | 'after'> {
  id: string;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes one audit entry, in the caller's transaction: the change and its record commit together. */
export async function insertAudit(tx: Executor, e: AuditRecord, now: Date): Promise<void> {
  await tx.runOf((qb) =>
    qb.insertInto('AuditEntry').values({
      id: newId(now.getTime()),
      at: now,
      actor: e.actor,
      actorRole: e.actorRole,
      action: e.action,
      target: e.target,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    }),
  );
}

/** Newest first; of one record when `target` is given. */
export async function listAudit(x: Executor, f: { target?: string; limit: number; beforeId?: string }): Promise<{ items: AuditView[]; nextBeforeId: string | null }> {
  const rows = await x.allOf((qb) => {
    let q = qb.selectFrom('AuditEntry').selectAll();
    if (f.target) q = q.where('target', '=', f.target);
    if (f.beforeId) q = q.where('id', '<', f.beforeId);
    return q.orderBy('id', 'desc').limit(f.limit + 1);
  });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      actorRole: r.actorRole,
      action: r.action,
      target: r.target,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
    })),
    nextBeforeId: more ? page.at(-1)!.id : null,
  };
}
