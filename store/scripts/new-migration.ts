/**
 * Writes the next migration from the difference between the applied migrations and schema.prisma.
 * `prisma migrate dev` needs a network engine here, so migrations are diffed offline instead:
 *   npm run db:diff -- <name>
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const name = (process.argv[2] ?? 'change').replace(/[^a-z0-9_]+/gi, '_');
const dir = path.resolve('store/migrations');
const existing = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort();
const prisma = path.resolve('node_modules/.bin/prisma');

// The current state is what the existing migrations build, applied to a scratch database.
const scratch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-mig-')), 'scratch.db');
const env = { ...process.env, DATABASE_URL: `file:${scratch}` };
const from = existing.length
  ? ['--from-migrations', dir]
  : ['--from-empty'];
const args = ['migrate', 'diff', ...from, '--to-schema-datamodel', 'store/schema.prisma', '--script'];
if (existing.length) args.push('--shadow-database-url', `file:${scratch}`);
const sql = execFileSync(prisma, args, { env, encoding: 'utf8' });
if (!sql.trim() || /This is an empty migration/.test(sql)) {
  console.log('schema.prisma matches the migrations: nothing to write');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
fs.mkdirSync(target);
fs.writeFileSync(path.join(target, 'migration.sql'), sql);
fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql`);
