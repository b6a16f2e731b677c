import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import { formatCaseNumber, parseCaseNumber } from '../routing/case-number.ts';
import type { CandidateCase, CaseState } from '../routing/thread.ts';
import { fromSqlDate, sqlDate, sqlList, type Sql, type SqlValue } from './sql.ts';

type Client = PrismaClient | Tx;

export const caseInclude = { contact: true, queue: true } satisfies Prisma.CaseInclude;
type CaseRow = Prisma.CaseGetPayload<{ include: typeof caseInclude }>;

/** States of a case still being worked: it counts against its agent's capacity and takes follow-ups. */
export const ACTIVE_STATES = ['new', 'open', 'awaiting_customer'];

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
  linkedCase: string | null;
  offeredTo: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export function toCaseView(row: CaseRow): CaseView {
  return {
    number: formatCaseNumber(row.id),
    state: row.state as CaseState,
    priority: row.priority,
    channel: row.channel,
    subject: row.subject,
    queue: row.queue?.name ?? null,
    assignee: row.assigneeId,
    category: row.category,
    sentiment: row.sentiment,
    frustrated: row.frustrated,
    tags: parseJsonArray(row.tags),
    requiredSkills: parseJsonArray(row.requiredSkills),
    contact: { name: row.contact.name, email: row.contact.email, phone: row.contact.phone },
    linkedCase: row.linkedCaseId ? formatCaseNumber(row.linkedCaseId) : null,
    offeredTo: row.offeredToId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
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

export async function getCaseRow(db: Client, id: number): Promise<CaseRow | null> {
  return db.case.findUnique({ where: { id }, include: caseInclude });
}

export async function getCaseByNumber(db: Client, number: string): Promise<CaseRow | null> {
  const id = parseCaseNumber(number);
  return id === null ? null : getCaseRow(db, id);
}

export interface CaseFilter {
  state?: string;
  queueId?: string;
  channel?: string;
  /** an email address or a phone number */
  contact?: string;
  q?: string;
  assigneeId?: string;
  limit: number;
  /** id of the last case of the previous page */
  beforeId?: number;
}

export async function listCases(db: Client, f: CaseFilter): Promise<{ rows: CaseRow[]; nextBeforeId: number | null }> {
  const where: Prisma.CaseWhereInput = {};
  if (f.state) where.state = f.state;
  if (f.queueId) where.queueId = f.queueId;
  if (f.channel) where.channel = f.channel;
  if (f.assigneeId) where.assigneeId = f.assigneeId;
  if (f.contact) where.contact = { OR: [{ email: f.contact.toLowerCase() }, { phone: f.contact }] };
  if (f.beforeId !== undefined) where.id = { lt: f.beforeId };
  if (f.q) {
    const byNumber = parseCaseNumber(f.q);
    where.OR = [{ subject: { contains: f.q } }, ...(byNumber ? [{ id: byNumber }] : [])];
  }
  const rows = await db.case.findMany({ where, include: caseInclude, orderBy: { id: 'desc' }, take: f.limit + 1 });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
}

/** The few facts of a case an answer needs, by its number; null when there is no such case. */
export function caseForAnswer(sql: Sql, number: string): { id: number; channel: string; state: CaseState; assigneeId: string | null } | null {
  const id = parseCaseNumber(number);
  if (id === null) return null;
  return sql.get('SELECT "id", "channel", "state", "assigneeId" FROM "Case" WHERE "id" = ?', id) ?? null;
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
  assigneeId: string | null;
  offeredToId: string | null;
  createdAt: Date;
}

export function caseForFollowUp(sql: Sql, id: number): FollowUpCase {
  const row = sql.get<Omit<FollowUpCase, 'frustrated' | 'createdAt'> & { frustrated: number; createdAt: string }>(
    `SELECT c."id", c."subject", c."state", c."priority", q."name" AS "queueName", c."category", c."frustrated", c."tags",
       c."requiredSkills", c."assigneeId", c."offeredToId", c."createdAt"
     FROM "Case" c LEFT JOIN "Queue" q ON q."id" = c."queueId" WHERE c."id" = ?`,
    id,
  );
  if (!row) throw new Error(`case ${id} not found`);
  return { ...row, frustrated: Boolean(row.frustrated), createdAt: new Date(row.createdAt) };
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

/** Opens a case from a customer's first message; returns its id. */
export function insertCase(sql: Sql, c: NewCase): number {
  const at = sqlDate(c.now);
  return sql.run(
    `INSERT INTO "Case" ("channel", "subject", "state", "priority", "queueId", "category", "sentiment", "frustrated", "tags", "requiredSkills",
       "contactId", "accountId", "linkedCaseId", "routing", "lastInboundAt", "lastActivityAt", "ackSentAt", "declinedBy", "createdAt", "updatedAt")
     VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`,
    c.channel, c.subject, c.priority, c.queueId, c.category, c.sentiment, c.frustrated ? 1 : 0, JSON.stringify(c.tags), JSON.stringify(c.requiredSkills),
    c.contactId, c.accountId, c.linkedCaseId, c.routing, at, at, c.acknowledged ? at : null, at, at,
  ).lastInsertRowid;
}

/**
 * Records a customer's follow-up on its case: state, scores and routing explanation. `reopen` also
 * frees the case for a new offer, remembering who had it.
 */
export function applyFollowUp(
  sql: Sql,
  id: number,
  f: { state: string; priority: number; sentiment: number; frustrated: boolean; category: string | null; tags: string[]; requiredSkills: string[]; routing: string; reopen: boolean; now: Date },
): void {
  sql.run(
    `UPDATE "Case" SET "state" = @state, "priority" = @priority, "sentiment" = @sentiment, "frustrated" = @frustrated, "category" = @category,
       "tags" = @tags, "requiredSkills" = @requiredSkills, "routing" = @routing, "lastInboundAt" = @at, "lastActivityAt" = @at, "updatedAt" = @at,
       "resolvedAt" = CASE WHEN @reopen THEN NULL ELSE "resolvedAt" END,
       "previousAgentId" = CASE WHEN @reopen THEN coalesce("assigneeId", "previousAgentId") ELSE "previousAgentId" END,
       "assigneeId" = CASE WHEN @reopen THEN NULL ELSE "assigneeId" END,
       "offeredToId" = CASE WHEN @reopen THEN NULL ELSE "offeredToId" END,
       "offeredAt" = CASE WHEN @reopen THEN NULL ELSE "offeredAt" END,
       "declinedBy" = CASE WHEN @reopen THEN '[]' ELSE "declinedBy" END
     WHERE "id" = @id`,
    {
      id,
      state: f.state,
      priority: f.priority,
      sentiment: f.sentiment,
      frustrated: f.frustrated ? 1 : 0,
      category: f.category,
      tags: JSON.stringify(f.tags),
      requiredSkills: JSON.stringify(f.requiredSkills),
      routing: f.routing,
      at: sqlDate(f.now),
      reopen: f.reopen ? 1 : 0,
    },
  );
}

/**
 * An answer written to the customer: the case moves to `state`; `claimBy` (an agent) also takes it if
 * nobody has it. The answer of an agent is activity that threading's continuity runs from; one sent
 * with a token of no agent (an integration) is not, as the migration that added `lastActivityAt` counted.
 */
export function markAnswered(sql: Sql, id: number, a: { state: string; claimBy: string | null; agentId: string | null; now: Date }): void {
  sql.run(
    `UPDATE "Case" SET "state" = @state, "updatedAt" = @at,
       "lastActivityAt" = CASE WHEN @agentId IS NULL THEN "lastActivityAt" ELSE @at END,
       "assigneeId" = coalesce(@claimBy, "assigneeId"),
       "offeredToId" = CASE WHEN @claimBy IS NULL THEN "offeredToId" END,
       "offeredAt" = CASE WHEN @claimBy IS NULL THEN "offeredAt" END
     WHERE "id" = @id`,
    { id, state: a.state, claimBy: a.claimBy, agentId: a.agentId, at: sqlDate(a.now) },
  );
}

const CANDIDATE_COLUMNS = '"id", "state", "contactId", "accountId", "channel", "lastActivityAt", "resolvedAt"';

interface CandidateRow {
  id: number;
  state: string;
  contactId: string;
  accountId: string | null;
  channel: string;
  lastActivityAt: string;
  resolvedAt: string | null;
}

function asCandidate(row: CandidateRow | undefined): CandidateCase | null {
  return row ? { ...row, state: row.state as CaseState, lastActivityAt: new Date(row.lastActivityAt), resolvedAt: fromSqlDate(row.resolvedAt) } : null;
}

export function candidateById(sql: Sql, id: number | null | undefined): CandidateCase | null {
  if (!id) return null;
  return asCandidate(sql.get<CandidateRow>(`SELECT ${CANDIDATE_COLUMNS} FROM "Case" WHERE "id" = ?`, id));
}

/** The contact's case last written in (by the customer or an agent), on one channel or any, optionally only active ones. */
export function latestCaseOfContact(sql: Sql, contactId: string, opts: { channel?: string; activeOnly?: boolean }): CandidateCase | null {
  const params: SqlValue[] = [contactId];
  let where = '"contactId" = ?';
  if (opts.channel) {
    where += ' AND "channel" = ?';
    params.push(opts.channel);
  }
  if (opts.activeOnly) where += ` AND "state" IN (${sqlList(ACTIVE_STATES)})`;
  return asCandidate(sql.get<CandidateRow>(`SELECT ${CANDIDATE_COLUMNS} FROM "Case" WHERE ${where} ORDER BY "lastActivityAt" DESC, "id" DESC LIMIT 1`, ...params));
}
