/**
 * Writes the next migration of each engine from the difference between its migrations and schema.prisma.
 *   npm run db:diff -- <name>
 * `prisma migrate dev` needs a network engine here, and `migrate diff` refuses shadow databases and URLs
 * when a driver adapter is configured, so the current state is rebuilt instead and diffed as a datamodel.
 * SQLite uses a scratch file. PostgreSQL diffs from the schema of its last migration (kept as
 * store/migrations/postgres/schema.prisma) and needs a server to reach: SHADOW_DATABASE_URL=postgres://…;
 * without it only the SQLite migration is written.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applySqliteMigrations } from '../migrate.ts';
import { postgresSchema } from './postgres-schema.ts';

const name = (process.argv[2] ?? 'change').replace(/[^a-z0-9_]+/gi, '_');
const root = path.resolve('store/migrations');
const prisma = path.resolve('node_modules/.bin/prisma');
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-mig-'));

function migrationNames(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql'))).sort() : [];
}

/** `migrate diff` from the introspected current state (or nothing) to `schemaFile`, with the given Prisma config. */
function diff(config: string, env: NodeJS.ProcessEnv, current: string | null, schemaFile: string): string {
  let from = ['--from-empty'];
  if (current !== null) {
    const currentFile = path.join(scratchDir, `current-${path.basename(schemaFile)}`);
    // `db pull --print` may prefix notes before the schema; the schema starts at its first generator block
    fs.writeFileSync(currentFile, current.slice(Math.max(0, current.search(/^generator /m))));
    from = ['--from-schema-datamodel', currentFile];
  }
  return execFileSync(prisma, ['migrate', 'diff', '--config', config, ...from, '--to-schema-datamodel', schemaFile, '--script'], { env, encoding: 'utf8' });
}

function write(engine: string, provider: string, sql: string): boolean {
  const dir = path.join(root, engine);
  if (!sql.trim() || /This is an empty migration/.test(sql)) {
    console.log(`${engine}: schema.prisma matches the migrations, nothing to write`);
    return false;
  }
  const target = path.join(dir, `${stamp}_${name}`);
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(target, 'migration.sql'), sql);
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), `provider = "${provider}"\n`);
  console.log(`${engine}: wrote ${path.relative(process.cwd(), target)}/migration.sql`);
  return true;
}

function sqlite(): void {
  const dir = path.join(root, 'sqlite');
  const scratch = path.join(scratchDir, 'scratch.db');
  const env = { ...process.env, DATABASE_URL: `file:${scratch}` };
  let current: string | null = null;
  if (migrationNames(dir).length) {
    applySqliteMigrations(scratch, dir);
    current = execFileSync(prisma, ['db', 'pull', '--print'], { env, encoding: 'utf8' });
  }
  write('sqlite', 'sqlite', diff('prisma.config.ts', env, current, 'store/schema.prisma'));
}

/**
 * PostgreSQL's current state is the schema its last migration was written from, kept beside its migrations
 * (introspecting a database with `db pull` through the pg adapter fails on PostgreSQL 15's catalogs here).
 */
async function postgres(url: string): Promise<void> {
  const dir = path.join(root, 'postgres');
  const snapshot = path.join(dir, 'schema.prisma');
  const schemaFile = path.join(scratchDir, 'postgres.prisma');
  const target = postgresSchema(fs.readFileSync('store/schema.prisma', 'utf8'));
  fs.writeFileSync(schemaFile, target);
  const config = path.resolve(`prisma.postgres-${process.pid}.config.ts`);
  // the diff is computed offline, but the adapter must reach a server to start
  fs.writeFileSync(
    config,
    `import { defineConfig } from 'prisma/config';\nimport { PrismaPg } from '@prisma/adapter-pg';\n` +
      `export default defineConfig({ schema: ${JSON.stringify(schemaFile)}, engine: 'js', experimental: { adapter: true }, adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(url)} }) });\n`,
  );
  try {
    const current = fs.existsSync(snapshot) ? fs.readFileSync(snapshot, 'utf8') : null;
    if (write('postgres', 'postgresql', diff(config, { ...process.env, DATABASE_URL: url }, current, schemaFile))) fs.writeFileSync(snapshot, target);
  } finally {
    fs.rmSync(config, { force: true });
  }
}

try {
  sqlite();
  const shadow = process.env.SHADOW_DATABASE_URL;
  if (shadow) await postgres(shadow);
  else console.log('postgres: SHADOW_DATABASE_URL is not set (an empty scratch PostgreSQL database); its migration was not written');
} finally {
  fs.rmSync(scratchDir, { recursive: true, force: true });
}
