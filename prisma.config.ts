import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// Prisma's CLI (generate, migrate diff/deploy/status) runs offline with the JS engine and this adapter.
const url = process.env.DATABASE_URL ?? `file:${path.resolve(process.env.DATA_DIR ?? './data', 'switchboard.db')}`;

export default defineConfig({
  schema: path.join('store', 'schema.prisma'),
  migrations: { path: path.join('store', 'migrations', 'sqlite') },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
