import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // several instances sharing events need PostgreSQL: those run under `npm run test:pg` (vitest.pg.config.ts)
    exclude: [...configDefaults.exclude, 'tests/postgres/**'],
    pool: 'forks',
    // the workspace the console routes serve, built once when its sources changed
    globalSetup: ['tests/support/build-web.setup.ts'],
    testTimeout: 30_000,
    // what a test waits for (a live update, an offer) may take seconds on a busy two-core machine
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
