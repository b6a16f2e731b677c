import { sql, type Compilable, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './generated/database.types.ts';

/** The query builder every repository writes with; it only builds and compiles, an engine runs what it compiles. */
export type QB = Kysely<DB>;
export type DialectName = 'sqlite' | 'postgres';

/** A named parameter's place in a compiled query, filled with that name's value at every run. */
export class Param {
  constructor(
    readonly name: string,
    /** a list: JSON text for SQLite's json_each, an array for PostgreSQL's ANY */
    readonly list = false,
  ) {}
}

/** A query compiled once per engine and run many times with new values. */
export interface Query<P, R> {
  readonly build: (qb: QB, p: P, dialect: DialectName) => Buildable<R>;
}

/** A query builder's result, or a whole statement in Kysely's `sql` template (compiled by the same dialect). */
export type Buildable<R> = Compilable<R> | RawBuilder<R>;

/**
 * Declares a query whose shape is fixed: `p` stands for the values given at each run (`p.id` is the
 * `id` of the run's parameters). The engine compiles it on first use and keeps the statement prepared,
 * so a run costs one execution, not a build, a compilation and a prepare.
 */
export function query<P extends object, R>(build: (qb: QB, p: P, dialect: DialectName) => Buildable<R>): Query<P, R> {
  return { build };
}

const PARAMS = new Proxy({} as Record<string, Param>, { get: (_, name) => (typeof name === 'string' ? new Param(name) : undefined) });

/** The compiled text of a query and where each of its parameters comes from (a name, or a value fixed in the query). */
export interface Plan {
  sql: string;
  params: readonly unknown[];
}

export function planQuery(q: Query<object, unknown>, qb: QB, dialect: DialectName): Plan {
  return compileBuildable(q.build(qb, PARAMS, dialect), qb);
}

export function compileBuildable(b: Buildable<unknown>, qb: QB): Plan {
  // a raw statement compiles through the builder's dialect; a query builder ignores the argument
  const compiled = (b as RawBuilder<unknown>).compile(qb);
  return { sql: compiled.sql, params: compiled.parameters };
}

/** A list parameter: `inList(ref, list(p.ids), dialect)`. */
export function list<T>(param: readonly T[]): readonly T[] {
  if (!(param instanceof Param)) throw new Error('list() takes a parameter of the query (p.name)');
  return new Param(param.name, true) as unknown as readonly T[];
}

/**
 * `column IN (the list)`, one statement whatever the list's length: a JSON array read by json_each on
 * SQLite, an array parameter on PostgreSQL. `negate` gives NOT IN.
 */
export function inList(column: string, values: readonly unknown[], dialect: DialectName, negate = false): RawBuilder<boolean> {
  const ref = sql.ref(column);
  if (dialect === 'postgres') return negate ? sql<boolean>`NOT (${ref} = ANY(${values}))` : sql<boolean>`${ref} = ANY(${values})`;
  return negate ? sql<boolean>`${ref} NOT IN (SELECT "value" FROM json_each(${values}))` : sql<boolean>`${ref} IN (SELECT "value" FROM json_each(${values}))`;
}

/** Our own constants written into the statement (states, kinds): the planner sees them, no parameter is bound. */
export function literals(values: readonly string[]): Array<Expression<string>> {
  return values.map((v) => sql.lit(v));
}

/** SQLite's index hint, where its planner without statistics picks a worse index; nothing on PostgreSQL. */
export function indexedBy(dialect: DialectName, index: string): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`INDEXED BY ${sql.id(index)}` : sql``;
}

/** The text at `key` of a JSON object kept in a text column. */
export function jsonText(column: string, key: string, dialect: DialectName): RawBuilder<string | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`unsupported JSON key ${key}`);
  return dialect === 'postgres'
    ? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
}

/** `LIMIT 1` written into the statement: a bound LIMIT costs SQLite about twice as much per run here. */
export const ONE = sql.lit(1);

/** `text` for a LIKE pattern, its wildcards taken literally (with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** A lower-case LIKE pattern matching `text` anywhere. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text.toLowerCase())}%`;
}
