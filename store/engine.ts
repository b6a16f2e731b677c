import type { Executor } from './executor.ts';
import type { DialectName } from './query.ts';
import type { NotifyChannel, NotifyHandlers } from './postgres.notify.ts';

/** The connection a `Db` writes through: one transaction at a time, savepoints inside it. */
export interface WriteConnection {
  /** runs the transaction's queries */
  readonly tx: Executor;
  /** starts a write transaction, waiting (without blocking the event loop) while another process holds the write lock */
  begin(): Promise<void>;
  /** a statement of the store's own: SAVEPOINT, RELEASE, COMMIT, ROLLBACK */
  exec(text: string): Promise<void>;
  /** false once the engine rolled the whole transaction back or the connection is gone */
  readonly inTransaction: boolean;
}

/** An opened database: where writes go, where reads go, and how to let go of both. */
export interface Engine {
  readonly dialect: DialectName;
  readonly writer: WriteConnection;
  readonly read: Executor;
  /** a channel shared by every process on the database; absent where the engine has none (SQLite) */
  listen?(channel: string, handlers: NotifyHandlers): Promise<NotifyChannel>;
  close(): Promise<void>;
}
