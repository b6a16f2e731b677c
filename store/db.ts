import { PrismaClient, Prisma } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { applyMigrations } from './migrate.ts';
import { preparePrivateDatabaseFile } from './file-modes.ts';
import { SerialLock } from './serial-lock.ts';
import { Sql } from './sql.ts';
import type { Database } from 'better-sqlite3';

export type Tx = Prisma.TransactionClient;

export interface DbOptions {
  /** `file:/abs/path.db` */
  url: string;
  /** FULL survives power loss; NORMAL (WAL) survives a process crash and is faster */
  synchronous?: 'FULL' | 'NORMAL';
  /** told how long each write transaction held the write path (metrics); the store does not know how it is reported */
  observe?: TransactionObserver;
}

/** `group_commit`: one `writeNow` batch, BEGIN to COMMIT; `transaction`: one `write` (Prisma interactive transaction) */
export type TransactionObserver = (path: 'group_commit' | 'transaction', seconds: number) => void;

/**
 * One SQLite connection, used two ways: through Prisma, and through `sql` (prepared statements, for the
 * paths that run per message). Every query runs on that one connection, so a query issued while another
 * flow's transaction is open would land inside it; every write therefore goes through `write` or
 * `writeNow`, which run transactions one at a time. Reads may run freely.
 */
export class Db {
  private readonly lock = new SerialLock();
  private batch: Array<BatchedWrite<unknown>> = [];
  private flushing: Promise<void> | null = null;
  readonly sql: Sql;

  private constructor(
    readonly prisma: PrismaClient,
    sql: Sql,
    private readonly observe?: TransactionObserver,
  ) {
    this.sql = sql;
  }

  static async open(opts: DbOptions): Promise<Db> {
    const file = opts.url.replace(/^file:/, '');
    preparePrivateDatabaseFile(file);
    applyMigrations(file);
    // A short busy timeout: SQLite's busy handler sleeps on the event loop. Waiting for another
    // process's write lock is done asynchronously in `write` and `writeNow` instead.
    const factory = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
    const sql = new Sql();
    shareConnection(factory, (conn) => {
      conn.pragma('journal_mode = WAL');
      conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      conn.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
      conn.pragma('foreign_keys = ON');
      // checkpoint every 8,000 pages (32 MB of WAL) rather than 1,000: hot pages are copied back less often
      conn.pragma('wal_autocheckpoint = 8000');
      sql.attach(conn);
    });
    const prisma = new PrismaClient({ adapter: factory });
    await prisma.$connect();
    // the first query also proves the connection was shared
    sql.get('SELECT 1');
    return new Db(prisma, sql, opts.observe);
  }

  /**
   * Runs `fn` (synchronous, on `sql`) in a write transaction and resolves after the commit. Calls made in
   * the same turn of the event loop share one transaction and one commit (group commit), each in its own
   * savepoint: one that throws is rolled back alone and rejects alone. Never await it inside a `write`
   * callback (it would wait for that very transaction); statements on `sql` there join that transaction.
   */
  writeNow<T>(fn: (sql: Sql) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ fn, resolve, reject } as BatchedWrite<unknown>);
      if (this.batch.length === 1) {
        this.flushing = new Promise<void>((done) => setImmediate(() => void this.lock.run(() => this.timed('group_commit', () => this.commitBatch())).finally(done)));
      }
    });
  }

  /** Runs the queued writes in one transaction; every one of them is settled, whatever fails. */
  private async commitBatch(): Promise<void> {
    try {
      await retryWhileBusy(async () => beginImmediate(this.sql));
    } catch (err) {
      for (const op of this.batch.splice(0)) op.reject(err);
      return;
    }
    // taken once the lock is held: writes queued while waiting for it join this commit
    const ops = this.batch.splice(0);
    const outcomes: Array<Outcome<unknown>> = [];
    // set when the transaction as a whole is lost: then no write of the batch is kept
    let lost: unknown = null;
    try {
      for (const op of ops) {
        const outcome = runInSavepoint(this.sql, op.fn);
        outcomes.push(outcome);
        // SQLite itself rolled everything back (disk full, I/O error…): the earlier writes are gone too
        if (!this.sql.inTransaction) {
          lost = outcome.ok ? new Error('the transaction was rolled back') : outcome.error;
          break;
        }
      }
      if (!lost) this.sql.run('COMMIT');
    } catch (err) {
      lost ??= err;
    }
    if (lost) {
      if (this.sql.inTransaction) {
        try {
          this.sql.run('ROLLBACK');
        } catch {
          // nothing more can be done here; the next BEGIN reports it
        }
      }
      const error = new CommitLost(lost);
      for (const op of ops) op.reject(error);
      return;
    }
    ops.forEach((op, i) => {
      const o = outcomes[i]!;
      if (o.ok) op.resolve(o.value);
      else op.reject(o.error);
    });
  }

  /**
   * Runs `fn` in a transaction, after every write started before it has finished. The transaction takes
   * SQLite's write lock first (what BEGIN IMMEDIATE would do; the driver only issues a plain BEGIN): a
   * transaction that read first and wrote later would otherwise fail with SQLITE_BUSY when another
   * connection (a second process on the same file) committed in between, instead of waiting its turn.
   * While another connection holds the lock, it retries with a growing pause, without blocking the
   * event loop, for up to `WRITE_LOCK_WAIT_MS`; `fn` runs only once the lock is held.
   */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.lock.run(() =>
      this.timed('transaction', () =>
        retryWhileBusy(() =>
          this.prisma.$transaction(
            async (tx) => {
              takeWriteLock(this.sql);
              return fn(tx);
            },
            { timeout: 30_000, maxWait: 30_000 },
          ),
        ),
      ),
    );
  }

  /**
   * Times a whole transaction (once the in-process lock is ours, up to its commit or rollback), not each
   * statement: a prepared statement takes microseconds and the commit's fsync dominates, so timing the
   * batches costs nothing on the hot path and still shows what writers wait for.
   */
  private async timed<T>(path: 'group_commit' | 'transaction', run: () => Promise<T>): Promise<T> {
    const observe = this.observe;
    if (!observe) return run();
    const started = performance.now();
    try {
      return await run();
    } finally {
      observe(path, (performance.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    while (this.flushing) {
      const f = this.flushing;
      await f;
      if (this.flushing === f) this.flushing = null;
    }
    await this.lock.run(async () => undefined);
    await this.prisma.$disconnect();
  }
}

/**
 * Rejects every write of a group commit that was lost as a whole (SQLite rolled the transaction back, or
 * the COMMIT failed): none of them is stored, whichever of them caused it (`cause`).
 */
export class CommitLost extends Error {
  constructor(override readonly cause: unknown) {
    super(`the commit was lost: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface BatchedWrite<T> {
  fn: (sql: Sql) => T;
  resolve: (v: T) => void;
  reject: (err: unknown) => void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs one write of a batch; if it throws, what it wrote is undone and the others' writes stay. */
function runInSavepoint<T>(sql: Sql, fn: (sql: Sql) => T): Outcome<T> {
  sql.run('SAVEPOINT batched');
  try {
    const value = fn(sql);
    sql.run('RELEASE batched');
    return { ok: true, value };
  } catch (error) {
    // fails only when SQLite already rolled the whole transaction back; the caller sees that
    if (sql.inTransaction) {
      sql.run('ROLLBACK TO batched');
      sql.run('RELEASE batched');
    }
    return { ok: false, error };
  }
}

/**
 * Prisma's driver opens the connection itself; this hands it to `use` as well, on every connect, so
 * prepared statements and Prisma's queries run on the same connection (and in the same transaction).
 */
function shareConnection(factory: PrismaBetterSQLite3, use: (conn: Database) => void): void {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const conn = (adapter as unknown as { client?: Database }).client;
    if (!conn || typeof conn.prepare !== 'function') throw new Error('the SQLite driver does not expose its connection');
    use(conn);
    return adapter;
  };
}

const BUSY_TIMEOUT_MS = 20;
const WRITE_LOCK_WAIT_MS = 15_000;

class WriteLockBusy extends Error {
  constructor(readonly driverError: unknown) {
    super('write lock busy');
  }
}

function takeWriteLock(sql: Sql): void {
  asLockBusy(() => sql.run('UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0'));
}

function beginImmediate(sql: Sql): void {
  asLockBusy(() => sql.run('BEGIN IMMEDIATE'));
}

/** Runs a statement that takes the write lock; meeting another connection's lock becomes `WriteLockBusy`. */
function asLockBusy(take: () => unknown): void {
  try {
    take();
  } catch (err) {
    throw isBusy(err) ? new WriteLockBusy(err) : err;
  }
}

/**
 * Runs `attempt` until its lock probe does not meet another connection's write lock: while another process holds
 * the lock it retries with a growing pause, without blocking the event loop, for up to `WRITE_LOCK_WAIT_MS`.
 */
async function retryWhileBusy<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      // only the lock probe is retried: a transaction that met SQLITE_BUSY later on has done work
      if (!(err instanceof WriteLockBusy)) throw err;
      if (Date.now() >= deadline) throw err.driverError;
      await sleep(Math.min(2 ** n, 50) * (0.5 + Math.random()));
    }
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && (/SQLITE_BUSY/.test(err.message) || (err as { code?: string }).code === 'SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True for a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
