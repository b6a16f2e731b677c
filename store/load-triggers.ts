import type Database from 'better-sqlite3';
import type pg from 'pg';
import { ACTIVE_STATES } from '../routing/case-state.ts';

/*
 * The triggers that keep AgentLoad (each agent's open cases and offers per channel) and BroadcastOffer in
 * step with Case. They are defined here rather than in a migration because SQLite alters a column by
 * rebuilding the table (Prisma's RedefineTables), and dropping the old table drops its triggers without a
 * word: a later migration of Case would leave the load frozen. So after the migrations at every start, a
 * trigger that is missing or differs from this text is created again and the load counted afresh, in one
 * transaction. To change one, change it here.
 */

const ACTIVE = ACTIVE_STATES.map((s) => `'${s}'`).join(', ');

const bump = (agent: string, channel: string) =>
  `INSERT INTO "AgentLoad" ("agentId", "channel", "n") VALUES (${agent}, ${channel}, 1) ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "AgentLoad"."n" + 1;`;
const drop = (agent: string, channel: string) => `UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE "agentId" = ${agent} AND "channel" = ${channel};`;

// an open case counts one for its assignee; an offer on an unassigned case counts one for the agent holding it
const sqliteBump = (row: 'NEW') =>
  [
    `INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT ${row}."assigneeId", ${row}."channel", 1 WHERE ${row}."assigneeId" IS NOT NULL AND ${row}."state" IN (${ACTIVE}) ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;`,
    `INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT ${row}."offeredToId", ${row}."channel", 1 WHERE ${row}."offeredToId" IS NOT NULL AND ${row}."assigneeId" IS NULL ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;`,
  ].join('\n  ');
const sqliteDrop = (row: 'OLD') =>
  [
    `UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE ${row}."assigneeId" IS NOT NULL AND ${row}."state" IN (${ACTIVE}) AND "agentId" = ${row}."assigneeId" AND "channel" = ${row}."channel";`,
    `UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE ${row}."offeredToId" IS NOT NULL AND ${row}."assigneeId" IS NULL AND "agentId" = ${row}."offeredToId" AND "channel" = ${row}."channel";`,
  ].join('\n  ');

/** SQLite's triggers by name; the WHEN clauses keep rows that touch no agent from paying for them. */
export const SQLITE_TRIGGERS: Record<string, string> = {
  Case_agentLoad_insert: `CREATE TRIGGER "Case_agentLoad_insert" AFTER INSERT ON "Case"
  WHEN NEW."assigneeId" IS NOT NULL OR NEW."offeredToId" IS NOT NULL BEGIN
  ${sqliteBump('NEW')}
END`,
  Case_agentLoad_update: `CREATE TRIGGER "Case_agentLoad_update" AFTER UPDATE OF "assigneeId", "offeredToId", "state", "channel" ON "Case"
  WHEN (OLD."assigneeId" IS NOT NULL OR OLD."offeredToId" IS NOT NULL OR NEW."assigneeId" IS NOT NULL OR NEW."offeredToId" IS NOT NULL)
    AND (OLD."assigneeId" IS NOT NEW."assigneeId" OR OLD."offeredToId" IS NOT NEW."offeredToId" OR OLD."state" IS NOT NEW."state" OR OLD."channel" IS NOT NEW."channel") BEGIN
  ${sqliteDrop('OLD')}
  ${sqliteBump('NEW')}
END`,
  Case_agentLoad_delete: `CREATE TRIGGER "Case_agentLoad_delete" AFTER DELETE ON "Case"
  WHEN OLD."assigneeId" IS NOT NULL OR OLD."offeredToId" IS NOT NULL BEGIN
  ${sqliteDrop('OLD')}
END`,
  // a broadcast offer reserves the agent's room like any offer
  BroadcastOffer_agentLoad_insert: `CREATE TRIGGER "BroadcastOffer_agentLoad_insert" AFTER INSERT ON "BroadcastOffer" BEGIN
  ${bump('NEW."agentId"', 'NEW."channel"')}
END`,
  BroadcastOffer_agentLoad_delete: `CREATE TRIGGER "BroadcastOffer_agentLoad_delete" AFTER DELETE ON "BroadcastOffer" BEGIN
  ${drop('OLD."agentId"', 'OLD."channel"')}
END`,
  // when a case's offer ends (taken, declined, lapsed, withdrawn, the case moved on), so do the offers made with it
  Case_offer_ended: `CREATE TRIGGER "Case_offer_ended" AFTER UPDATE OF "offeredToId" ON "Case"
  WHEN NEW."offeredToId" IS NULL AND OLD."offeredToId" IS NOT NULL BEGIN
  DELETE FROM "BroadcastOffer" WHERE "caseId" = NEW."id";
END`,
};

/** PostgreSQL's trigger functions by name (their bodies are compared with the server's) and the triggers calling them. */
export const POSTGRES_FUNCTIONS: Record<string, string> = {
  case_agent_load: `
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD."assigneeId" IS NOT NULL AND OLD."state" IN (${ACTIVE}) THEN
      ${drop('OLD."assigneeId"', 'OLD."channel"')}
    END IF;
    IF OLD."offeredToId" IS NOT NULL AND OLD."assigneeId" IS NULL THEN
      ${drop('OLD."offeredToId"', 'OLD."channel"')}
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."assigneeId" IS NOT NULL AND NEW."state" IN (${ACTIVE}) THEN
      ${bump('NEW."assigneeId"', 'NEW."channel"')}
    END IF;
    IF NEW."offeredToId" IS NOT NULL AND NEW."assigneeId" IS NULL THEN
      ${bump('NEW."offeredToId"', 'NEW."channel"')}
    END IF;
  END IF;
  RETURN NULL;
END `,
  broadcast_offer_load: `
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${bump('NEW."agentId"', 'NEW."channel"')}
  ELSE
    ${drop('OLD."agentId"', 'OLD."channel"')}
  END IF;
  RETURN NULL;
END `,
  case_offer_ended: `
BEGIN
  DELETE FROM "BroadcastOffer" WHERE "caseId" = NEW."id";
  RETURN NULL;
END `,
};

export const POSTGRES_TRIGGERS: Record<string, string> = {
  Case_agentLoad: `CREATE OR REPLACE TRIGGER "Case_agentLoad" AFTER INSERT OR DELETE OR UPDATE OF "assigneeId", "offeredToId", "state", "channel" ON "Case"
  FOR EACH ROW EXECUTE FUNCTION "case_agent_load"()`,
  BroadcastOffer_agentLoad: `CREATE OR REPLACE TRIGGER "BroadcastOffer_agentLoad" AFTER INSERT OR DELETE ON "BroadcastOffer"
  FOR EACH ROW EXECUTE FUNCTION "broadcast_offer_load"()`,
  Case_offer_ended: `CREATE OR REPLACE TRIGGER "Case_offer_ended" AFTER UPDATE OF "offeredToId" ON "Case"
  FOR EACH ROW WHEN (NEW."offeredToId" IS NULL AND OLD."offeredToId" IS NOT NULL) EXECUTE FUNCTION "case_offer_ended"()`,
};

/**
 * What the triggers would have kept had they run all along: broadcast offers of cases whose offer ended
 * are gone, and each agent's load is counted again from the cases and the offers.
 */
const RECOUNT = [
  `DELETE FROM "BroadcastOffer" WHERE "caseId" IN (SELECT "id" FROM "Case" WHERE "offeredToId" IS NULL OR "assigneeId" IS NOT NULL)`,
  `DELETE FROM "AgentLoad"`,
  `INSERT INTO "AgentLoad" ("agentId", "channel", "n")
   SELECT "agentId", "channel", CAST(SUM("n") AS INTEGER) FROM (
     SELECT "assigneeId" AS "agentId", "channel", COUNT(*) AS "n" FROM "Case"
       WHERE "assigneeId" IS NOT NULL AND "state" IN (${ACTIVE}) GROUP BY "assigneeId", "channel"
     UNION ALL
     SELECT "offeredToId" AS "agentId", "channel", COUNT(*) AS "n" FROM "Case"
       WHERE "offeredToId" IS NOT NULL AND "assigneeId" IS NULL GROUP BY "offeredToId", "channel"
     UNION ALL
     SELECT "agentId", "channel", COUNT(*) AS "n" FROM "BroadcastOffer" GROUP BY "agentId", "channel"
   ) AS "held" GROUP BY "agentId", "channel"`,
];

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** Puts back SQLite's load triggers that are missing or differ, and recounts the load if any was; returns their names. */
export function restoreSqliteTriggers(db: Database.Database): string[] {
  return restoreSqliteTriggerSet(db, SQLITE_TRIGGERS, RECOUNT);
}

/**
 * Puts back the triggers of `triggers` that are missing or differ from their text and, if any was, runs
 * `repair` (which makes good what they missed meanwhile), in one transaction; `stale` says something else
 * (a missing table, say) needs the repair too. Returns the names of the triggers put back.
 */
export function restoreSqliteTriggerSet(db: Database.Database, triggers: Record<string, string>, repair: string[], stale = false): string[] {
  const outdated = () => {
    const present = new Map(
      (db.prepare(`SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'trigger'`).all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]),
    );
    return Object.entries(triggers).filter(([name, text]) => !sameText(present.get(name) ?? '', text));
  };
  if (!stale && outdated().length === 0) return [];
  // looked at again under the write lock: another process starting at the same time may have done it
  return db
    .transaction(() => {
      const now = outdated();
      for (const [name, text] of now) {
        db.exec(`DROP TRIGGER IF EXISTS "${name}"`);
        db.exec(text);
      }
      if (stale || now.length > 0) for (const text of repair) db.exec(text);
      return now.map(([name]) => name);
    })
    .immediate();
}

/**
 * Puts back PostgreSQL's trigger functions whose body differs and the triggers that are missing, and
 * recounts the load if any was; returns their names. Runs under the migration lock, so one instance does it.
 */
export async function restorePostgresTriggers(client: pg.ClientBase): Promise<string[]> {
  const bodies = new Map(
    (await client.query<{ proname: string; prosrc: string }>(`SELECT "proname", "prosrc" FROM pg_proc WHERE "proname" = ANY($1)`, [Object.keys(POSTGRES_FUNCTIONS)])).rows.map(
      (r) => [r.proname, r.prosrc],
    ),
  );
  const triggers = new Set(
    (await client.query<{ tgname: string }>(`SELECT "tgname" FROM pg_trigger WHERE NOT "tgisinternal" AND "tgname" = ANY($1)`, [Object.keys(POSTGRES_TRIGGERS)])).rows.map((r) => r.tgname),
  );
  const functions = Object.entries(POSTGRES_FUNCTIONS).filter(([name, body]) => !sameText(bodies.get(name) ?? '', body));
  const missing = Object.entries(POSTGRES_TRIGGERS).filter(([name]) => !triggers.has(name));
  if (functions.length === 0 && missing.length === 0) return [];
  await client.query('BEGIN');
  try {
    for (const [name, body] of functions) await client.query(`CREATE OR REPLACE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$${body}$$`);
    for (const [, text] of missing) await client.query(text);
    for (const text of RECOUNT) await client.query(text);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  return [...functions, ...missing].map(([name]) => name);
}
