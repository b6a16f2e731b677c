import type Database from 'better-sqlite3';
import { restoreSqliteTriggerSet } from './load-triggers.ts';

/*
 * Full-text search over cases: their subject, the text of every message and note, and their contact's
 * name, email and phone. On SQLite, FTS5 tables kept by triggers; they are made here at start (like the
 * load triggers), not in a migration, because the migration tool diffs an introspected database, which
 * would see FTS5's own tables as models to drop. Contentless tables: the text stays in its own table only.
 * On PostgreSQL, expression GIN indexes (the case_search migration) over the same expressions as
 * `searchCondition` in case.repository.ts.
 */

const TABLES: Record<string, string> = {
  // rowid: the Interaction's rowid
  InteractionFts: `CREATE VIRTUAL TABLE "InteractionFts" USING fts5("text", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
  // rowid: the case's id
  CaseFts: `CREATE VIRTUAL TABLE "CaseFts" USING fts5("subject", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
  // rowid: the Contact's rowid
  ContactFts: `CREATE VIRTUAL TABLE "ContactFts" USING fts5("name", "email", "phone", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
};

const SEARCHED = `NEW."direction" IN ('inbound', 'outbound', 'note')`;

export const SEARCH_TRIGGERS: Record<string, string> = {
  Interaction_search_insert: `CREATE TRIGGER "Interaction_search_insert" AFTER INSERT ON "Interaction" WHEN ${SEARCHED} AND NEW."text" <> '' BEGIN
  INSERT INTO "InteractionFts" ("rowid", "text") VALUES (NEW."rowid", NEW."text");
END`,
  Interaction_search_update: `CREATE TRIGGER "Interaction_search_update" AFTER UPDATE OF "text" ON "Interaction" WHEN ${SEARCHED} BEGIN
  DELETE FROM "InteractionFts" WHERE "rowid" = OLD."rowid";
  INSERT INTO "InteractionFts" ("rowid", "text") SELECT NEW."rowid", NEW."text" WHERE NEW."text" <> '';
END`,
  Interaction_search_delete: `CREATE TRIGGER "Interaction_search_delete" AFTER DELETE ON "Interaction" BEGIN
  DELETE FROM "InteractionFts" WHERE "rowid" = OLD."rowid";
END`,
  Case_search_insert: `CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "CaseFts" ("rowid", "subject") VALUES (NEW."id", NEW."subject");
END`,
  Case_search_update: `CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "subject" ON "Case" BEGIN
  DELETE FROM "CaseFts" WHERE "rowid" = OLD."id";
  INSERT INTO "CaseFts" ("rowid", "subject") VALUES (NEW."id", NEW."subject");
END`,
  Case_search_delete: `CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" BEGIN
  DELETE FROM "CaseFts" WHERE "rowid" = OLD."id";
END`,
  Contact_search_insert: `CREATE TRIGGER "Contact_search_insert" AFTER INSERT ON "Contact" BEGIN
  INSERT INTO "ContactFts" ("rowid", "name", "email", "phone") VALUES (NEW."rowid", NEW."name", NEW."email", NEW."phone");
END`,
  Contact_search_update: `CREATE TRIGGER "Contact_search_update" AFTER UPDATE OF "name", "email", "phone" ON "Contact" BEGIN
  DELETE FROM "ContactFts" WHERE "rowid" = OLD."rowid";
  INSERT INTO "ContactFts" ("rowid", "name", "email", "phone") VALUES (NEW."rowid", NEW."name", NEW."email", NEW."phone");
END`,
  Contact_search_delete: `CREATE TRIGGER "Contact_search_delete" AFTER DELETE ON "Contact" BEGIN
  DELETE FROM "ContactFts" WHERE "rowid" = OLD."rowid";
END`,
};

/** Everything indexed afresh from the tables themselves. */
const REINDEX = [
  `INSERT INTO "InteractionFts" ("InteractionFts") VALUES ('delete-all')`,
  `INSERT INTO "InteractionFts" ("rowid", "text") SELECT "rowid", "text" FROM "Interaction" WHERE "direction" IN ('inbound', 'outbound', 'note') AND "text" <> ''`,
  `INSERT INTO "CaseFts" ("CaseFts") VALUES ('delete-all')`,
  `INSERT INTO "CaseFts" ("rowid", "subject") SELECT "id", "subject" FROM "Case"`,
  `INSERT INTO "ContactFts" ("ContactFts") VALUES ('delete-all')`,
  `INSERT INTO "ContactFts" ("rowid", "name", "email", "phone") SELECT "rowid", "name", "email", "phone" FROM "Contact"`,
];

/**
 * A row indexed under another rowid than its own: VACUUM renumbers the rows of tables without an integer
 * key (Interaction, Contact), and the index, keyed by rowid, would then point at other rows. Renumbering
 * closes the gaps deletions left, so some row then has a rowid the index lacks.
 */
const DRIFTED = `SELECT 1 AS "drifted" WHERE EXISTS (SELECT 1 FROM "Contact" WHERE "rowid" NOT IN (SELECT "rowid" FROM "ContactFts"))
  OR EXISTS (SELECT 1 FROM "Interaction" WHERE "direction" IN ('inbound', 'outbound', 'note') AND "text" <> '' AND "rowid" NOT IN (SELECT "rowid" FROM "InteractionFts"))`;

/** The search tables and triggers of an SQLite file, made (and filled) where missing or renumbered; returns whether it indexed afresh. */
export function restoreSqliteSearch(db: Database.Database): boolean {
  const present = new Set((db.prepare(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'table'`).all() as { name: string }[]).map((r) => r.name));
  const missing = Object.entries(TABLES).filter(([name]) => !present.has(name));
  if (missing.length > 0) db.transaction(() => missing.forEach(([, text]) => db.exec(text))).immediate();
  const stale = missing.length > 0 || db.prepare(DRIFTED).get() !== undefined;
  return restoreSqliteTriggerSet(db, SEARCH_TRIGGERS, REINDEX, stale).length > 0 || stale;
}

/**
 * The words of a search as the engines' full-text queries: SQLite's FTS5 (each word quoted, the last a
 * prefix, so a search finds as the agent types) and PostgreSQL's tsquery (`a & b:*`). Only letters and
 * digits are kept, so nothing typed is read as query syntax; null when there is no word.
 */
export function searchTerms(text: string): { fts5: string; tsquery: string } | null {
  // letters with their combining marks (Devanagari, Thai, …) and digits; anything else only separates
  const words = (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).slice(0, 8);
  if (words.length === 0) return null;
  const last = words.length - 1;
  return {
    fts5: words.map((w, i) => `"${w}"${i === last ? '*' : ''}`).join(' '),
    tsquery: words.map((w, i) => `${w}${i === last ? ':*' : ''}`).join(' & '),
  };
}
