import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL server the suite runs against when `TEST_DATABASE_URL` is set (a URL whose user may
 * create databases; `npm run test:pg` starts a throwaway one), or undefined: the embedded SQLite default.
 */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL || undefined;

/**
 * The database of a test's data folder: SQLite's file in it, or on PostgreSQL a database of its own named
 * after the folder, created on first use, so that a restart on the same folder finds the same data.
 */
export async function testDatabaseUrl(dataDir: string): Promise<string> {
  if (!TEST_POSTGRES_URL) return `file:${path.join(dataDir, 'switchboard.db')}`;
  const name = `sb_${crypto.createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 24)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE "${name}"`).catch(ignoreDuplicate);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What the app under test is told about its database: nothing on SQLite (the default file), the URL on PostgreSQL. */
export async function testDatabaseEnv(dataDir: string): Promise<Record<string, string>> {
  return TEST_POSTGRES_URL ? { DATABASE_URL: await testDatabaseUrl(dataDir) } : {};
}

function ignoreDuplicate(err: unknown): void {
  // another test process created it meanwhile
  if ((err as { code?: string }).code !== '42P04') throw err;
}
