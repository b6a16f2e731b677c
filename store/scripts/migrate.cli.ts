/**
 * `npm run db:migrate` applies the pending migrations; `npm run db:status` lists applied and pending ones.
 * The database is the gateway's: DATABASE_URL (postgres://… or file:…), else ./data/switchboard.db (DATA_DIR).
 * The gateway also migrates at every start; this is for upgrading before starting new instances.
 */
import path from 'node:path';
import pg from 'pg';
import { isPostgresUrl } from '../db.ts';
import { applyPostgresMigrations, applySqliteMigrations, preparePostgres, prepareSqlite, type MigrationStatus } from '../migrate.ts';
import { preparePrivateDatabaseFile } from '../file-modes.ts';

const [command] = process.argv.slice(2);
if (command !== 'migrate' && command !== 'status') {
  console.error('usage: migrate.cli.ts migrate|status');
  process.exit(2);
}
const url = process.env.DATABASE_URL || `file:${path.resolve(process.env.DATA_DIR || './data', 'switchboard.db')}`;
const statusOnly = command === 'status';

async function run(): Promise<MigrationStatus> {
  if (isPostgresUrl(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return statusOnly ? await applyPostgresMigrations(client, undefined, true) : await preparePostgres(client);
    } finally {
      await client.end();
    }
  }
  const file = url.replace(/^file:/, '');
  preparePrivateDatabaseFile(file);
  return statusOnly ? applySqliteMigrations(file, undefined, true) : prepareSqlite(file);
}

const where = isPostgresUrl(url) ? `PostgreSQL at ${new URL(url).host}${new URL(url).pathname}` : `SQLite at ${url.replace(/^file:/, '')}`;
run().then(
  (s) => {
    console.log(`${where}: ${s.applied.length} migration(s) applied before`);
    for (const name of s.pending) console.log(`${statusOnly ? 'pending' : 'applied now'}: ${name}`);
    if (!s.pending.length) console.log('the database is up to date');
    // like `prisma migrate status`: a status with migrations pending exits non-zero
    process.exitCode = statusOnly && s.pending.length ? 1 : 0;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
