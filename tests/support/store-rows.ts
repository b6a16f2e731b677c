import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { newId } from '../../store/ids.ts';
import type { DB } from '../../store/generated/database.types.ts';

/**
 * What a test reads (and now and then seeds) straight in the store, through the store's own reader:
 * `inStore(db).interaction.count({ where: { status: 'received' } })`. Conditions are equalities, null, and
 * `{ in }`, `{ startsWith }`, `{ endsWith }`, `{ not }`; `orderBy` one column or several.
 */
type Table = keyof DB;
type Where = Record<string, unknown>;
type Order = Record<string, 'asc' | 'desc'> | Array<Record<string, 'asc' | 'desc'>>;
interface Args {
  where?: Where;
  orderBy?: Order;
  include?: { outbox?: boolean };
  select?: Record<string, boolean>;
  data?: Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any table
type Row = any;

const TABLES = {
  interaction: 'Interaction', outboxItem: 'OutboxItem', case: 'Case', queue: 'Queue', agent: 'Agent', account: 'Account',
  chatSession: 'ChatSession', processedEvent: 'ProcessedEvent', contact: 'Contact', channelIdentity: 'ChannelIdentity', apiToken: 'ApiToken',
  ruleSetVersion: 'RuleSetVersion', ruleAudit: 'RuleAudit', channelLink: 'ChannelLink', timer: 'Timer', agentLoad: 'AgentLoad', broadcastOffer: 'BroadcastOffer',
  session: 'Session', invitation: 'Invitation',
} as const satisfies Record<string, Table>;

export interface TableRows {
  count(args?: Args): Promise<number>;
  findMany(args?: Args): Promise<Row[]>;
  findFirst(args?: Args): Promise<Row | null>;
  findFirstOrThrow(args?: Args): Promise<Row>;
  findUnique(args?: Args): Promise<Row | null>;
  findUniqueOrThrow(args?: Args): Promise<Row>;
  create(args: { data: Record<string, unknown> }): Promise<Row>;
  updateMany(args: { where?: Where; data: Record<string, unknown> }): Promise<number>;
}

export function inStore(db: Db): Record<keyof typeof TABLES, TableRows> {
  const out = {} as Record<keyof typeof TABLES, TableRows>;
  for (const [name, table] of Object.entries(TABLES)) out[name as keyof typeof TABLES] = tableRows(db, table);
  return out;
}

function tableRows(db: Db, table: Table): TableRows {
  const select = async (args: Args = {}, limit?: number): Promise<Row[]> => {
    const found = (await db.read.allOf((qb) => {
      let q = qb.selectFrom(table).selectAll() as any;
      for (const [column, cond] of Object.entries(args.where ?? {})) q = q.where((eb: any) => condition(eb, column, cond));
      const orders = args.orderBy ? (Array.isArray(args.orderBy) ? args.orderBy : [args.orderBy]) : [];
      for (const o of orders) for (const [column, dir] of Object.entries(o)) q = q.orderBy(column, dir);
      if (limit) q = q.limit(limit);
      return q;
    })) as Row[];
    if (args.include?.outbox) {
      for (const r of found) {
        r.outbox = (await db.read.firstOf((qb) => qb.selectFrom('OutboxItem').selectAll().where('interactionId', '=', r.id as string))) ?? null;
      }
    }
    return found;
  };
  const first = async (args?: Args) => (await select(args, 1))[0] ?? null;
  const orThrow = async (args?: Args) => {
    const r = await first(args);
    if (!r) throw new Error(`no ${table} row matches ${JSON.stringify(args?.where ?? {})}`);
    return r;
  };
  return {
    count: async (args) => (await select(args)).length,
    findMany: (args) => select(args),
    findFirst: first,
    findFirstOrThrow: orThrow,
    findUnique: first,
    findUniqueOrThrow: orThrow,
    async create({ data }) {
      const now = new Date();
      const row = { id: newId(), createdAt: now, ...(table === 'Contact' ? { updatedAt: now } : {}), ...data };
      await db.transaction((tx) => tx.runOf((qb) => qb.insertInto(table).values(row as never)));
      return orThrow({ where: { id: row.id } });
    },
    updateMany: ({ where = {}, data }) =>
      db.transaction((tx) =>
        tx.runOf((qb) => {
          let q = qb.updateTable(table).set(data as never) as any;
          for (const [column, cond] of Object.entries(where)) q = q.where((eb: any) => condition(eb, column, cond));
          return q;
        }),
      ),
  };
}

function condition(eb: any, column: string, cond: unknown) {
  if (cond === null) return eb(column, 'is', null);
  if (typeof cond === 'object' && !(cond instanceof Date)) {
    const c = cond as { in?: unknown[]; startsWith?: string; endsWith?: string; not?: unknown };
    if (c.in) return c.in.length ? eb(column, 'in', c.in) : eb.val(false);
    if (c.startsWith !== undefined) return eb(column, 'like', `${c.startsWith}%`);
    if (c.endsWith !== undefined) return eb(column, 'like', `%${c.endsWith}`);
    if ('not' in c) return c.not === null ? eb(column, 'is not', null) : eb(column, '!=', c.not);
    throw new Error(`unsupported condition on ${column}: ${JSON.stringify(cond)}`);
  }
  return eb(column, '=', cond);
}

/** A statement of a test's own (a trigger that makes writes fail, a pragma), run in a transaction on the store's writer. */
export function runSql(db: Db, text: string): Promise<number> {
  return db.transaction((tx) => tx.runOf(() => sql.raw(text)));
}

/** A value as a SQL literal, for `runSql`. */
export function literal(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}
