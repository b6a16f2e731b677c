import type { Buildable, DialectName, Query, QB } from './query.ts';

/**
 * Runs queries on one connection: the store's reads (`Db.read`) or a transaction (`Db.transaction`).
 * Repositories take one and never know which engine is behind it. Values go in and come out in one
 * representation whatever the engine: dates as `Date`, booleans as `boolean`, ids as strings (cases: numbers).
 */
export interface Executor {
  readonly dialect: DialectName;
  /** every row of a query declared with `query()` (compiled once, prepared once) */
  all<P extends object, R>(q: Query<P, R>, params: P): Promise<R[]>;
  /** the first row, or undefined */
  first<P extends object, R>(q: Query<P, R>, params: P): Promise<R | undefined>;
  /** runs a statement that returns no rows; resolves to the number of rows it changed */
  run<P extends object>(q: Query<P, unknown>, params: P): Promise<number>;
  /** a query whose shape changes from call to call (filters, search): built and compiled at each call */
  allOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R[]>;
  firstOf<R>(build: (qb: QB, dialect: DialectName) => Buildable<R>): Promise<R | undefined>;
  runOf(build: (qb: QB, dialect: DialectName) => Buildable<unknown>): Promise<number>;
}
