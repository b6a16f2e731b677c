import type { PrismaClient, RuleAudit, RuleSetVersion } from '@prisma/client';
import type { Tx } from './db.ts';
import type { RoutingConfig } from '../routing/rule.types.ts';

type Client = PrismaClient | Tx;

export interface RuleSetVersionView {
  version: number;
  author: string;
  change: string;
  createdAt: string;
}

export interface StoredRuleSet extends RuleSetVersionView {
  /** as stored; callers validate before trusting it */
  config: RoutingConfig;
}

export interface RuleAuditView {
  id: number;
  version: number;
  actor: string;
  actorRole: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

function parse(text: string | null, fallback: unknown): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function versionView(row: RuleSetVersion): RuleSetVersionView {
  return { version: row.id, author: row.author, change: row.change, createdAt: row.createdAt.toISOString() };
}

function toStored(row: RuleSetVersion): StoredRuleSet {
  return {
    ...versionView(row),
    config: {
      rules: parse(row.rules, []),
      lexicon: parse(row.lexicon, { categories: {} }),
      templates: parse(row.templates, {}),
      businessHours: parse(row.businessHours, null),
    } as RoutingConfig,
  };
}

export async function latestRuleSet(db: Client): Promise<StoredRuleSet | null> {
  const row = await db.ruleSetVersion.findFirst({ orderBy: { id: 'desc' } });
  return row ? toStored(row) : null;
}

export async function ruleSetVersion(db: Client, version: number): Promise<StoredRuleSet | null> {
  const row = await db.ruleSetVersion.findUnique({ where: { id: version } });
  return row ? toStored(row) : null;
}

/** Newest first; `before` is the last version of the previous page. */
export async function listRuleSetVersions(db: Client, opts: { limit: number; before?: number }): Promise<RuleSetVersionView[]> {
  const rows = await db.ruleSetVersion.findMany({
    where: opts.before !== undefined ? { id: { lt: opts.before } } : {},
    orderBy: { id: 'desc' },
    take: opts.limit,
    select: { id: true, author: true, change: true, createdAt: true },
  });
  return rows.map((r) => versionView(r as RuleSetVersion));
}

export async function insertRuleSetVersion(tx: Tx, config: RoutingConfig, author: string, change: string, now: Date): Promise<number> {
  const row = await tx.ruleSetVersion.create({
    data: {
      rules: JSON.stringify(config.rules),
      lexicon: JSON.stringify(config.lexicon),
      templates: JSON.stringify(config.templates),
      businessHours: config.businessHours ? JSON.stringify(config.businessHours) : null,
      author,
      change,
      createdAt: now,
    },
    select: { id: true },
  });
  return row.id;
}

export interface AuditEntry {
  version: number;
  actor: string;
  actorRole: string;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function insertRuleAudit(tx: Tx, e: AuditEntry, now: Date): Promise<void> {
  await tx.ruleAudit.create({
    data: {
      version: e.version,
      actor: e.actor,
      actorRole: e.actorRole,
      action: e.action,
      target: e.target ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      createdAt: now,
    },
  });
}

function auditView(row: RuleAudit): RuleAuditView {
  return {
    id: row.id,
    version: row.version,
    actor: row.actor,
    actorRole: row.actorRole,
    action: row.action,
    target: row.target,
    before: parse(row.before, null),
    after: parse(row.after, null),
    at: row.createdAt.toISOString(),
  };
}

/** Newest first; `before` is the last id of the previous page; `target` narrows to one rule. */
export async function listRuleAudit(db: Client, opts: { limit: number; before?: number; target?: string }): Promise<RuleAuditView[]> {
  const rows = await db.ruleAudit.findMany({
    where: { ...(opts.before !== undefined ? { id: { lt: opts.before } } : {}), ...(opts.target ? { target: opts.target } : {}) },
    orderBy: { id: 'desc' },
    take: opts.limit,
  });
  return rows.map(auditView);
}
