/**
 * SQLite's search tables are made at start, not by a migration: a database from before them (an upgrade),
 * or one whose tables a rebuild dropped, is indexed in full at the next start. (PostgreSQL's indexes come
 * with their migration and cover every row at once.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { startApp } from '../support/test-app.ts';
import { SEARCH_TRIGGERS } from '../../store/search-index.ts';

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

  it('is indexed afresh when the rows it points at were renumbered (a dump and reload, a VACUUM)', async () => {
    k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000' });
    const first = await k.write('ulla.first@customer.test', 'one question');
    const gone = await k.write('gone@customer.test', 'another question');
    const kept = await k.write('vera.kept@customer.test', 'the kettle whistles');
    const dataDir = k.t.dataDir;
    await k.close();
    const raw = new Database(`${dataDir}/switchboard.db`);
    raw.pragma('foreign_keys = OFF');
    // a contact removed with everything of theirs leaves a gap in the rowids
    const caseId = Number(gone.slice(2));
    raw.exec(`DELETE FROM "Interaction" WHERE "caseId" = ${caseId}; DELETE FROM "Case" WHERE "id" = ${caseId}; DELETE FROM "Contact" WHERE "email" = 'gone@customer.test';`);
    expect((raw.prepare('SELECT COUNT(*) AS n FROM "Contact"').get() as { n: number }).n).toBe(2);
    // as a reload of a dump does: the rows come back in order under new rowids closing the gap, the index as it was, the triggers after
    const contactTriggers = Object.keys(SEARCH_TRIGGERS).filter((n) => n.startsWith('Contact_'));
    for (const n of contactTriggers) raw.exec(`DROP TRIGGER "${n}"`);
    raw.exec(`CREATE TEMP TABLE "copy" AS SELECT * FROM "Contact" ORDER BY "rowid"; DELETE FROM "Contact"; INSERT INTO "Contact" SELECT * FROM "copy" ORDER BY "rowid";`);
    for (const n of contactTriggers) raw.exec(SEARCH_TRIGGERS[n]!);
    raw.close();
    const t = await startApp({}, {}, dataDir);
    try {
      const by = async (q: string) => (await t.api('GET', `/api/v1/cases?q=${q}`)).body.items.map((c: { number: string }) => c.number);
      expect(await by('vera')).toEqual([kept]);
      expect(await by('ulla')).toEqual([first]);
      expect(await by('kettle')).toEqual([kept]);
    } finally {
      await t.close();
    }
  });
});
