import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import pg from 'pg';
import type { Executor } from './executor.ts';
import { compileBuildable, Param, planQuery, type Buildable, type DialectName, type Plan, type Query, type QB } from './query.ts';
import type { DB } from './generated/database.types.ts';

/** Kysely for PostgreSQL, used to build and compile only: statements run through `pg`. */
export const postgresBuilder: QB = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** A client or a pool: both run one query at a time for the caller. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const INT8 = 20;
/**
 * How values come back: counts and sums (bigint) as numbers like SQLite's, the rest as `pg` reads them
 * (timestamptz as Date, boolean as boolean). No count here comes near 2^53.
 */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

interface Declared {
  /** the prepared statement's name: `pg` prepares it once per connection and reuses it */
  name: string;
  text: string;
  bind: (params: object) => unknown[];
}

// one plan per declared query for the process, whichever connection runs it
const declared = new WeakMap<Query<never, unknown>, Declared>();
let statementCount = 0;

function declaredQuery(q: Query<never, unknown>): Declared {
  let d = declared.get(q);
  if (!d) {
    const plan = planQuery(q as Query<object, unknown>, postgresBuilder, 'postgres');
    d = { name: `sb${++statementCount}`, text: plan.sql, bind: binder(plan) };
    declared.set(q, d);
  }
  return d;
}

/** A `pg` client or pool as an `Executor`: declared queries are named prepared statements. */
export class PostgresExecutor implements Executor {
  readonly dialect: DialectName = 'postgres';

  constructor(private readonly conn: Queryable) {}

  async all<P extends object, R>(q: Query<P, R>, params: P): Promise<R[]> {
    const d = declaredQuery(q);
    return (await this.conn.query({ name: d.name, text: d.text, values: d.bind(params) })).rows as R[];
  }

  async first<P extends object, R>(q: Query<P, R>, params: P): Promise<R | undefined> {
    return (await this.all(q, params))[0];
  }

  async run<P extends object>(q: Query<P, unknown>, params: P): Promise<number> {
    const d = declaredQuery(q);
    return (await this.conn.query({ name: d.name, text: d.text, values: d.bind(params) })).rowCount ?? 0;
  }

  async allOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R[]> {
    const plan = compileBuildable(build(postgresBuilder, 'postgres'), postgresBuilder);
    return (await this.conn.query(plan.sql, plan.params.map(toPg))).rows as R[];
  }

  async firstOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R | undefined> {
    return (await this.allOf(build))[0];
  }

  async runOf(build: (qb: QB, dialect: DialectName) => Buildable<unknown>): Promise<number> {
    const plan = compileBuildable(build(postgresBuilder, 'postgres'), postgresBuilder);
    return (await this.conn.query(plan.sql, plan.params.map(toPg))).rowCount ?? 0;
  }
}

/** The values of a run in the statement's order: a list parameter is an array (`= ANY($n)`). */
function binder(plan: Plan): (params: object) => unknown[] {
  const slots = plan.params.map((v) => (v instanceof Param ? v : { constant: toPg(v) }));
  return (params) =>
    slots.map((slot) => {
      if (!(slot instanceof Param)) return slot.constant;
      const value = (params as Record<string, unknown>)[slot.name];
      return slot.list ? (value ?? []) : toPg(value);
    });
}

function toPg(v: unknown): unknown {
  return v === undefined ? null : v;
}
