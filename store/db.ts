import fs from 'node:fs';
import path from 'node:path';
import { PrismaClient, Prisma } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { applyMigrations } from './migrate.ts';
import { SerialLock } from './serial-lock.ts';

export type Tx = Prisma.TransactionClient;

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
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 });
    const prisma = new PrismaClient({ adapter });
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA busy_timeout = 10000');
    await prisma.$executeRawUnsafe(`PRAGMA synchronous = ${opts.synchronous ?? 'FULL'}`);
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    return new Db(prisma);
  }

  /** Runs `fn` in a transaction, after every write started before it has finished. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.lock.run(() => this.prisma.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }));
  }

  async close(): Promise<void> {
    await this.lock.run(async () => undefined);
    await this.prisma.$disconnect();
  }
}

/** True for a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
