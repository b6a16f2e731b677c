import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database, Statement } from 'better-sqlite3';
import type { Executor } from './executor.ts';
import { compileBuildable, Param, planQuery, type Buildable, type DialectName, type Plan, type Query, type QB } from './query.ts';
import type { DB } from './generated/database.types.ts';

/** Kysely for SQLite, used to build and compile only: statements run on our own prepared statements. */
export const sqliteBuilder: QB = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

// compiled once per query for the process: the reader and the writer connection share them
const plans = new WeakMap<Query<never, unknown>, Plan>();

/** SQLite stores a date as ISO-8601 text; "+00:00" rather than "Z", the form rows written before this store carry. */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

interface Prepared {
  stmt: Statement;
  /** the values of a run in the statement's order (set for queries declared with `query()`) */
  bind?: (params: object) => unknown[];
  /** result columns declared DATETIME or BOOLEAN in the schema: turned into Date and boolean */
  dates: string[];
  booleans: string[];
}

/**
 * One better-sqlite3 connection as an `Executor`. Calls are synchronous underneath (a statement takes
 * microseconds and never waits for I/O the event loop could use), so a group of them inside a
 * transaction is never interleaved with another flow's. Kysely's own SQLite driver prepares every
 * statement anew and takes ~55 µs per point read here against 5–7 µs for a kept statement, hence this.
 */
export class SqliteExecutor implements Executor {
  readonly dialect: DialectName = 'sqlite';
  private readonly statements = new Map<string, Prepared>();
  /** queries declared with `query()`, prepared on this connection: one lookup per run */
  private readonly declared = new WeakMap<Query<never, unknown>, Prepared>();

  constructor(readonly conn: Database) {}

  get inTransaction(): boolean {
    return this.conn.inTransaction;
  }

  all<P extends object, R>(q: Query<P, R>, params: P): Promise<R[]> {
    const p = this.declaredQuery(q);
    const rows = p.stmt.all(...p.bind!(params));
    for (const row of rows) fromSqlite(p, row);
    return Promise.resolve(rows as R[]);
  }

  first<P extends object, R>(q: Query<P, R>, params: P): Promise<R | undefined> {
    const p = this.declaredQuery(q);
    const row = p.stmt.get(...p.bind!(params));
    return Promise.resolve(row === undefined ? undefined : (fromSqlite(p, row) as R));
  }

  run<P extends object>(q: Query<P, unknown>, params: P): Promise<number> {
    const p = this.declaredQuery(q);
    return Promise.resolve(p.stmt.run(...p.bind!(params)).changes);
  }

  async allOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R[]> {
    const plan = compileBuildable(build(sqliteBuilder, 'sqlite'), sqliteBuilder);
    const p = this.prepare(plan.sql);
    // built for this call: its values are in the plan, nothing to look up by name
    return p.stmt.all(...plan.params.map(toSqlite)).map((row) => fromSqlite(p, row)) as R[];
  }

  async firstOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R | undefined> {
    return (await this.allOf(build))[0];
  }

  async runOf(build: (qb: QB, dialect: DialectName) => Buildable<unknown>): Promise<number> {
    const plan = compileBuildable(build(sqliteBuilder, 'sqlite'), sqliteBuilder);
    return this.prepare(plan.sql).stmt.run(...plan.params.map(toSqlite)).changes;
  }

  /** A statement of the store's own (transaction control, pragmas), outside any query. */
  exec(text: string): void {
    this.prepare(text).stmt.run();
  }

  private declaredQuery(q: Query<never, unknown>): Prepared {
    let p = this.declared.get(q);
    if (!p) {
      let plan = plans.get(q);
      if (!plan) {
        plan = planQuery(q as Query<object, unknown>, sqliteBuilder, 'sqlite');
        plans.set(q, plan);
      }
      p = { ...this.prepare(plan.sql), bind: binder(plan) };
      this.declared.set(q, p);
    }
    return p;
  }

  private prepare(text: string): Prepared {
    let p = this.statements.get(text);
    if (!p) {
      const stmt = this.conn.prepare(text);
      const columns = stmt.reader ? stmt.columns() : [];
      const typed = (t: string) => columns.filter((c) => c.type?.toUpperCase() === t).map((c) => c.name);
      p = { stmt, dates: typed('DATETIME'), booleans: typed('BOOLEAN') };
      // filters and searches compile to ever new texts: keep the most recent ones only
      if (this.statements.size >= MAX_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(text, p);
    }
    return p;
  }
}

const MAX_STATEMENTS = 2000;

/** A function giving the values of a run in the statement's order: names looked up, constants converted once. */
function binder(plan: Plan): (params: object) => unknown[] {
  const slots = plan.params.map((v) => (v instanceof Param ? v : { constant: toSqlite(v) }));
  return (params) => {
    const values = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot instanceof Param) {
        const value = (params as Record<string, unknown>)[slot.name];
        values[i] = slot.list ? JSON.stringify(value ?? []) : toSqlite(value);
      } else values[i] = slot.constant;
    }
    return values;
  };
}

function toSqlite(v: unknown): unknown {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

function fromSqlite(p: Prepared, row: unknown): unknown {
  const r = row as Record<string, unknown>;
  for (const c of p.dates) {
    const v = r[c];
    if (v !== null && v !== undefined) r[c] = new Date(v as string);
  }
  for (const c of p.booleans) {
    const v = r[c];
    if (v !== null && v !== undefined) r[c] = Boolean(v);
  }
  return r;
}
