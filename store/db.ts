import { openPostgres } from './postgres.connect.ts';
import { openSqlite } from './sqlite.connect.ts';
import { SerialLock } from './serial-lock.ts';
import type { DialectName } from './query.ts';
import type { Executor } from './executor.ts';
import type { Engine, WriteConnection } from './engine.ts';
import type { NotifyChannel, NotifyHandlers } from './postgres.notify.ts';

export type { Executor } from './executor.ts';
export type { NotifyChannel, NotifyHandlers } from './postgres.notify.ts';
export { MAX_NOTIFY_BYTES } from './postgres.notify.ts';

export interface DbOptions {
  /** `file:/abs/path.db` (SQLite, embedded) or `postgres://…` / `postgresql://…` */
  url: string;
  /** SQLite only: FULL survives power loss; NORMAL (WAL) survives a process crash and is faster */
  synchronous?: 'FULL' | 'NORMAL';
  /** PostgreSQL only: connections kept for reads (the writer has its own) */
  poolSize?: number;
  /** told how long each write transaction held the write path (metrics); the store does not know how it is reported */
  observe?: TransactionObserver;
}

/** `group_commit`: one batch of transactions, BEGIN to COMMIT */
export type TransactionObserver = (path: 'group_commit', seconds: number) => void;

/** Whether a database URL names a PostgreSQL server rather than an SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The database: a writer connection that runs transactions one batch at a time (`transaction`), and
 * reads for everything else (`read`) that never wait behind a write transaction and never see one
 * half-done (SQLite: a second connection in WAL mode; PostgreSQL: a pool).
 */
export class Db {
  private readonly lock = new SerialLock();
  private batch: Array<BatchedWrite<unknown>> = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly writer: WriteConnection;
  /** reads outside any transaction; they see what was committed */
  readonly read: Executor;
  readonly dialect: DialectName;

  private constructor(
    private readonly engine: Engine,
    private readonly observe?: TransactionObserver,
  ) {
    this.writer = engine.writer;
    this.read = engine.read;
    this.dialect = engine.dialect;
  }

  /** Opens the database the URL names, applying pending migrations first. */
  static async open(opts: DbOptions): Promise<Db> {
    const engine = isPostgresUrl(opts.url) ? await openPostgres(opts.url, { poolSize: opts.poolSize }) : openSqlite(opts.url, { synchronous: opts.synchronous });
    return new Db(engine, opts.observe);
  }

  /**
   * Runs `fn` in a write transaction and resolves after the commit. Calls made in the same turn of the
   * event loop share one transaction and one commit (group commit), each in its own savepoint: one that
   * throws is rolled back alone and rejects alone. `fn` does database work only (no waiting on anything
   * else: the batch waits with it), and never calls `transaction` itself (it would wait for itself).
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    // a PostgreSQL writer would otherwise connect again
    if (this.closed) return Promise.reject(new Error('the store is closed'));
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
      await tx.begin();
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
        // the engine rolled everything back (SQLite: disk full, I/O error…; a lost connection): the earlier writes are gone too
        if (!tx.inTransaction) {
          lost = outcome.ok ? new Error('the transaction was rolled back') : outcome.error;
          break;
        }
      }
      if (!lost) await tx.exec('COMMIT');
    } catch (err) {
      lost ??= err;
    }
    if (lost) {
      if (tx.inTransaction) {
        try {
          await tx.exec('ROLLBACK');
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

  /**
   * A channel every process on this database hears (PostgreSQL's LISTEN/NOTIFY); null on SQLite, whose
   * processes share no such channel. Closed by its owner.
   */
  async listen(channel: string, handlers: NotifyHandlers): Promise<NotifyChannel | null> {
    return this.engine.listen ? this.engine.listen(channel, handlers) : null;
  }

  /** Lets the writes already asked for commit, then closes; later transactions are refused. Closing twice is one close. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      while (this.flushing) {
        const f = this.flushing;
        await f;
        if (this.flushing === f) this.flushing = null;
      }
      await this.lock.run(async () => undefined);
      await this.engine.close();
    })();
    return this.closing;
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
async function runInSavepoint<T>(w: WriteConnection, fn: (tx: Executor) => Promise<T>): Promise<Outcome<T>> {
  await w.exec('SAVEPOINT batched');
  try {
    const value = await fn(w.tx);
    await w.exec('RELEASE batched');
    return { ok: true, value };
  } catch (error) {
    // fails only when the engine already rolled the whole transaction back; the caller sees that
    if (w.inTransaction) {
      await w.exec('ROLLBACK TO batched');
      await w.exec('RELEASE batched');
    }
    return { ok: false, error };
  }
}

/** True for a unique-constraint violation, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
