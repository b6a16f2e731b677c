import pg from 'pg';
import { preparePostgres } from './migrate.ts';
import { PostgresExecutor, pgTypes } from './postgres.engine.ts';
import type { Engine, WriteConnection } from './engine.ts';
import { listenPostgres } from './postgres.notify.ts';

/**
 * Opens a PostgreSQL database: migrations applied and triggers in place under an advisory lock, one writer connection for the
 * group commit (as on SQLite: one batch at a time per instance, each write in its own savepoint), and a
 * pool for reads.
 */
export async function openPostgres(url: string, opts: { poolSize?: number }): Promise<Engine> {
  const writer = new PostgresWriter(url);
  await preparePostgres(await writer.connected());
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? DEFAULT_POOL_SIZE, types: pgTypes });
  // an idle connection the server closed (a restart, a timeout) is dropped; the pool opens another when asked
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    writer,
    read: new PostgresExecutor(pool),
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    close: async () => {
      await writer.close();
      await pool.end();
    },
  };
}

const DEFAULT_POOL_SIZE = 10;
// the key of the advisory lock every write transaction holds (any constant no other lock uses)
const WRITE_LOCK = 0x5b0a_0001;

/** The writer's connection, opened again at the next transaction after it was lost. */
class PostgresWriter implements WriteConnection {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  readonly tx = new PostgresExecutor({ query: ((...args: Parameters<pg.Client['query']>) => this.current().query(...args)) as pg.Client['query'] });

  constructor(private readonly url: string) {}

  async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, types: pgTypes });
      client.on('error', () => {
        // the query in flight, if any, fails with it; the next transaction connects anew
        if (this.client === client) this.client = null;
        void client.end().catch(() => undefined);
      });
      try {
        await client.connect();
        this.client = client;
        return client;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  private current(): pg.Client {
    if (!this.client) throw new Error('the database connection was lost');
    return this.client;
  }

  async begin(): Promise<void> {
    // One write transaction at a time on the database, whichever instance asks: the model SQLite has on its
    // file. Transactions of one group commit take row and advisory locks in no common order, so two such
    // batches running side by side deadlock; held from BEGIN to COMMIT, this lock leaves nothing to
    // deadlock over. Reads (the pool) never take it.
    await (await this.connected()).query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
  }

  async exec(text: string): Promise<void> {
    await this.current().query(text);
  }

  get inTransaction(): boolean {
    // 'T' in a transaction, 'E' in one that failed (a savepoint can still be rolled back to), 'I' outside
    const status = (this.client as (pg.Client & { getTransactionStatus(): string | null }) | null)?.getTransactionStatus();
    return status === 'T' || status === 'E';
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end();
  }
}
