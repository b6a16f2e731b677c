import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from './db.ts';
import { formatCaseNumber, parseCaseNumber } from '../routing/case-number.ts';
import type { CandidateCase, CaseState } from '../routing/thread.ts';
import { fromSqlDate, type Sql, type SqlValue } from './sql.ts';

type Client = PrismaClient | Tx;

const caseInclude = { contact: true, queue: true } satisfies Prisma.CaseInclude;
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

const CANDIDATE_COLUMNS = '"id", "state", "contactId", "accountId", "channel", "updatedAt", "resolvedAt"';

interface CandidateRow {
  id: number;
  state: string;
  contactId: string;
  accountId: string | null;
  channel: string;
  updatedAt: string;
  resolvedAt: string | null;
}

function asCandidate(row: CandidateRow | undefined): CandidateCase | null {
  return row ? { ...row, state: row.state as CaseState, updatedAt: new Date(row.updatedAt), resolvedAt: fromSqlDate(row.resolvedAt) } : null;
}

export function candidateById(sql: Sql, id: number | null | undefined): CandidateCase | null {
  if (!id) return null;
  return asCandidate(sql.get<CandidateRow>(`SELECT ${CANDIDATE_COLUMNS} FROM "Case" WHERE "id" = ?`, id));
}

/** The contact's most recent case, on one channel or any, optionally only active ones. */
export function latestCaseOfContact(sql: Sql, contactId: string, opts: { channel?: string; activeOnly?: boolean }): CandidateCase | null {
  const params: SqlValue[] = [contactId];
  let where = '"contactId" = ?';
  if (opts.channel) {
    where += ' AND "channel" = ?';
    params.push(opts.channel);
  }
  if (opts.activeOnly) where += ` AND "state" IN (${ACTIVE_STATES.map((st) => `'${st}'`).join(', ')})`;
  return asCandidate(sql.get<CandidateRow>(`SELECT ${CANDIDATE_COLUMNS} FROM "Case" WHERE ${where} ORDER BY "updatedAt" DESC LIMIT 1`, ...params));
}
