/**
 * Writes the next migration from the difference between the applied migrations and schema.prisma.
 * `prisma migrate dev` needs a network engine here, and `migrate diff` refuses shadow databases and URLs
 * when a driver adapter is configured, so the current state is rebuilt offline instead: the existing
 * migrations are applied to a scratch database, introspected with `db pull`, and diffed as datamodels.
 *   npm run db:diff -- <name>
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../migrate.ts';

const name = (process.argv[2] ?? 'change').replace(/[^a-z0-9_]+/gi, '_');
const dir = path.resolve('store/migrations');
const existing = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort();
const prisma = path.resolve('node_modules/.bin/prisma');

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-mig-'));
const scratch = path.join(scratchDir, 'scratch.db');
const env = { ...process.env, DATABASE_URL: `file:${scratch}` };
let from = ['--from-empty'];
if (existing.length) {
  applyMigrations(scratch, dir);
  const current = execFileSync(prisma, ['db', 'pull', '--print'], { env, encoding: 'utf8' });
  const currentFile = path.join(scratchDir, 'current.prisma');
  // `db pull --print` may prefix notes before the schema; the schema starts at its generator block
  fs.writeFileSync(currentFile, current.slice(current.indexOf('generator ')));
  from = ['--from-schema-datamodel', currentFile];
}
const args = ['migrate', 'diff', ...from, '--to-schema-datamodel', 'store/schema.prisma', '--script'];
const sql = execFileSync(prisma, args, { env, encoding: 'utf8' });
fs.rmSync(scratchDir, { recursive: true, force: true });
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
