import crypto from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';

export type SqlValue = string | number | null;
/** positional values, or one object for named parameters (`@name`) */
export type SqlParams = SqlValue[] | [Record<string, SqlValue>];

/**
 * Prepared statements on the store's one SQLite connection, for the paths that run per message. Each
 * statement is prepared once and kept; calls are synchronous, so a group of them inside `Db.writeNow`
 * is one transaction that no other flow can interleave with. Inside a `Db.write` transaction they
 * take part in it (same connection).
 *
 * Values are written the way Prisma writes them, so both read each other's rows: dates as ISO-8601
 * text with "+00:00" (see `sqlDate`), booleans as 0/1, ids from `newId`.
 */
export class Sql {
  private readonly statements = new Map<string, Statement>();
  private conn: Database | null = null;

  /** Points at a (new) connection; statements prepared on the old one are dropped. */
  attach(conn: Database): void {
    this.conn = conn;
    this.statements.clear();
  }

  /** whether a transaction is open on the connection (SQLite may have rolled one back on its own) */
  get inTransaction(): boolean {
    return this.conn?.inTransaction ?? false;
  }

  get<T>(sql: string, ...params: SqlParams): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SqlParams): T[] {
    return this.prepare(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SqlParams): { changes: number; lastInsertRowid: number } {
    const r = this.prepare(sql).run(...params);
    return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (!this.conn) throw new Error('the store is not connected');
      stmt = this.conn.prepare(sql);
      // Prisma's driver turns on 64-bit integers for the connection; our ids and counts fit in a double
      if (stmt.reader) stmt.safeIntegers(false);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/** A date as Prisma's SQLite driver stores it, so text comparisons and ordering agree across both. */
export function sqlDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

export function fromSqlDate(v: string | number | null): Date | null {
  return v === null ? null : new Date(v);
}

/** A fixed list of our own constants (states) written into a statement: `'new', 'open'`. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

let lastMs = 0;
let counter = 0;
/**
 * A collision-resistant id that sorts by creation within this process: time (ms), a counter for ids made in
 * the same millisecond, then randomness. Same alphabet and length as the ids Prisma makes (cuid).
 */
export function newId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else counter++;
  const random = randomChunk().toString(36).padStart(13, '0').slice(0, 12);
  return `c${lastMs.toString(36).padStart(8, '0')}${(counter % 36 ** 4).toString(36).padStart(4, '0')}${random}`;
}

// random bytes drawn a few kilobytes at a time: one call per id would cost more than the id's statement
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomChunk(): bigint {
  if (poolAt + 8 > pool.length) {
    pool = crypto.randomBytes(4096);
    poolAt = 0;
  }
  const v = pool.readBigUInt64BE(poolAt);
  poolAt += 8;
  return v;
}
