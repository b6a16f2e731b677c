import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const MIGRATIONS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'migrations', 'sqlite');

/**
 * Applies pending migrations from store/migrations/sqlite, keeping Prisma's own bookkeeping table so
 * `prisma migrate status` agrees. Runs at every start; a migration is applied in one transaction.
 */
export function applyMigrations(file: string, dir = MIGRATIONS_DIR): string[] {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied = new Set(
      db
        .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((r) => (r as { migration_name: string }).migration_name),
    );
    const names = fs
      .readdirSync(dir)
      .filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql')))
      .sort();
    const done: string[] = [];
    for (const name of names) {
      if (applied.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = crypto.createHash('sha256').update(sql).digest('hex');
      // A table rebuild (SQLite's way to alter a column) drops the old table; with foreign keys on, that
      // drop would run ON DELETE actions on every referencing row. The pragma is a no-op inside a
      // transaction, so keys go off around it and are checked before the commit instead.
      db.pragma('foreign_keys = OFF');
      db.transaction(() => {
        db.exec(sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`migration ${name} leaves ${broken.length} broken foreign keys`);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(crypto.randomUUID(), checksum, name);
      })();
      db.pragma('foreign_keys = ON');
      done.push(name);
    }
    return done;
  } finally {
    db.close();
  }
}
