/**
 * SQLite's search tables are made at start, not by a migration: a database from before them (an upgrade),
 * or one whose tables a rebuild dropped, is indexed in full at the next start. (PostgreSQL's indexes come
 * with their migration and cover every row at once.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { startApp } from '../support/test-app.ts';

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

describe('the search index on SQLite', () => {
  it('indexes what was written before the index existed (an upgrade), at the next start', async () => {
    k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000' });
    const n = await k.write('old@customer.test', 'the espresso machine leaks');
    const dataDir = k.t.dataDir;
    await k.close();
    const raw = new Database(`${dataDir}/switchboard.db`);
    raw.exec(`DROP TABLE "InteractionFts"; DROP TABLE "CaseFts"; DROP TABLE "ContactFts"`);
    for (const { name } of raw.prepare(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" LIKE '%search%'`).all() as { name: string }[]) raw.exec(`DROP TRIGGER "${name}"`);
    raw.close();
    const t = await startApp({}, {}, dataDir);
    try {
      const res = await t.api('GET', '/api/v1/cases?q=espresso');
      expect(res.body.items.map((c: { number: string }) => c.number)).toEqual([n]);
    } finally {
      await t.close();
    }
  });
});
