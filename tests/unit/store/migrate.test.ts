import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { applyPostgresMigrations, applySqliteMigrations, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../../store/migrate.ts';
import pg from 'pg';
import Database from 'better-sqlite3';
import { tempDir } from '../../support/test-app.ts';
import { POSTGRES_TRIGGERS, SQLITE_TRIGGERS } from '../../../store/load-triggers.ts';
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

/** Plain SQL on the test's database, outside the store: what an operator or a migration could do. */
async function rawSql(url: string): Promise<{ run(text: string): Promise<void>; rows<T>(text: string): Promise<T[]>; close(): Promise<void> }> {
  if (TEST_POSTGRES_URL) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      run: async (text) => void (await client.query(text)),
      rows: async <T,>(text: string) => (await client.query(text)).rows as T[],
      close: () => client.end(),
    };
  }
  const db = new Database(url.slice('file:'.length));
  return {
    run: async (text) => void db.exec(text),
    rows: async <T,>(text: string) => db.prepare(text).all() as T[],
    close: async () => void db.close(),
  };
}

const LOAD = `SELECT "agentId", "channel", "n" FROM "AgentLoad" WHERE "n" <> 0 ORDER BY "agentId", "channel"`;
const triggerNames = (url: string) =>
  rawSql(url).then(async (db) => {
    try {
      const rows = TEST_POSTGRES_URL
        ? await db.rows<{ name: string }>(`SELECT "tgname" AS "name" FROM pg_trigger WHERE NOT "tgisinternal"`)
        : await db.rows<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'trigger'`);
      // the load triggers (the search index's have tests of their own)
      const load = new Set(Object.keys(TEST_POSTGRES_URL ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS));
      return rows.map((r) => r.name).filter((n) => load.has(n)).sort();
    } finally {
      await db.close();
    }
  });

describe('the triggers that keep agents’ load', () => {
  const expected = Object.keys(TEST_POSTGRES_URL ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS).sort();
  const seed = [
    `INSERT INTO "Contact" ("id", "updatedAt") VALUES ('c1', CURRENT_TIMESTAMP)`,
    `INSERT INTO "Agent" ("id", "name") VALUES ('ann', 'Ann'), ('bob', 'Bob')`,
    `INSERT INTO "Case" ("channel", "contactId", "assigneeId", "state", "updatedAt") VALUES ('email', 'c1', 'ann', 'open', CURRENT_TIMESTAMP), ('sms', 'c1', 'ann', 'open', CURRENT_TIMESTAMP), ('sms', 'c1', NULL, 'new', CURRENT_TIMESTAMP)`,
  ];

  it('are in place after every start and count each agent’s open cases and offers', async () => {
    const url = await testDatabaseUrl(tempDir());
    await (await Db.open({ url })).close();
    expect(await triggerNames(url)).toEqual(expected);
    const db = await rawSql(url);
    try {
      for (const text of seed) await db.run(text);
      await db.run(`UPDATE "Case" SET "offeredToId" = 'bob' WHERE "assigneeId" IS NULL`);
      expect(await db.rows(LOAD)).toEqual([
        { agentId: 'ann', channel: 'email', n: 1 },
        { agentId: 'ann', channel: 'sms', n: 1 },
        { agentId: 'bob', channel: 'sms', n: 1 },
      ]);
    } finally {
      await db.close();
    }
  });

  it('come back at the next start when a table rebuild dropped them, and the load missed meanwhile is counted again', async () => {
    const url = await testDatabaseUrl(tempDir());
    await (await Db.open({ url })).close();
    const db = await rawSql(url);
    try {
      for (const text of seed) await db.run(text);
      if (TEST_POSTGRES_URL) {
        await db.run(`DROP TRIGGER "Case_agentLoad" ON "Case"`);
        await db.run(`CREATE OR REPLACE FUNCTION "case_offer_ended"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
      } else {
        // what a migration altering a column of Case does on SQLite: a new table, the rows copied, the old one dropped
        const ddl = (await db.rows<{ sql: string }>(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'table' AND "name" = 'Case'`))[0]!.sql;
        await db.run('PRAGMA foreign_keys = OFF');
        await db.run(`${ddl.replace('CREATE TABLE "Case"', 'CREATE TABLE "new_Case"')}; INSERT INTO "new_Case" SELECT * FROM "Case"; DROP TABLE "Case"; ALTER TABLE "new_Case" RENAME TO "Case"`);
      }
      expect(await triggerNames(url)).not.toEqual(expected);
      // written while the triggers were gone: bob takes the waiting case, ann resolves one
      await db.run(`UPDATE "Case" SET "assigneeId" = 'bob' WHERE "assigneeId" IS NULL`);
      await db.run(`UPDATE "Case" SET "state" = 'resolved' WHERE "channel" = 'email'`);
    } finally {
      await db.close();
    }
    await (await Db.open({ url })).close();
    expect(await triggerNames(url)).toEqual(expected);
    const again = await rawSql(url);
    try {
      expect(await again.rows(LOAD)).toEqual([
        { agentId: 'ann', channel: 'sms', n: 1 },
        { agentId: 'bob', channel: 'sms', n: 1 },
      ]);
      // and they count again from here
      await again.run(`UPDATE "Case" SET "state" = 'resolved' WHERE "assigneeId" = 'bob'`);
      expect(await again.rows(LOAD)).toEqual([{ agentId: 'ann', channel: 'sms', n: 1 }]);
      if (TEST_POSTGRES_URL) {
        const src = (await again.rows<{ src: string }>(`SELECT "prosrc" AS "src" FROM pg_proc WHERE "proname" = 'case_offer_ended'`))[0]!.src;
        expect(src).toContain('DELETE FROM "BroadcastOffer"');
      }
    } finally {
      await again.close();
    }
  });
});

describe('a database migrated by a newer version', () => {
  it('is refused at start, naming the migrations this version lacks', async () => {
    const url = await testDatabaseUrl(tempDir());
    await (await Db.open({ url })).close();
    const db = await rawSql(url);
    try {
      await db.run(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES ('x', 'x', CURRENT_TIMESTAMP, '29991231000000_from_the_future', 1)`,
      );
    } finally {
      await db.close();
    }
    await expect(Db.open({ url })).rejects.toThrow(/29991231000000_from_the_future/);
  });
});
