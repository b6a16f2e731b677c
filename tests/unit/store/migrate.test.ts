import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../../store/migrate.ts';
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
