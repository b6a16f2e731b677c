import type { Executor } from './executor.ts';
import { newId } from './ids.ts';

export interface SavedViewRow {
  id: string;
  name: string;
  /** the stored JSON of the view's filters */
  filters: string;
  createdAt: Date;
}

/** An agent's saved views, by name. */
export function listSavedViews(x: Executor, agentId: string): Promise<SavedViewRow[]> {
  return x.allOf((qb) => qb.selectFrom('SavedView').select(['id', 'name', 'filters', 'createdAt']).where('agentId', '=', agentId).orderBy('name').limit(200));
}

export async function insertSavedView(x: Executor, v: { agentId: string; name: string; filters: string }, now: Date): Promise<SavedViewRow> {
  const row = { id: newId(now.getTime()), agentId: v.agentId, name: v.name, filters: v.filters, createdAt: now };
  await x.runOf((qb) => qb.insertInto('SavedView').values(row));
  return { id: row.id, name: row.name, filters: row.filters, createdAt: now };
}

export async function countSavedViews(x: Executor, agentId: string): Promise<number> {
  const row = await x.firstOf((qb) => qb.selectFrom('SavedView').select((eb) => eb.fn.countAll<number>().as('n')).where('agentId', '=', agentId));
  return Number(row?.n ?? 0);
}

/** Deletes one of the agent's own views; false when they have none by that id. */
export async function deleteSavedView(x: Executor, agentId: string, id: string): Promise<boolean> {
  return (await x.runOf((qb) => qb.deleteFrom('SavedView').where('id', '=', id).where('agentId', '=', agentId))) > 0;
}
