import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  publicUrl: string;
  adminToken?: string;
  logLevel: string;
  reopenDays: number;
  continuityHours: number;
  outbox: { baseMs: number; maxMs: number; maxAttempts: number; leaseMs: number; concurrency: number };
  /** requests per minute per client address on the public endpoints */
  publicRateLimit: number;
  chat: { messagesPerSecond: number; burst: number; historyLimit: number };
  offerTimeoutSeconds: number;
  /** a full assignment pass at least this often, for changes made by another process */
  assignmentSweepMs: number;
  /** the raw environment, for channels that read their own settings */
  env: NodeJS.ProcessEnv;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

/** Reads the configuration from the environment; every variable is optional (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = int(env, 'PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const sync = (env.SQLITE_SYNCHRONOUS || 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  return {
    port,
    host,
    dataDir,
    databaseUrl: env.DATABASE_URL || `file:${path.join(dataDir, 'switchboard.db')}`,
    sqliteSynchronous: sync,
    publicUrl: (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, ''),
    adminToken: env.ADMIN_TOKEN || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    reopenDays: int(env, 'REOPEN_DAYS', 7),
    continuityHours: int(env, 'CONTINUITY_HOURS', 24),
    outbox: {
      baseMs: int(env, 'OUTBOX_RETRY_BASE_MS', 2000, 1),
      maxMs: int(env, 'OUTBOX_RETRY_MAX_MS', 300_000, 1),
      maxAttempts: int(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1),
      leaseMs: int(env, 'OUTBOX_LEASE_MS', 60_000, 100),
      concurrency: int(env, 'OUTBOX_CONCURRENCY', 8, 1),
    },
    publicRateLimit: int(env, 'PUBLIC_RATE_LIMIT', 120, 1),
    chat: {
      messagesPerSecond: int(env, 'CHAT_MESSAGES_PER_SECOND', 5, 1),
      burst: int(env, 'CHAT_BURST', 20, 1),
      historyLimit: int(env, 'CHAT_HISTORY_LIMIT', 200, 1),
    },
    offerTimeoutSeconds: int(env, 'OFFER_TIMEOUT_SECONDS', 120, 1),
    assignmentSweepMs: int(env, 'ASSIGNMENT_SWEEP_MS', 5000, 100),
    env,
  };
}
