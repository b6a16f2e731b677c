import type { Db } from '../../store/db.ts';
import { literal, runSql } from './store-rows.ts';

/** A write the database itself refuses for a while: a real error raised by a trigger, on either engine. */
export interface Refusal {
  /** names the trigger; refusing again under the same name moves its deadline */
  name: string;
  table: 'Case' | 'OutboxItem' | 'Timer';
  on: 'INSERT' | 'UPDATE OF "status"' | 'UPDATE OF "offeredToId"';
  /** a condition on the NEW row, in SQL both engines read */
  when: string;
  /** for how long from now; undefined: until `stopRefusing` */
  seconds?: number;
  /**
   * the whole transaction is lost, not only the statement: SQLite rolls it back (RAISE(ROLLBACK)); on
   * PostgreSQL the connection ends under it, the way a server restart or a network cut loses one
   */
  wholeCommit?: boolean;
}

const FOREVER_SECONDS = 86_400 * 365;

/** Makes the database refuse writes as `r` says, with the message of a disk error. */
export async function refuseWrites(db: Db, r: Refusal): Promise<void> {
  const now = nowSeconds(db);
  await runSql(db, `CREATE TABLE IF NOT EXISTS "refusal" ("name" TEXT PRIMARY KEY, "until" DOUBLE PRECISION)`);
  await runSql(
    db,
    `INSERT INTO "refusal" VALUES (${literal(r.name)}, ${now} + ${r.seconds ?? FOREVER_SECONDS})
     ON CONFLICT ("name") DO UPDATE SET "until" = excluded."until"`,
  );
  const active = `(${r.when}) AND (SELECT "until" FROM "refusal" WHERE "name" = ${literal(r.name)}) > ${now}`;
  if (db.dialect === 'sqlite') {
    await runSql(
      db,
      `CREATE TRIGGER IF NOT EXISTS "${r.name}" BEFORE ${r.on} ON "${r.table}" WHEN ${active}
       BEGIN SELECT RAISE(${r.wholeCommit ? 'ROLLBACK' : 'ABORT'}, 'disk I/O error'); END`,
    );
    return;
  }
  const refuse = r.wholeCommit ? 'PERFORM pg_terminate_backend(pg_backend_pid());' : `RAISE EXCEPTION 'disk I/O error';`;
  await runSql(
    db,
    `CREATE OR REPLACE FUNCTION "${r.name}"() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN IF ${active} THEN ${refuse} END IF; RETURN NEW; END $$`,
  );
  await runSql(db, `CREATE OR REPLACE TRIGGER "${r.name}" BEFORE ${r.on} ON "${r.table}" FOR EACH ROW EXECUTE FUNCTION "${r.name}"()`);
}

/** Ends a refusal made by `refuseWrites`. */
export async function stopRefusing(db: Db, name: string): Promise<void> {
  await runSql(db, `DELETE FROM "refusal" WHERE "name" = ${literal(name)}`);
}

/** The engine's clock, in seconds since the epoch, as SQL. */
function nowSeconds(db: Db): string {
  return db.dialect === 'sqlite' ? `((julianday('now') - 2440587.5) * 86400.0)` : `extract(epoch from clock_timestamp())`;
}
