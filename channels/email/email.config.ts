/** The email channel's settings, read once from the environment by `emailConfigFromEnv`. */
import { SettingError } from '../setting-error.ts';
import path from 'node:path';
import { MIN_SECRET_CHARS } from './case-tag.ts';

export interface EmailConfig {
  /** inbound SMTP port; 0 turns the listener off */
  smtpPort: number;
  smtpHost: string;
  /** lower-cased support addresses; mail to any of them (or their plus addresses) is ours */
  supportAddresses: string[];
  /** the first support address: the From of every reply */
  fromAddress: string;
  /** domain of `fromAddress`; our Message-IDs are `<CS0001001.random@domain>` */
  messageIdDomain: string;
  /** outbound SMTP URL; unset = write .eml files to `outboxDir` */
  smtpUrl?: string;
  webhookToken?: string;
  /** largest accepted raw message (SMTP SIZE and webhook body limit) */
  maxBytes: number;
  /** outbound sends per second */
  ratePerSecond: number;
  /** largest attachment stored on disk; bigger ones keep their metadata only */
  maxAttachmentBytes: number;
  /** more MIME parts than this are refused before parsing */
  maxParts: number;
  /** a parse that takes longer is abandoned (its worker is killed) */
  parseTimeoutMs: number;
  /** HTML longer than this is not converted to text */
  maxHtmlLength: number;
  /** parser worker threads */
  parseWorkers: number;
  /** SMTP connections served at once (each may hold up to maxBytes in memory); more are turned away with 421 */
  maxConnections: number;
  /** SMTP connections served at once from one client address, so one client cannot take them all */
  maxConnectionsPerAddress: number;
  /** an SMTP client silent this long (before a command, or within DATA) is dropped with 421 */
  idleTimeoutMs: number;
  /** an SMTP connection is closed with 421 this long after it opened, so a sender trickling bytes cannot keep it */
  maxConnectionMs: number;
  /** key for the tags that make our plus addresses and Message-IDs unforgeable (EMAIL_THREAD_SECRET) */
  threadSecret?: string;
  /** where a generated key is kept when EMAIL_THREAD_SECRET is not set */
  threadSecretFile: string;
  /** DATA_DIR: made private at start, with the folders below */
  dataDir: string;
  attachmentsDir: string;
  outboxDir: string;
}

const MB = 1024 * 1024;

export function emailConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): EmailConfig {
  const supportAddresses = (env.SUPPORT_EMAIL ?? 'support@switchboard.local')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  const fromAddress = supportAddresses[0];
  // no "+" in the mailbox: we derive plus addresses (support+CS0001001.tag@…) from it
  if (!fromAddress || !supportAddresses.every((a) => /^[^@\s+]+@[^@\s]+$/u.test(a))) {
    throw new SettingError('SUPPORT_EMAIL', `SUPPORT_EMAIL must be one or more email addresses without "+", got "${env.SUPPORT_EMAIL ?? ''}"`);
  }
  const maxBytes = intFromEnv(env, 'EMAIL_MAX_BYTES', 25 * MB, 1024);
  const maxConnections = intFromEnv(env, 'SMTP_MAX_CONNECTIONS', 50, 1, 10_000);
  const threadSecret = env.EMAIL_THREAD_SECRET?.trim() || undefined;
  if (threadSecret !== undefined && threadSecret.length < MIN_SECRET_CHARS) throw new SettingError('EMAIL_THREAD_SECRET', `EMAIL_THREAD_SECRET must be at least ${MIN_SECRET_CHARS} characters`);
  return {
    smtpPort: intFromEnv(env, 'SMTP_PORT', 2525, 0, 65535),
    smtpHost: env.SMTP_HOST?.trim() || '127.0.0.1',
    supportAddresses,
    fromAddress,
    messageIdDomain: fromAddress.split('@')[1]!,
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    webhookToken: env.EMAIL_WEBHOOK_TOKEN?.trim() || undefined,
    maxBytes,
    ratePerSecond: intFromEnv(env, 'EMAIL_RATE_PER_SECOND', 5, 1),
    maxAttachmentBytes: Math.min(maxBytes, 10 * MB),
    maxParts: 500,
    parseTimeoutMs: 10_000,
    maxHtmlLength: 2 * MB,
    parseWorkers: 2,
    maxConnections,
    maxConnectionsPerAddress: intFromEnv(env, 'SMTP_MAX_CONNECTIONS_PER_ADDRESS', Math.min(10, maxConnections), 1, maxConnections),
    idleTimeoutMs: intFromEnv(env, 'SMTP_IDLE_TIMEOUT_MS', 30_000, 100),
    maxConnectionMs: intFromEnv(env, 'SMTP_MAX_CONNECTION_MS', 10 * 60_000, 100),
    threadSecret,
    threadSecretFile: path.join(dataDir, 'email-thread.key'),
    dataDir,
    attachmentsDir: path.join(dataDir, 'attachments'),
    outboxDir: path.join(dataDir, 'outbox'),
  };
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(name, `${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}
