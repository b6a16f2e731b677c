import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { restorePostgresTriggers, restoreSqliteTriggers } from './load-triggers.ts';
import { restoreSqliteSearch } from './search-index.ts';

const MIGRATIONS = path.join(path.dirname(new URL(import.meta.url).pathname), 'migrations');
export const SQLITE_MIGRATIONS = path.join(MIGRATIONS, 'sqlite');
export const POSTGRES_MIGRATIONS = path.join(MIGRATIONS, 'postgres');

/** A migration folder written by `npm run db:diff`: its name orders it, its SQL is applied in one transaction. */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql')))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** What `db:status` shows: the migrations the database has, and the ones it still lacks. */
export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

// Prisma's own bookkeeping table, kept so `prisma migrate status` and this store agree on what is applied
const APPLIED = `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

function statusOf(all: Migration[], applied: Set<string>): MigrationStatus {
  // a database migrated by a newer version has tables and triggers this one does not know how to keep
  const unknown = [...applied].filter((name) => !all.some((m) => m.name === name));
  if (unknown.length > 0) {
    throw new Error(`the database has migrations this version does not have (${unknown.sort().join(', ')}): run the version that applied them, or a newer one`);
  }
  return { applied: all.filter((m) => applied.has(m.name)).map((m) => m.name), pending: all.filter((m) => !applied.has(m.name)).map((m) => m.name) };
}

/**
 * Applies the pending migrations of store/migrations/sqlite to an SQLite file (or, with `statusOnly`,
 * only says which are pending). Runs at every start; a migration is applied in one transaction.
 */
export function applySqliteMigrations(file: string, dir = SQLITE_MIGRATIONS, statusOnly = false): MigrationStatus {
  return withSqlite(file, (db) => applySqlite(db, dir, statusOnly));
}

/** What every start does to an SQLite file: the pending migrations, then the load triggers put back where missing. */
export function prepareSqlite(file: string): MigrationStatus {
  return withSqlite(file, (db) => {
    const status = applySqlite(db, SQLITE_MIGRATIONS, false);
    restoreSqliteTriggers(db);
    restoreSqliteSearch(db);
    return status;
  });
}

/** What every start does to a PostgreSQL database, one instance at a time: the pending migrations, then the load triggers. */
export async function preparePostgres(client: pg.ClientBase): Promise<MigrationStatus> {
  return withMigrationLock(client, async () => {
    const status = await applyUnlocked(client, POSTGRES_MIGRATIONS, false);
    await restorePostgresTriggers(client);
    return status;
  });
}

function withSqlite<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file, { timeout: 10_000 });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

function applySqlite(db: Database.Database, dir: string, statusOnly: boolean): MigrationStatus {
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  const all = readMigrations(dir);
  const applied = new Set(db.prepare(APPLIED).all().map((r) => (r as { migration_name: string }).migration_name));
  const status = statusOf(all, applied);
  if (statusOnly) return status;
  for (const m of all) {
    if (applied.has(m.name)) continue;
    // A table rebuild (SQLite's way to alter a column) drops the old table; with foreign keys on, that
    // drop would run ON DELETE actions on every referencing row. The pragma is a no-op inside a
    // transaction, so keys go off around it and are checked before the commit instead.
    db.pragma('foreign_keys = OFF');
    db.transaction(() => {
      db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration ${m.name} leaves ${broken.length} broken foreign keys`);
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES (?, ?, current_timestamp, ?, 1)`,
      ).run(crypto.randomUUID(), m.checksum, m.name);
    })();
    db.pragma('foreign_keys = ON');
  }
  return status;
}

// the key of the session-level advisory lock every instance takes to migrate: one migrates, the others wait
const MIGRATION_LOCK = 0x5b0a_4d16;

/**
 * Applies the pending migrations of store/migrations/postgres (or, with `statusOnly`, only says which are
 * pending), holding an advisory lock: instances starting together migrate one after another, and the
 * later ones find nothing left to do. A migration is applied in one transaction.
 */
export async function applyPostgresMigrations(client: pg.ClientBase, dir = POSTGRES_MIGRATIONS, statusOnly = false): Promise<MigrationStatus> {
  return withMigrationLock(client, () => applyUnlocked(client, dir, statusOnly));
}

/** Runs `work` while this connection holds the migration lock: one instance at a time changes the schema. */
export async function withMigrationLock<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

async function applyUnlocked(client: pg.ClientBase, dir: string, statusOnly: boolean): Promise<MigrationStatus> {
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
  const all = readMigrations(dir);
  const applied = new Set((await client.query<{ migration_name: string }>(APPLIED)).rows.map((r) => r.migration_name));
  const status = statusOf(all, applied);
  if (statusOnly) return status;
  for (const m of all) {
    if (applied.has(m.name)) continue;
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
        [crypto.randomUUID(), m.checksum, m.name],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return status;
}
