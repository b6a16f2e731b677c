import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suite on PostgreSQL (`npm run test:pg`, TEST_DATABASE_URL set by scripts/throwaway-postgres.sh):
 * every test that runs on the store, and those of several instances sharing events (tests/postgres/).
 * Left out are the tests of SQLite's own file (its folder's modes, a full disk, SQLite's locks), which
 * have no PostgreSQL counterpart (nor has the making of SQLite's search tables at start), the pure ones, which touch no database, and the production build's,
 * which does not depend on the engine.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/integration/**/*.test.ts', 'tests/postgres/**/*.test.ts', 'tests/unit/store/**/*.test.ts', 'tests/unit/gateway/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'tests/integration/data-dir-modes.test.ts', 'tests/unit/store/db-write-now.test.ts', 'tests/integration/production-build.test.ts', 'tests/integration/case-search-sqlite-upgrade.test.ts'],
  },
});
