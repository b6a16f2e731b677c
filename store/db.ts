import Database from 'better-sqlite3';
import { applyMigrations } from './migrate.ts';
import { preparePrivateDatabaseFile } from './file-modes.ts';
import { SerialLock } from './serial-lock.ts';
import { SqliteExecutor } from './sqlite.engine.ts';
import type { Executor } from './executor.ts';

export type { Executor } from './executor.ts';

export interface DbOptions {
  /** `file:/abs/path.db` */
  url: string;
  /** FULL survives power loss; NORMAL (WAL) survives a process crash and is faster */
  synchronous?: 'FULL' | 'NORMAL';
  /** told how long each write transaction held the write path (metrics); the store does not know how it is reported */
  observe?: TransactionObserver;
}

/** `group_commit`: one batch of transactions, BEGIN to COMMIT */
export type TransactionObserver = (path: 'group_commit', seconds: number) => void;

/**
 * The database: a writer connection that runs transactions one batch at a time (`transaction`), and a
 * reader connection for everything else (`read`). In WAL mode a read never waits behind a write
 * transaction and never sees one half-done.
 */
export class Db {
  private readonly lock = new SerialLock();
  private batch: Array<BatchedWrite<unknown>> = [];
  private flushing: Promise<void> | null = null;

  private constructor(
    private readonly writer: SqliteExecutor,
    /** reads outside any transaction; they see what was committed */
    readonly read: Executor,
    private readonly readerConn: Database.Database,
    private readonly observe?: TransactionObserver,
  ) {}

  static async open(opts: DbOptions): Promise<Db> {
    const file = opts.url.replace(/^file:/, '');
    preparePrivateDatabaseFile(file);
    applyMigrations(file);
    // A short busy timeout: SQLite's busy handler sleeps on the event loop. Waiting for another
    // process's write lock is done asynchronously in `transaction` instead.
    const conn = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    conn.pragma('journal_mode = WAL');
    conn.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    conn.pragma('foreign_keys = ON');
    // checkpoint every 8,000 pages (32 MB of WAL) rather than 1,000: hot pages are copied back less often
    conn.pragma('wal_autocheckpoint = 8000');
    // a reader in WAL mode waits only while another process recovers the log; SQLite's wait blocks the event loop
    const reader = new Database(file, { timeout: READER_BUSY_TIMEOUT_MS });
    reader.pragma('query_only = ON');
    return new Db(new SqliteExecutor(conn), new SqliteExecutor(reader), reader, opts.observe);
  }

  /**
   * Runs `fn` in a write transaction and resolves after the commit. Calls made in the same turn of the
   * event loop share one transaction and one commit (group commit), each in its own savepoint: one that
   * throws is rolled back alone and rejects alone. `fn` does database work only (no waiting on anything
   * else: the batch waits with it), and never calls `transaction` itself (it would wait for itself).
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ fn, resolve, reject } as BatchedWrite<unknown>);
      if (this.batch.length === 1) {
        this.flushing = new Promise<void>((done) => setImmediate(() => void this.lock.run(() => this.timed(() => this.commitBatch())).finally(done)));
      }
    });
  }

  /** Runs the queued writes in one transaction; every one of them is settled, whatever fails. */
  private async commitBatch(): Promise<void> {
    const tx = this.writer;
    try {
      await retryWhileBusy(async () => beginImmediate(tx));
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
        const outcome = await runInSavepoint(tx, op.fn);
        outcomes.push(outcome);
        // SQLite itself rolled everything back (disk full, I/O error…): the earlier writes are gone too
        if (!tx.inTransaction) {
          lost = outcome.ok ? new Error('the transaction was rolled back') : outcome.error;
          break;
        }
      }
      if (!lost) tx.exec('COMMIT');
    } catch (err) {
      lost ??= err;
    }
    if (lost) {
      if (tx.inTransaction) {
        try {
          tx.exec('ROLLBACK');
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
   * Times a whole batch (once the in-process lock is ours, up to its commit or rollback), not each
   * statement: a prepared statement takes microseconds and the commit's fsync dominates, so timing the
   * batches costs nothing on the hot path and still shows what writers wait for.
   */
  private async timed<T>(run: () => Promise<T>): Promise<T> {
    const observe = this.observe;
    if (!observe) return run();
    const started = performance.now();
    try {
      return await run();
    } finally {
      observe('group_commit', (performance.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    while (this.flushing) {
      const f = this.flushing;
      await f;
      if (this.flushing === f) this.flushing = null;
    }
    await this.lock.run(async () => undefined);
    this.writer.conn.close();
    this.readerConn.close();
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
  fn: (tx: Executor) => Promise<T>;
  resolve: (v: T) => void;
  reject: (err: unknown) => void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs one write of a batch; if it throws, what it wrote is undone and the others' writes stay. */
async function runInSavepoint<T>(tx: SqliteExecutor, fn: (tx: Executor) => Promise<T>): Promise<Outcome<T>> {
  tx.exec('SAVEPOINT batched');
  try {
    const value = await fn(tx);
    tx.exec('RELEASE batched');
    return { ok: true, value };
  } catch (error) {
    // fails only when SQLite already rolled the whole transaction back; the caller sees that
    if (tx.inTransaction) {
      tx.exec('ROLLBACK TO batched');
      tx.exec('RELEASE batched');
    }
    return { ok: false, error };
  }
}

const BUSY_TIMEOUT_MS = 20;
const READER_BUSY_TIMEOUT_MS = 250;
const WRITE_LOCK_WAIT_MS = 15_000;

class WriteLockBusy extends Error {
  constructor(readonly driverError: unknown) {
    super('write lock busy');
  }
}

function beginImmediate(tx: SqliteExecutor): void {
  asLockBusy(() => tx.exec('BEGIN IMMEDIATE'));
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

/** True for a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
