import Database from 'better-sqlite3';
import { prepareSqlite } from './migrate.ts';
import { preparePrivateDatabaseFile } from './file-modes.ts';
import { SqliteExecutor } from './sqlite.engine.ts';
import type { Engine, WriteConnection } from './engine.ts';

/**
 * Opens the SQLite file of a `file:` URL: its migrations applied and triggers in place, a writer connection and a
 * `query_only` reader, both in WAL mode so a read never waits behind a write transaction.
 */
export function openSqlite(url: string, opts: { synchronous?: 'FULL' | 'NORMAL' }): Engine {
  const file = url.replace(/^file:/, '');
  preparePrivateDatabaseFile(file);
  prepareSqlite(file);
  // A short busy timeout: SQLite's busy handler sleeps on the event loop. Waiting for another
  // process's write lock is done asynchronously in `begin` instead.
  const conn = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  conn.pragma('journal_mode = WAL');
  conn.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  conn.pragma('foreign_keys = ON');
  // checkpoint every 8,000 pages (32 MB of WAL) rather than 1,000: hot pages are copied back less often
  conn.pragma('wal_autocheckpoint = 8000');
  // a reader in WAL mode waits only while another process recovers the log; SQLite's wait blocks the event loop
  const reader = new Database(file, { timeout: READER_BUSY_TIMEOUT_MS });
  reader.pragma('query_only = ON');
  const tx = new SqliteExecutor(conn);
  const writer: WriteConnection = {
    tx,
    begin: () => retryWhileBusy(() => tx.exec('BEGIN IMMEDIATE')),
    exec: async (text) => tx.exec(text),
    get inTransaction() {
      return conn.inTransaction;
    },
  };
  return {
    dialect: 'sqlite',
    writer,
    read: new SqliteExecutor(reader),
    close: async () => {
      conn.close();
      reader.close();
    },
  };
}

const BUSY_TIMEOUT_MS = 20;
const READER_BUSY_TIMEOUT_MS = 250;
const WRITE_LOCK_WAIT_MS = 15_000;

/**
 * Runs `take` (a statement that takes the write lock) until it does not meet another connection's lock:
 * while another process holds it, retries with a growing pause without blocking the event loop, for up
 * to `WRITE_LOCK_WAIT_MS`. Only the lock probe is retried: a transaction that met SQLITE_BUSY later on has done work.
 */
async function retryWhileBusy(take: () => void): Promise<void> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let n = 0; ; n++) {
    try {
      take();
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      await sleep(Math.min(2 ** n, 50) * (0.5 + Math.random()));
    }
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && (/SQLITE_BUSY/.test(err.message) || (err as { code?: string }).code === 'SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
