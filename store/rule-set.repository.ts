import type { Selectable } from 'kysely';
import type { RoutingConfig } from '../routing/rule.types.ts';
import type { RuleAudit as RuleAuditTable, RuleSetVersion as RuleSetVersionTable } from './generated/database.types.ts';
import type { Executor } from './executor.ts';
import { ONE } from './query.ts';

type RuleSetVersion = Selectable<RuleSetVersionTable>;
type RuleAudit = Selectable<RuleAuditTable>;

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

function versionView(row: Pick<RuleSetVersion, 'id' | 'author' | 'change' | 'createdAt'>): RuleSetVersionView {
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

export async function latestRuleSet(x: Executor): Promise<StoredRuleSet | null> {
  const row = await x.firstOf((qb) => qb.selectFrom('RuleSetVersion').selectAll().orderBy('id', 'desc').limit(ONE));
  return row ? toStored(row) : null;
}

export async function ruleSetVersion(x: Executor, version: number): Promise<StoredRuleSet | null> {
  const row = await x.firstOf((qb) => qb.selectFrom('RuleSetVersion').selectAll().where('id', '=', version));
  return row ? toStored(row) : null;
}

/** Newest first; `before` is the last version of the previous page. */
export async function listRuleSetVersions(x: Executor, opts: { limit: number; before?: number }): Promise<RuleSetVersionView[]> {
  const rows = await x.allOf((qb) => {
    let q = qb.selectFrom('RuleSetVersion').select(['id', 'author', 'change', 'createdAt']);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    return q.orderBy('id', 'desc').limit(opts.limit);
  });
  return rows.map(versionView);
}

export async function insertRuleSetVersion(x: Executor, config: RoutingConfig, author: string, change: string, now: Date): Promise<number> {
  const row = await x.firstOf((qb) =>
    qb
      .insertInto('RuleSetVersion')
      .values({
        rules: JSON.stringify(config.rules),
        lexicon: JSON.stringify(config.lexicon),
        templates: JSON.stringify(config.templates),
        businessHours: config.businessHours ? JSON.stringify(config.businessHours) : null,
        author,
        change,
        createdAt: now,
      })
      .returning('id'),
  );
  return row!.id;
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

export async function insertRuleAudit(x: Executor, e: AuditEntry, now: Date): Promise<void> {
  await x.runOf((qb) =>
    qb.insertInto('RuleAudit').values({
      version: e.version,
      actor: e.actor,
      actorRole: e.actorRole,
      action: e.action,
      target: e.target ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      createdAt: now,
    }),
  );
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
export async function listRuleAudit(x: Executor, opts: { limit: number; before?: number; target?: string }): Promise<RuleAuditView[]> {
  const rows = await x.allOf((qb) => {
    let q = qb.selectFrom('RuleAudit').selectAll();
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    if (opts.target) q = q.where('target', '=', opts.target);
    return q.orderBy('id', 'desc').limit(opts.limit);
  });
  return rows.map(auditView);
}
