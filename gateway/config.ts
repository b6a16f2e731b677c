import { DateTime } from 'luxon';
import path from 'node:path';
import type { LogFormat } from './logging.ts';
import { SettingError } from '../channels/setting-error.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** PostgreSQL: connections each instance keeps for reads (its writer has one more) */
  databasePoolSize: number;
  publicUrl: string;
  adminToken?: string;
  logLevel: string;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses (never "trust everyone") */
  trustProxy: false | number | string;
  /** JSON lines, or readable lines for a person at a terminal */
  logFormat: LogFormat;
  reopenDays: number;
  /** IANA zone of the calendar seeded on a first start */
  defaultTimeZone: string;
  continuityHours: number;
  /** at most one automatic message (acknowledgement, rule auto-reply) per recipient address within this many minutes; 0 = no limit */
  autoReplyLimitMinutes: number;
  outbox: { baseMs: number; maxMs: number; maxAttempts: number; leaseMs: number; concurrency: number };
  pipeline: { window: number; retry: { baseMs: number; maxMs: number; maxAttempts: number }; rescanMs: number };
  /** requests per minute per client address on the public endpoints */
  publicRateLimit: number;
  /** requests per minute per client address on each provider webhook */
  webhookRateLimit: number;
  /** failed authentications per minute per client address before the address is refused until the minute ends */
  authFailureLimit: number;
  chat: { messagesPerSecond: number; burst: number; historyLimit: number };
  /** web origins, besides our own, whose pages may show the chat widget in a frame */
  chatWidgetFrameAncestors: string[];
  offerTimeoutSeconds: number;
  /** the wait before a case's second round of offers, doubling for each further one */
  offerRoundBackoffSeconds: number;
  /** offers in a row an agent lets lapse before they are set away; 0: never */
  awayAfterMissedOffers: number;
  /** how often wallboards (agent streams with stats=true) get the statistics */
  statsPushSeconds: number;
  /** a full assignment pass at least this often, for changes made by another process */
  assignmentSweepMs: number;
  /** waiting cases an assignment pass reads at a time (it reads further pages while an agent has room) */
  assignmentBatch: number;
  /** people signed in to the workspace: signed out after this long unused, and after the longest session whatever the use */
  sessionIdleMinutes: number;
  sessionMaxDays: number;
  /** how long an invitation link to set a password stays usable */
  invitationHours: number;
  /** the largest file an agent may upload to send with an answer */
  uploadMaxBytes: number;
  /** how long the links to the files of an answer (chat, SMS) keep working */
  mediaLinkDays: number;
  /** how often the rules' match counts are written */
  ruleHitsFlushMs: number;
  /** sign-in attempts a minute from one address */
  signInRateLimit: number;
  /** the raw environment, for channels that read their own settings */
  env: NodeJS.ProcessEnv;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new SettingError(name, `${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new SettingError(name, `${name} must be one of ${allowed.join(', ')}, got "${env[name]}"`);
  return raw as T;
}

/** A list of web origins (`https://shop.example.com`, `https://*.example.com`), space- or comma-separated. */
function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const items = (env[name] ?? '').split(/[\s,]+/).filter(Boolean);
  return items.map((item) => {
    const url = URL.canParse(item) ? new URL(item) : null;
    // an origin only: no path, query, fragment or credentials, so the value is safe inside a policy header
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.href !== `${url.origin}/`) {
      throw new SettingError(name, `${name} must list origins such as https://shop.example.com, got "${item}"`);
    }
    return url.origin;
  });
}

export const AUTO_REPLY_LIMIT_DEFAULT_MINUTES = 60;

/**
 * TRUST_PROXY: `true` trusts the nearest proxy only (one hop), so a client cannot choose its own
 * address by sending X-Forwarded-For; a number trusts that many hops; anything else is the proxies'
 * addresses or CIDR ranges, comma separated.
 */
function trustProxyOf(env: NodeJS.ProcessEnv): false | number | string {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return 1;
  if (/^\d+$/u.test(raw)) return Number(raw);
  const list = raw.split(',').map((a) => a.trim());
  if (list.some((a) => !/^[0-9a-f.:]+(\/\d{1,3})?$/u.test(a))) {
    throw new SettingError('TRUST_PROXY', `TRUST_PROXY must be true, false, a number of proxies, or their addresses (comma separated), got "${env.TRUST_PROXY}"`);
  }
  return list.join(',');
}

/** `file:` (SQLite, the default under DATA_DIR) or `postgres://` / `postgresql://` (PostgreSQL). */
function databaseUrlOf(env: NodeJS.ProcessEnv, dataDir: string): string {
  const url = env.DATABASE_URL || `file:${path.join(dataDir, 'switchboard.db')}`;
  if (!/^(file:|postgres(ql)?:\/\/)/i.test(url)) throw new SettingError('DATABASE_URL', 'DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL (PostgreSQL)');
  return url;
}

/** The database as it may be shown in logs and on the console: a PostgreSQL URL without its password. */
export function databaseLabel(url: string): string {
  if (url.startsWith('file:')) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** DEFAULT_TIME_ZONE, or the machine's own zone. */
function timeZoneOf(env: NodeJS.ProcessEnv): string {
  const zone = env.DEFAULT_TIME_ZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  if (!DateTime.local().setZone(zone).isValid) throw new SettingError('DEFAULT_TIME_ZONE', `DEFAULT_TIME_ZONE "${zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  return zone;
}

/** Reads the configuration from the environment; every variable is optional (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, where: { terminal?: boolean } = {}): Config {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = int(env, 'PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const sync = (env.SQLITE_SYNCHRONOUS || 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') throw new SettingError('SQLITE_SYNCHRONOUS', 'SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  return {
    port,
    host,
    dataDir,
    databaseUrl: databaseUrlOf(env, dataDir),
    sqliteSynchronous: sync,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1),
    publicUrl: (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, ''),
    adminToken: env.ADMIN_TOKEN || undefined,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    trustProxy: trustProxyOf(env),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'], where.terminal ? 'pretty' : 'json'),
    reopenDays: int(env, 'REOPEN_DAYS', 7),
    defaultTimeZone: timeZoneOf(env),
    continuityHours: int(env, 'CONTINUITY_HOURS', 24),
    autoReplyLimitMinutes: int(env, 'AUTO_REPLY_LIMIT_MINUTES', AUTO_REPLY_LIMIT_DEFAULT_MINUTES),
    outbox: {
      baseMs: int(env, 'OUTBOX_RETRY_BASE_MS', 2000, 1),
      maxMs: int(env, 'OUTBOX_RETRY_MAX_MS', 300_000, 1),
      maxAttempts: int(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1),
      leaseMs: int(env, 'OUTBOX_LEASE_MS', 60_000, 100),
      concurrency: int(env, 'OUTBOX_CONCURRENCY', 8, 1),
    },
    pipeline: {
      window: int(env, 'PIPELINE_WINDOW', 1000, 1),
      retry: {
        baseMs: int(env, 'PIPELINE_RETRY_BASE_MS', 1000, 1),
        maxMs: int(env, 'PIPELINE_RETRY_MAX_MS', 300_000, 1),
        maxAttempts: int(env, 'PIPELINE_MAX_ATTEMPTS', 5, 1),
      },
      rescanMs: int(env, 'PIPELINE_RESCAN_MS', 30_000, 100),
    },
    publicRateLimit: int(env, 'PUBLIC_RATE_LIMIT', 120, 1),
    webhookRateLimit: int(env, 'WEBHOOK_RATE_LIMIT', 6000, 1),
    authFailureLimit: int(env, 'AUTH_FAILURE_LIMIT', 20, 1),
    chat: {
      messagesPerSecond: int(env, 'CHAT_MESSAGES_PER_SECOND', 5, 1),
      burst: int(env, 'CHAT_BURST', 20, 1),
      historyLimit: int(env, 'CHAT_HISTORY_LIMIT', 200, 1),
    },
    chatWidgetFrameAncestors: origins(env, 'CHAT_WIDGET_FRAME_ANCESTORS'),
    offerTimeoutSeconds: int(env, 'OFFER_TIMEOUT_SECONDS', 120, 1),
    offerRoundBackoffSeconds: int(env, 'OFFER_ROUND_BACKOFF_SECONDS', 30, 1),
    awayAfterMissedOffers: int(env, 'AWAY_AFTER_MISSED_OFFERS', 3, 0),
    statsPushSeconds: int(env, 'STATS_PUSH_SECONDS', 5, 1),
    assignmentSweepMs: int(env, 'ASSIGNMENT_SWEEP_MS', 5000, 100),
    assignmentBatch: int(env, 'ASSIGNMENT_BATCH', 500, 1),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 720, 5),
    sessionMaxDays: int(env, 'SESSION_MAX_DAYS', 14, 1),
    invitationHours: int(env, 'INVITATION_HOURS', 72, 1),
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1024),
    mediaLinkDays: int(env, 'MEDIA_LINK_DAYS', 30, 1),
    ruleHitsFlushMs: int(env, 'RULE_HITS_FLUSH_MS', 10_000, 100),
    signInRateLimit: int(env, 'SIGN_IN_RATE_LIMIT', 10, 1),
    env,
  };
}
