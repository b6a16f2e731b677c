import type { Executor } from './executor.ts';
import { newId } from './ids.ts';
import type { QB } from './query.ts';

export interface CannedResponseView {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  /** shared with the team (admins manage it), or the agent's own */
  shared: boolean;
  /** offered only in this queue's cases; null: in every queue */
  queue: string | null;
  ownerId: string | null;
  updatedAt: string;
}

export interface CannedResponseFields {
  shortcut?: string;
  title?: string;
  text?: string;
  queueId?: string | null;
}

function selectResponses(qb: QB) {
  return qb
    .selectFrom('CannedResponse as r')
    .leftJoin('Queue as q', 'q.id', 'r.queueId')
    .select(['r.id', 'r.shortcut', 'r.title', 'r.text', 'r.ownerId', 'r.queueId', 'q.name as queueName', 'r.updatedAt']);
}

type Row = { id: string; shortcut: string; title: string; text: string; ownerId: string | null; queueName: string | null; updatedAt: Date };

function toView(r: Row): CannedResponseView {
  return { id: r.id, shortcut: r.shortcut, title: r.title, text: r.text, shared: r.ownerId === null, queue: r.queueName, ownerId: r.ownerId, updatedAt: r.updatedAt.toISOString() };
}

/** The agent's own canned responses and the shared ones (`queueId`: only those for every queue or that one), by shortcut. */
export async function listCannedResponses(x: Executor, f: { ownerId: string | null; queueId?: string }): Promise<CannedResponseView[]> {
  const rows = await x.allOf((qb) => {
    let q = selectResponses(qb).where((eb) => (f.ownerId ? eb.or([eb('r.ownerId', 'is', null), eb('r.ownerId', '=', f.ownerId)]) : eb('r.ownerId', 'is', null)));
    if (f.queueId) {
      const queueId = f.queueId;
      q = q.where((eb) => eb.or([eb('r.queueId', 'is', null), eb('r.queueId', '=', queueId)]));
    }
    return q.orderBy('r.shortcut').limit(1000);
  });
  // by shortcut, the shared one before one's own of the same shortcut (engines order NULL apart)
  return rows.map(toView).sort((a, b) => (a.shortcut === b.shortcut ? Number(b.shared) - Number(a.shared) : a.shortcut < b.shortcut ? -1 : 1));
}

export async function cannedResponseById(x: Executor, id: string): Promise<CannedResponseView | null> {
  const row = await x.firstOf((qb) => selectResponses(qb).where('r.id', '=', id));
  return row ? toView(row) : null;
}

export async function insertCannedResponse(
  x: Executor,
  f: Required<Pick<CannedResponseFields, 'shortcut' | 'title' | 'text'>> & { queueId: string | null; ownerId: string | null },
  now: Date,
): Promise<string> {
  const id = newId(now.getTime());
  await x.runOf((qb) => qb.insertInto('CannedResponse').values({ id, scope: f.ownerId ?? '', ownerId: f.ownerId, shortcut: f.shortcut, title: f.title, text: f.text, queueId: f.queueId, createdAt: now, updatedAt: now }));
  return id;
}

export async function updateCannedResponse(x: Executor, id: string, f: CannedResponseFields, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('CannedResponse').set({ ...f, updatedAt: now }).where('id', '=', id));
}

export async function deleteCannedResponse(x: Executor, id: string): Promise<void> {
  await x.runOf((qb) => qb.deleteFrom('CannedResponse').where('id', '=', id));
}
