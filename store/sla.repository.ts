import type { Executor } from './executor.ts';
import { ONE, inList, list, query } from './query.ts';
import { parseJsonArray } from './case.repository.ts';

/** What working out a case's SLA reads of it: the facts policies look at, the calendars it may run on, and the SLA as stored. */
export interface CaseSlaSnapshot {
  id: number;
  state: string;
  priority: number;
  channel: string;
  queueId: string | null;
  queueName: string | null;
  queueCalendarId: string | null;
  category: string | null;
  tags: string[];
  tier: string;
  vip: boolean;
  accountCalendarId: string | null;
  assigneeId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** the SLA as last stored (JSON), null when never worked out */
  sla: string | null;
}

const snapshotsQuery = query((qb, p: { ids: number[] }, d) =>
  qb
    .selectFrom('Case as c')
    .leftJoin('Queue as q', 'q.id', 'c.queueId')
    .leftJoin('Account as a', 'a.id', 'c.accountId')
    .select([
      'c.id', 'c.state', 'c.priority', 'c.channel', 'c.queueId', 'q.name as queueName', 'q.calendarId as queueCalendarId', 'c.category', 'c.tags',
      'a.tier', 'a.vip', 'a.calendarId as accountCalendarId', 'c.assigneeId', 'c.createdAt', 'c.updatedAt', 'c.sla',
    ])
    .where(inList('c.id', list(p.ids), d)),
);

export async function caseSlaSnapshots(x: Executor, ids: readonly number[]): Promise<CaseSlaSnapshot[]> {
  if (ids.length === 0) return [];
  const rows = await x.all(snapshotsQuery, { ids: [...ids] });
  return rows.map((r) => ({ ...r, tags: parseJsonArray(r.tags), tier: r.tier ?? 'standard', vip: Boolean(r.vip) }));
}

const stateChangesQuery = query((qb, p: { ids: number[] }, d) =>
  qb.selectFrom('CaseStateChange').select(['caseId', 'state', 'at']).where(inList('caseId', list(p.ids), d)).orderBy('caseId').orderBy('at').orderBy('id'),
);

/** Each case's recorded states, oldest first. */
export async function caseStateChanges(x: Executor, ids: readonly number[]): Promise<Map<number, Array<{ state: string; at: Date }>>> {
  const byCase = new Map<number, Array<{ state: string; at: Date }>>();
  if (ids.length === 0) return byCase;
  for (const r of await x.all(stateChangesQuery, { ids: [...ids] })) {
    let l = byCase.get(r.caseId);
    if (!l) byCase.set(r.caseId, (l = []));
    l.push({ state: r.state, at: r.at });
  }
  return byCase;
}

const appendStateQuery = query((qb, p: { caseId: number; state: string; at: Date }) => qb.insertInto('CaseStateChange').values({ caseId: p.caseId, state: p.state, at: p.at }));

export async function appendStateChange(tx: Executor, caseId: number, state: string, at: Date): Promise<void> {
  await tx.run(appendStateQuery, { caseId, state, at });
}

// what the clocks count: a customer's message, and an answer to the customer (automatic acknowledgements and notes do not)
const messageTimesQuery = query((qb, p: { ids: number[] }, d) =>
  qb
    .selectFrom('Interaction')
    .select(['caseId', 'direction', 'createdAt'])
    .where(inList('caseId', list(p.ids), d))
    .where('kind', '=', 'message')
    .where((eb) => eb.or([eb('direction', '=', 'inbound'), eb('direction', '=', 'outbound')]))
    .orderBy('caseId')
    .orderBy('createdAt'),
);

export async function caseMessageTimes(x: Executor, ids: readonly number[]): Promise<Map<number, Array<{ at: Date; from: 'customer' | 'agent' }>>> {
  const byCase = new Map<number, Array<{ at: Date; from: 'customer' | 'agent' }>>();
  if (ids.length === 0) return byCase;
  for (const r of await x.all(messageTimesQuery, { ids: [...ids] })) {
    if (r.caseId === null) continue;
    let l = byCase.get(r.caseId);
    if (!l) byCase.set(r.caseId, (l = []));
    l.push({ at: r.createdAt, from: r.direction === 'inbound' ? 'customer' : 'agent' });
  }
  return byCase;
}

const saveSlaQuery = query((qb, p: { id: number; sla: string | null; slaDueAt: Date | null }) =>
  qb.updateTable('Case').set({ sla: p.sla, slaDueAt: p.slaDueAt }).where('id', '=', p.id),
);

/** Stores a case's SLA; not a change of the case itself (its updatedAt stays). */
export async function saveCaseSla(tx: Executor, id: number, sla: string | null, slaDueAt: Date | null): Promise<void> {
  await tx.run(saveSlaQuery, { id, sla, slaDueAt });
}

const staleQuery = query((qb, p: { states: string[]; afterId: number; limit: number }, d) =>
  qb
    .selectFrom('Case')
    .select(['id', 'updatedAt', 'sla'])
    .where(inList('state', list(p.states), d))
    .where('id', '>', p.afterId)
    .orderBy('id')
    .limit(p.limit),
);

/** Open cases in id order from `afterId`, with when each last changed and its stored SLA: a start finds those whose SLA missed a change. */
export async function openCasesForSla(x: Executor, states: readonly string[], afterId: number, limit: number): Promise<Array<{ id: number; updatedAt: Date; sla: string | null }>> {
  return x.all(staleQuery, { states: [...states], afterId, limit });
}

export interface SlaPolicyVersionRow {
  version: number;
  policies: string;
  author: string;
  change: string;
  createdAt: Date;
}

export async function latestSlaPolicies(x: Executor): Promise<SlaPolicyVersionRow | null> {
  return (await x.firstOf((qb) => qb.selectFrom('SlaPolicyVersion').selectAll().orderBy('version', 'desc').limit(ONE))) ?? null;
}

export async function slaPolicyVersion(x: Executor, version: number): Promise<SlaPolicyVersionRow | null> {
  return (await x.firstOf((qb) => qb.selectFrom('SlaPolicyVersion').selectAll().where('version', '=', version))) ?? null;
}

export async function listSlaPolicyVersions(x: Executor, limit: number): Promise<Array<Omit<SlaPolicyVersionRow, 'policies'>>> {
  return x.allOf((qb) => qb.selectFrom('SlaPolicyVersion').select(['version', 'author', 'change', 'createdAt']).orderBy('version', 'desc').limit(limit));
}

export async function insertSlaPolicyVersion(tx: Executor, v: { policies: string; author: string; change: string }, now: Date): Promise<number> {
  const row = await tx.firstOf((qb) => qb.insertInto('SlaPolicyVersion').values({ ...v, createdAt: now }).returning('version'));
  return row!.version;
}
