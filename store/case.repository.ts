import { sql } from 'kysely';
import { formatCaseNumber, parseCaseNumber } from '../routing/case-number.ts';
import { ACTIVE_STATES, type CaseState } from '../routing/case-state.ts';
import type { CandidateCase } from '../routing/thread.ts';
import type { Executor } from './executor.ts';
import { slaView, type CaseSlaView } from './case-sla.view.ts';
import { ONE, inList, list, literals, query, type DialectName, type QB } from './query.ts';
import { searchTerms } from './search-index.ts';

/** A case with its contact and queue, as services read it. */
export interface CaseRecord {
  id: number;
  state: CaseState;
  priority: number;
  channel: string;
  subject: string;
  queueId: string | null;
  queueName: string | null;
  assigneeId: string | null;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string;
  requiredSkills: string;
  contactId: string;
  contact: { name: string | null; email: string | null; phone: string | null };
  linkedCaseId: number | null;
  routing: string | null;
  assignment: string | null;
  offeredToId: string | null;
  offeredAt: Date | null;
  offerExpiresAt: Date | null;
  declinedBy: string;
  accountId: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  sla: string | null;
  /** JSON list of queues whose agents may take it too */
  widenedTo: string;
}

export interface CaseView {
  number: string;
  state: CaseState;
  priority: number;
  channel: string;
  subject: string;
  queue: string | null;
  assignee: string | null;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  contact: { name: string | null; email: string | null; phone: string | null };
  contactId: string;
  accountId: string | null;
  linkedCase: string | null;
  offeredTo: string | null;
  offeredAt: string | null;
  offerExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** the SLA's clocks; null when no policy applies (or none was worked out yet) */
  sla: CaseSlaView | null;
}

/** `now` sets the remaining time of running SLA clocks. */
export function toCaseView(row: CaseRecord, now: Date = new Date()): CaseView {
  return {
    number: formatCaseNumber(row.id),
    state: row.state,
    priority: row.priority,
    channel: row.channel,
    subject: row.subject,
    queue: row.queueName,
    assignee: row.assigneeId,
    category: row.category,
    sentiment: row.sentiment,
    frustrated: row.frustrated,
    tags: parseJsonArray(row.tags),
    requiredSkills: parseJsonArray(row.requiredSkills),
    contact: row.contact,
    contactId: row.contactId,
    accountId: row.accountId,
    linkedCase: row.linkedCaseId ? formatCaseNumber(row.linkedCaseId) : null,
    offeredTo: row.offeredToId,
    offeredAt: row.offeredToId ? (row.offeredAt?.toISOString() ?? null) : null,
    offerExpiresAt: row.offeredToId ? (row.offerExpiresAt?.toISOString() ?? null) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    sla: slaView(row.sla, now),
  };
}

export function parseJsonArray(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Cases with their contact and queue. */
function caseSource(qb: QB) {
  return qb.selectFrom('Case as c').innerJoin('Contact as ct', 'ct.id', 'c.contactId').leftJoin('Queue as q', 'q.id', 'c.queueId');
}

/** The one read shape of a case. */
function withCaseColumns<Q extends ReturnType<typeof caseSource>>(q: Q) {
  return q.select([
    'c.id', 'c.state', 'c.priority', 'c.channel', 'c.subject', 'c.queueId', 'q.name as queueName', 'c.assigneeId', 'c.category',
    'c.sentiment', 'c.frustrated', 'c.tags', 'c.requiredSkills', 'c.contactId', 'ct.name as contactName', 'ct.email as contactEmail',
    'ct.phone as contactPhone', 'c.linkedCaseId', 'c.routing', 'c.assignment', 'c.offeredToId', 'c.offeredAt', 'c.offerExpiresAt', 'c.declinedBy',
    'c.accountId', 'c.createdAt', 'c.updatedAt', 'c.resolvedAt', 'c.sla', 'c.widenedTo',
  ]);
}

function selectCases(qb: QB) {
  return withCaseColumns(caseSource(qb));
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof selectCases>['executeTakeFirstOrThrow']>>;

function toRecord(r: CaseRow): CaseRecord {
  const { contactName, contactEmail, contactPhone, ...rest } = r;
  return { ...rest, state: r.state as CaseState, contact: { name: contactName, email: contactEmail, phone: contactPhone } };
}

const caseById = query((qb, p: { id: number }) => selectCases(qb).where('c.id', '=', p.id));

export async function getCaseRow(x: Executor, id: number): Promise<CaseRecord | null> {
  const row = await x.first(caseById, { id });
  return row ? toRecord(row) : null;
}

export async function getCaseByNumber(x: Executor, number: string): Promise<CaseRecord | null> {
  const id = parseCaseNumber(number);
  return id === null ? null : getCaseRow(x, id);
}

const casesByIdsQuery = query((qb, p: { ids: number[] }, d) => selectCases(qb).where(inList('c.id', list(p.ids), d)));

/** The cases named, as they are now; rows that are gone are absent. */
export async function casesByIds(x: Executor, ids: readonly number[]): Promise<CaseRecord[]> {
  if (ids.length === 0) return [];
  return (await x.all(casesByIdsQuery, { ids: [...ids] })).map(toRecord);
}

/** What a person may change of a case at once (state, priority, queue, assignee and what follows from them). */
export interface CaseChange {
  state?: CaseState;
  priority?: number;
  /** JSON list of the case's tags */
  tags?: string;
  queueId?: string;
  assigneeId?: string | null;
  /** the agent a reopened case goes back to first; cleared once someone has the case again */
  previousAgentId?: null;
  /** JSON list of agents the case skips until a new round (who declined it, let its offer lapse or released it) */
  declinedBy?: string;
  /** a person's assignment starts the rounds of offers afresh */
  offerRounds?: 0;
  offerRetryAt?: null;
  /** set with every change of assignee: when the new one took it, or (released) since when it waits */
  assignedAt?: Date | null;
  waitingSince?: Date | null;
  overflowSteps?: 0;
  agingSteps?: 0;
  widenedTo?: '[]';
  skillsRelaxed?: false;
  offeredToId?: null;
  offeredAt?: null;
  resolvedAt?: Date | null;
  closedAt?: Date;
}

const caseTagsQuery = query((qb, p: { id: number }) => qb.selectFrom('Case').select('tags').where('id', '=', p.id));

/** Adds a tag to a case unless it has it; returns whether it was added. */
export async function addCaseTag(x: Executor, id: number, tag: string, now: Date): Promise<boolean> {
  const row = await x.first(caseTagsQuery, { id });
  if (!row) return false;
  const tags = parseJsonArray(row.tags);
  if (tags.includes(tag)) return false;
  await setCaseTags(x, id, [...tags, tag], now);
  return true;
}

/** A new wait (or none: someone has the case) starts the queue's overflow and aging afresh. */
export const WAIT_RESET = { overflowSteps: 0, agingSteps: 0, widenedTo: '[]', skillsRelaxed: false } as const;

/** The offer ends and the rounds of offers start afresh: who passed, how many rounds, the back-off. */
export const ROUNDS_RESET = { offeredToId: null, offeredAt: null, declinedBy: '[]', offerRounds: 0, offerRetryAt: null } as const;

/**
 * Someone has the case now, however they took it (claim, answer, takeover, assignment, escalation): no
 * offer, no wait, and the next wait is a first round with no preference for an earlier agent.
 */
export const HELD_RESET = { ...ROUNDS_RESET, ...WAIT_RESET, waitingSince: null, previousAgentId: null } as const;

/**
 * The case moves to another queue: its offer ends and that queue's rounds and overflow steps start from
 * the first. The wait goes on (the priority aging gave it stays, and its count with it).
 */
export const QUEUE_MOVE_RESET = { ...ROUNDS_RESET, overflowSteps: 0, widenedTo: '[]' } as const;

export async function setCaseTags(x: Executor, id: number, tags: readonly string[], now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('Case').set({ tags: JSON.stringify(tags), updatedAt: now }).where('id', '=', id));
}

export async function updateCase(x: Executor, id: number, change: CaseChange, now: Date): Promise<void> {
  await x.runOf((qb) => qb.updateTable('Case').set({ ...change, updatedAt: now }).where('id', '=', id));
}

export interface CaseFilter {
  /** one state, or several (the active ones) */
  state?: string | readonly string[];
  queueId?: string;
  /** cases of any of these queues (an agent's own) */
  queueIds?: readonly string[];
  channel?: string;
  priority?: number;
  /** an email address or a phone number */
  contact?: string;
  q?: string;
  assigneeId?: string;
  /** nobody has the case */
  unassigned?: boolean;
  /** offered now to this agent */
  offeredToId?: string;
  contactId?: string;
  accountId?: string;
  /** cases carrying this tag, whatever its case */
  tag?: string;
  /** only cases whose nearest SLA promise falls due before this moment (or fell due): `sla=soon` */
  dueBefore?: Date;
  limit: number;
  /**
   * newest (the default): newest first; oldest: oldest first; priority: the most urgent first, then the oldest;
   * due: only cases with an SLA promise still to keep (running, or broken and unanswered), the nearest due time first
   */
  sort?: CaseSort;
  /** where the previous page ended, in the list's own order */
  after?: CasePageKey;
  /** newest first from before this id (the same as `after` of a newest-first list) */
  beforeId?: number;
}

export type CaseSort = 'newest' | 'oldest' | 'priority' | 'due';

/** The last case of a page, by what its list is ordered by. */
export type CasePageKey = { id: number } | { id: number; priority: number } | { id: number; dueAt: Date };

export async function listCases(x: Executor, f: CaseFilter): Promise<{ rows: CaseRecord[]; next: CasePageKey | null }> {
  const rows = await x.allOf((qb, dialect) => caseListQuery(qb, f, dialect));
  const more = rows.length > f.limit;
  const kept = more ? rows.slice(0, f.limit) : rows;
  const last = kept[kept.length - 1];
  const page = kept.map(({ slaDueAt: _due, ...r }) => toRecord(r));
  if (!more || !last) return { rows: page, next: null };
  const sort = f.sort ?? 'newest';
  const next: CasePageKey | null =
    sort === 'due' ? (last.slaDueAt ? { id: last.id, dueAt: last.slaDueAt } : null) : sort === 'priority' ? { id: last.id, priority: last.priority } : { id: last.id };
  return { rows: page, next };
}

/**
 * Cases whose subject, any message or note, or whose contact's name, email or phone has every word of the
 * search (the last as a prefix). The full-text indexes of store/search-index.ts on SQLite, and expression
 * GIN indexes on PostgreSQL, which match these expressions exactly.
 */
function searchCondition(terms: { fts5: string; tsquery: string }, dialect: DialectName) {
  if (dialect === 'postgres') {
    // unaccent may turn a letter into punctuation (ʼ into '): nothing of tsquery's syntax but ours may remain
    const tsq = sql`to_tsquery('simple', translate(public.unaccent(${terms.tsquery}), ${"'\\()!|<>"}, ''))`;
    return sql<boolean>`(${sql.ref('c.id')} IN (SELECT "caseId" FROM "Interaction" WHERE "direction" IN ('inbound', 'outbound', 'note') AND "sb_search_words"("text") @@ ${tsq})
      OR "sb_search_words"(${sql.ref('c.subject')}) @@ ${tsq}
      OR ${sql.ref('c.contactId')} IN (SELECT "id" FROM "Contact" WHERE ${sql.raw(POSTGRES_CONTACT_DOCUMENT)} @@ ${tsq}))`;
  }
  return sql<boolean>`(${sql.ref('c.id')} IN (SELECT "caseId" FROM "Interaction" WHERE "rowid" IN (SELECT "rowid" FROM "InteractionFts" WHERE "InteractionFts" MATCH ${terms.fts5}))
    OR ${sql.ref('c.id')} IN (SELECT "rowid" FROM "CaseFts" WHERE "CaseFts" MATCH ${terms.fts5})
    OR ${sql.ref('c.contactId')} IN (SELECT "id" FROM "Contact" WHERE "rowid" IN (SELECT "rowid" FROM "ContactFts" WHERE "ContactFts" MATCH ${terms.fts5})))`;
}

/** A contact's searched words on PostgreSQL: the expression its GIN index is built on (an email split at its dots and @). */
export const POSTGRES_CONTACT_DOCUMENT = `"sb_search_words"(coalesce("name", '') || ' ' || translate(coalesce("email", ''), '@.+_-', '     ') || ' ' || coalesce("phone", ''))`;

/** The statement of one page of a case list (exported so its plan can be checked). */
export function caseListQuery(qb: QB, f: CaseFilter, dialect: DialectName = 'sqlite') {
  const q = withCaseColumns(filteredCases(qb, f, dialect));
  const after = f.after;
  const sort = f.sort ?? 'newest';
  if (sort === 'due' || f.dueBefore) {
    const due = f.dueBefore ? q.where('c.slaDueAt', '<', f.dueBefore) : q;
    const paged = after && 'dueAt' in after ? due.where((eb) => eb.or([eb('c.slaDueAt', '>', after.dueAt), eb.and([eb('c.slaDueAt', '=', after.dueAt), eb('c.id', '>', after.id)])])) : due;
    // the index on slaDueAt: a range scan from the nearest due time, whatever the number of cases
    return paged.where('c.slaDueAt', 'is not', null).select('c.slaDueAt').orderBy('c.slaDueAt').orderBy('c.id').limit(f.limit + 1);
  }
  if (sort === 'priority') {
    const paged = after && 'priority' in after ? q.where((eb) => eb.or([eb('c.priority', '>', after.priority), eb.and([eb('c.priority', '=', after.priority), eb('c.id', '>', after.id)])])) : q;
    return paged.select('c.slaDueAt').orderBy('c.priority').orderBy('c.id').limit(f.limit + 1);
  }
  if (sort === 'oldest') return (after ? q.where('c.id', '>', after.id) : q).select('c.slaDueAt').orderBy('c.id').limit(f.limit + 1);
  const before = after?.id ?? f.beforeId;
  return (before !== undefined ? q.where('c.id', '<', before) : q).select('c.slaDueAt').orderBy('c.id', 'desc').limit(f.limit + 1);
}

/** How many cases a filter matches (the paging and order of a list aside). */
export async function countCases(x: Executor, f: Omit<CaseFilter, 'limit'>): Promise<number> {
  const row = await x.firstOf((qb, dialect) => {
    const q = filteredCases(qb, { ...f, limit: 0 }, dialect);
    return (f.dueBefore ? q.where('c.slaDueAt', 'is not', null).where('c.slaDueAt', '<', f.dueBefore) : q).select((eb) => eb.fn.countAll<number>().as('n'));
  });
  return Number(row?.n ?? 0);
}

/** The cases a filter's conditions let through, unordered. */
function filteredCases(qb: QB, f: CaseFilter, dialect: DialectName) {
  let q = caseSource(qb);
  if (typeof f.state === 'string') q = q.where('c.state', '=', f.state);
  else if (f.state) q = q.where('c.state', 'in', literals(f.state));
  if (f.queueId) q = q.where('c.queueId', '=', f.queueId);
  if (f.queueIds) q = f.queueIds.length ? q.where('c.queueId', 'in', [...f.queueIds]) : q.where(sql<boolean>`1 = 0`);
  if (f.channel) q = q.where('c.channel', '=', f.channel);
  if (f.priority !== undefined) q = q.where('c.priority', '=', f.priority);
  if (f.assigneeId) q = q.where('c.assigneeId', '=', f.assigneeId);
  if (f.unassigned) q = q.where('c.assigneeId', 'is', null);
  if (f.offeredToId) {
    const who = f.offeredToId;
    // the case's own offer, or one of a broadcast's further offers
    q = q
      .where((eb) => eb.or([eb('c.offeredToId', '=', who), eb.exists(eb.selectFrom('BroadcastOffer as b').select('b.agentId').whereRef('b.caseId', '=', 'c.id').where('b.agentId', '=', who))]))
      .where('c.assigneeId', 'is', null);
  }
  if (f.contactId) q = q.where('c.contactId', '=', f.contactId);
  if (f.accountId) q = q.where('c.accountId', '=', f.accountId);
  if (f.tag) {
    // tags are a JSON array of strings: the tag as JSON, quotes included, matches one whole element on either engine
    // (as written, or lowered: SQLite's lower() leaves letters past ASCII as they are)
    const like = (tag: string) => `%${JSON.stringify(tag).replace(/[!%_]/g, '!$&')}%`;
    const tag = f.tag.trim();
    q = q.where(sql<boolean>`(c.tags like ${like(tag)} escape '!' or lower(c.tags) like ${like(tag.toLowerCase())} escape '!')`);
  }
  if (f.contact) {
    const contact = f.contact;
    q = q.where((eb) => eb.or([eb('ct.email', '=', contact.toLowerCase()), eb('ct.phone', '=', contact)]));
  }
  if (f.q) {
    const byNumber = parseCaseNumber(f.q);
    const terms = searchTerms(f.q);
    q = q.where((eb) => eb.or([...(terms ? [searchCondition(terms, dialect)] : []), ...(byNumber ? [eb('c.id', '=', byNumber)] : []), ...(!terms && !byNumber ? [sql<boolean>`1 = 0`] : [])]));
  }
  return q;
}

const caseFactsById = query((qb, p: { id: number }) => qb.selectFrom('Case').select(['id', 'channel', 'state', 'assigneeId']).where('id', '=', p.id));

/** The few facts of a case an answer needs, by its number; null when there is no such case. */
export async function caseForAnswer(x: Executor, number: string): Promise<{ id: number; channel: string; state: CaseState; assigneeId: string | null } | null> {
  const id = parseCaseNumber(number);
  if (id === null) return null;
  const row = await x.first(caseFactsById, { id });
  return row ? { ...row, state: row.state as CaseState } : null;
}

/** What processing a follow-up needs of its case. */
export interface FollowUpCase {
  id: number;
  subject: string;
  state: CaseState;
  priority: number;
  queueName: string | null;
  category: string | null;
  frustrated: boolean;
  tags: string;
  requiredSkills: string;
  /** an overflow step dropped the required skills for this wait */
  skillsRelaxed: boolean;
  assigneeId: string | null;
  offeredToId: string | null;
  createdAt: Date;
}

const followUpById = query((qb, p: { id: number }) =>
  qb
    .selectFrom('Case as c')
    .leftJoin('Queue as q', 'q.id', 'c.queueId')
    .select(['c.id', 'c.subject', 'c.state', 'c.priority', 'q.name as queueName', 'c.category', 'c.frustrated', 'c.tags', 'c.requiredSkills', 'c.skillsRelaxed', 'c.assigneeId', 'c.offeredToId', 'c.createdAt'])
    .where('c.id', '=', p.id),
);

export async function caseForFollowUp(x: Executor, id: number): Promise<FollowUpCase> {
  const row = await x.first(followUpById, { id });
  if (!row) throw new Error(`case ${id} not found`);
  return { ...row, state: row.state as CaseState };
}

export interface NewCase {
  channel: string;
  subject: string;
  priority: number;
  queueId: string | null;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  contactId: string;
  accountId: string | null;
  linkedCaseId: number | null;
  /** the routing explanation (JSON) */
  routing: string;
  /** an acknowledgement is sent with it */
  acknowledged: boolean;
  now: Date;
}

const insertCaseQuery = query((qb, p: Omit<NewCase, 'tags' | 'requiredSkills' | 'acknowledged'> & { tags: string; requiredSkills: string; ackSentAt: Date | null }) =>
  qb
    .insertInto('Case')
    .values({
      channel: p.channel, subject: p.subject, state: 'new', priority: p.priority, queueId: p.queueId, category: p.category, sentiment: p.sentiment,
      frustrated: p.frustrated, tags: p.tags, requiredSkills: p.requiredSkills, contactId: p.contactId, accountId: p.accountId,
      linkedCaseId: p.linkedCaseId, routing: p.routing, lastInboundAt: p.now, lastActivityAt: p.now, ackSentAt: p.ackSentAt, declinedBy: '[]',
      waitingSince: p.now, createdAt: p.now, updatedAt: p.now,
    })
    .returning('id'),
);

/** Opens a case from a customer's first message; returns its id. */
export async function insertCase(x: Executor, c: NewCase): Promise<number> {
  const row = await x.first(insertCaseQuery, {
    ...c,
    tags: JSON.stringify(c.tags),
    requiredSkills: JSON.stringify(c.requiredSkills),
    ackSentAt: c.acknowledged ? c.now : null,
  });
  return row!.id;
}

export interface FollowUp {
  state: string;
  priority: number;
  sentiment: number;
  frustrated: boolean;
  category: string | null;
  tags: string[];
  requiredSkills: string[];
  routing: string;
  reopen: boolean;
  now: Date;
}

const followUpQuery = query((qb, p: Omit<FollowUp, 'tags' | 'requiredSkills'> & { id: number; tags: string; requiredSkills: string }) =>
  qb
    .updateTable('Case')
    .set({
      state: p.state, priority: p.priority, sentiment: p.sentiment, frustrated: p.frustrated, category: p.category, tags: p.tags,
      requiredSkills: p.requiredSkills, routing: p.routing, assignment: null, lastInboundAt: p.now, lastActivityAt: p.now, updatedAt: p.now,
    })
    .where('id', '=', p.id),
);

const reopenQuery = query((qb, p: { id: number; now: Date }) =>
  qb
    .updateTable('Case')
    .set((eb) => ({
      resolvedAt: null,
      waitingSince: p.now,
      assignedAt: null,
      ...WAIT_RESET,
      ...ROUNDS_RESET,
      previousAgentId: eb.fn.coalesce('assigneeId', 'previousAgentId'),
      assigneeId: null,
    }))
    .where('id', '=', p.id),
);

/**
 * Records a customer's follow-up on its case: state, scores and routing explanation. `reopen` also
 * frees the case for a new offer, remembering who had it.
 */
export async function applyFollowUp(x: Executor, id: number, f: FollowUp): Promise<void> {
  await x.run(followUpQuery, { ...f, id, tags: JSON.stringify(f.tags), requiredSkills: JSON.stringify(f.requiredSkills) });
  if (f.reopen) await x.run(reopenQuery, { id, now: f.now });
}

// one statement per kind of answer (an agent's that takes the case, an agent's, an integration's), each prepared once
type AnsweredParams = { id: number; state: string; now: Date; agentId: string };
const answeredQueries = new Map<string, ReturnType<typeof answeredQuery>>();
function answeredQuery(byAgent: boolean, claims: boolean) {
  return query((qb, p: AnsweredParams) =>
    qb
      .updateTable('Case')
      .set((eb) => ({
        state: p.state,
        updatedAt: p.now,
        ...(byAgent ? { lastActivityAt: p.now } : {}),
        // the first answer sets the service level's moment; a case nobody had is taken by the one answering
        firstAnsweredAt: eb.fn.coalesce('firstAnsweredAt', sql<Date>`${p.now}`),
        ...(claims
          ? {
              assigneeId: eb.fn.coalesce('assigneeId', sql<string>`${p.agentId}`),
              assignedAt: eb.case().when('assigneeId', 'is', null).then(sql<Date>`${p.now}`).else(eb.ref('assignedAt')).end(),
              ...HELD_RESET,
            }
          : // an answered case waits for the customer, not for an agent: an offer of it ends
            { offeredToId: null, offeredAt: null }),
      }))
      .where('id', '=', p.id),
  );
}

/**
 * An answer written to the customer: the case moves to `state`; `claimBy` (an agent) also takes it if
 * nobody has it. The answer of an agent is activity that threading's continuity runs from; one sent
 * with a token of no agent (an integration) is not, as the migration that added `lastActivityAt` counted.
 */
export async function markAnswered(x: Executor, id: number, a: { state: string; claimBy: string | null; agentId: string | null; now: Date }): Promise<void> {
  const byAgent = a.agentId !== null;
  const claims = a.claimBy !== null;
  const key = `${byAgent}:${claims}`;
  let q = answeredQueries.get(key);
  if (!q) answeredQueries.set(key, (q = answeredQuery(byAgent, claims)));
  await x.run(q, { id, state: a.state, now: a.now, agentId: a.claimBy ?? '' });
}

function selectCandidates(qb: QB) {
  return qb.selectFrom('Case').select(['id', 'state', 'contactId', 'accountId', 'channel', 'lastActivityAt', 'resolvedAt']);
}

function asCandidate(row: Awaited<ReturnType<ReturnType<typeof selectCandidates>['executeTakeFirst']>>): CandidateCase | null {
  return row ? { ...row, state: row.state as CaseState } : null;
}

const candidateQuery = query((qb, p: { id: number }) => selectCandidates(qb).where('id', '=', p.id));

export async function candidateById(x: Executor, id: number | null | undefined): Promise<CandidateCase | null> {
  if (!id) return null;
  return asCandidate(await x.first(candidateQuery, { id }));
}

// one statement per combination of options, each prepared once
const latestCaseQueries = new Map<string, ReturnType<typeof latestCaseQuery>>();
function latestCaseQuery(byChannel: boolean, activeOnly: boolean) {
  return query((qb, p: { contactId: string; channel: string | undefined }) => {
    let q = selectCandidates(qb).where('contactId', '=', p.contactId);
    if (byChannel) q = q.where('channel', '=', p.channel!);
    if (activeOnly) q = q.where('state', 'in', literals(ACTIVE_STATES));
    return q.orderBy('lastActivityAt', 'desc').orderBy('id', 'desc').limit(ONE);
  });
}

/** The contact's case last written in (by the customer or an agent), on one channel or any, optionally only active ones. */
export async function latestCaseOfContact(x: Executor, contactId: string, opts: { channel?: string; activeOnly?: boolean }): Promise<CandidateCase | null> {
  const key = `${Boolean(opts.channel)}:${Boolean(opts.activeOnly)}`;
  let q = latestCaseQueries.get(key);
  if (!q) {
    q = latestCaseQuery(Boolean(opts.channel), Boolean(opts.activeOnly));
    latestCaseQueries.set(key, q);
  }
  return asCandidate(await x.first(q, { contactId, channel: opts.channel }));
}
