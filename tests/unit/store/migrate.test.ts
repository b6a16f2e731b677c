import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { applyPostgresMigrations, applySqliteMigrations, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../../store/migrate.ts';
import pg from 'pg';
import Database from 'better-sqlite3';
import { tempDir } from '../../support/test-app.ts';
import { TEST_POSTGRES_URL, testDatabaseUrl } from '../../support/test-database.ts';

describe('migrations at start', () => {
  it('instances starting together on one new database apply each migration once', async () => {
    const url = await testDatabaseUrl(tempDir());
    const dbs = await Promise.all([Db.open({ url }), Db.open({ url }), Db.open({ url })]);
    try {
      const rows = await dbs[0]!.read.allOf(() => sql.raw<{ migration_name: string }>(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL`));
      const dir = TEST_POSTGRES_URL ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
      const expected = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql'))).sort();
      expect(rows.map((r) => r.migration_name).sort()).toEqual(expected);
      // each of them can write
      for (const [i, db] of dbs.entries()) {
        expect(await db.transaction(async (tx) => tx.runOf((qb) => qb.insertInto('ProcessedEvent').values({ id: `started-${i}`, createdAt: new Date() })))).toBe(1);
      }
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });
});

describe('the accounts-and-contacts migration', () => {
  it('keeps each account’s one domain as its first domain', async () => {
    const dir = TEST_POSTGRES_URL ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
    const all = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql'))).sort();
    const at = all.findIndex((d) => d.endsWith('_accounts_and_contacts'));
    expect(at).toBeGreaterThan(0);
    // the migrations before it, in a folder of their own
    const before = fs.mkdtempSync(path.join(tempDir(), 'migrations-'));
    for (const d of all.slice(0, at)) fs.cpSync(path.join(dir, d), path.join(before, d), { recursive: true });
    const url = await testDatabaseUrl(tempDir());
    const insert = `INSERT INTO "Account" ("id", "name", "domain", "tier", "vip") VALUES ('acc1', 'Old Corp', 'OldCorp.test', 'gold', true)`;
    if (TEST_POSTGRES_URL) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await applyPostgresMigrations(client, before);
        await client.query(insert);
      } finally {
        await client.end();
      }
    } else {
      const file = url.slice('file:'.length);
      applySqliteMigrations(file, before);
      const raw = new Database(file);
      raw.exec(insert);
      raw.close();
    }
    const db = await Db.open({ url });
    try {
      const domains = await db.read.allOf(() => sql.raw<{ domain: string; accountId: string }>(`SELECT "domain", "accountId" FROM "AccountDomain"`));
      expect(domains).toEqual([{ domain: 'oldcorp.test', accountId: 'acc1' }]);
      const account = await db.read.allOf(() => sql.raw<{ name: string; tier: string }>(`SELECT "name", "tier" FROM "Account"`));
      expect(account).toEqual([{ name: 'Old Corp', tier: 'gold' }]);
    } finally {
      await db.close();
    }
  });
});
