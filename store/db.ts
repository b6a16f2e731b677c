import fs from 'node:fs';
import path from 'node:path';
import { PrismaClient, Prisma } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { applyMigrations } from './migrate.ts';
import { SerialLock } from './serial-lock.ts';

export type Tx = Prisma.TransactionClient;
/** for reads that may run inside a transaction or outside one */
export type Reader = PrismaClient | Tx;

export interface DbOptions {
  /** `file:/abs/path.db` */
  url: string;
  /** FULL survives power loss; NORMAL (WAL) survives a process crash and is faster */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * One SQLite connection behind Prisma. The driver runs every query on that one connection, so a
 * query issued while another flow's transaction is open would land inside it; every write therefore
 * goes through `write`, which runs transactions one at a time. Reads may run freely.
 */
export class Db {
  private readonly lock = new SerialLock();
  private constructor(readonly prisma: PrismaClient) {}

  static async open(opts: DbOptions): Promise<Db> {
    const file = opts.url.replace(/^file:/, '');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    applyMigrations(file);
    // A short busy timeout: SQLite's busy handler sleeps on the event loop. Waiting for another
    // process's write lock is done asynchronously in `write` instead.
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
    const prisma = new PrismaClient({ adapter });
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await prisma.$executeRawUnsafe(`PRAGMA synchronous = ${opts.synchronous ?? 'FULL'}`);
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    return new Db(prisma);
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
    return this.lock.run(async () => {
      const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.prisma.$transaction(
            async (tx) => {
              await takeWriteLock(tx);
              return fn(tx);
            },
            { timeout: 30_000, maxWait: 30_000 },
          );
        } catch (err) {
          if (!(err instanceof WriteLockBusy)) throw err;
          if (Date.now() >= deadline) throw err.driverError;
          await sleep(Math.min(2 ** attempt, 50) * (0.5 + Math.random()));
        }
      }
    });
  }

  async close(): Promise<void> {
    await this.lock.run(async () => undefined);
    await this.prisma.$disconnect();
  }
}

const BUSY_TIMEOUT_MS = 20;
const WRITE_LOCK_WAIT_MS = 15_000;

class WriteLockBusy extends Error {
  constructor(readonly driverError: unknown) {
    super('write lock busy');
  }
}

async function takeWriteLock(tx: Tx): Promise<void> {
  try {
    await tx.$executeRawUnsafe('UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0');
  } catch (err) {
    throw isBusy(err) ? new WriteLockBusy(err) : err;
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && /SQLITE_BUSY/.test(err.message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True for a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
