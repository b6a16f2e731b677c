/** Slack channel settings, read once from the environment. */
export interface SlackConfig {
  botToken?: string;
  signingSecret?: string;
  /** set = Socket Mode (no public URL needed); the signing secret is then not used */
  appToken?: string;
  /** Web API base override (tests, proxies), always ending in '/'; unset = Slack's own */
  apiUrl?: string;
  /** where cards of queues without their own Slack channel go; unset = those cases get no card */
  defaultChannel?: string;
  /** channels whose non-agent members are customers (Slack Connect) */
  customerChannels: string[];
  /** bytes accepted in one request to /slack/events */
  bodyLimit: number;
  /** how long a request may wait for its work before Slack gets its answer (Slack gives up after 3 s) */
  ackDeadlineMs: number;
  /** milliseconds before a Web API call is abandoned */
  requestTimeoutMs: number;
  /** values that were unusable and fell back to their default, to be logged at start */
  warnings: string[];
}

export const SLACK_DEFAULTS = {
  bodyLimit: 256 * 1024,
  ackDeadlineMs: 2_000,
  requestTimeoutMs: 10_000,
} as const;

/** Slack's own limit is 3 s; a deadline at or above it would answer too late. */
const ACK_CEILING_MS = 2_800;

export function slackConfigFromEnv(env: NodeJS.ProcessEnv): SlackConfig {
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const positive = (name: string, fallback: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0 || value > max) {
      warnings.push(`${name}=${JSON.stringify(raw)} is not a whole number in (0, ${max}]; using ${fallback}`);
      return fallback;
    }
    return value;
  };

  let apiUrl = text('SLACK_API_URL');
  if (apiUrl !== undefined) {
    if (!/^https?:\/\/[^/]/i.test(apiUrl)) {
      warnings.push(`SLACK_API_URL=${JSON.stringify(apiUrl)} is not an http(s) URL; using Slack's own API`);
      apiUrl = undefined;
    } else if (!apiUrl.endsWith('/')) {
      // the Web API client appends method names directly to the base
      apiUrl += '/';
    }
  }
  return {
    botToken: text('SLACK_BOT_TOKEN'),
    signingSecret: text('SLACK_SIGNING_SECRET'),
    appToken: text('SLACK_APP_TOKEN'),
    apiUrl,
    defaultChannel: text('SLACK_DEFAULT_CHANNEL'),
    customerChannels: (text('SLACK_CUSTOMER_CHANNELS') ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    bodyLimit: positive('SLACK_BODY_LIMIT', SLACK_DEFAULTS.bodyLimit, 10 * 1024 * 1024),
    ackDeadlineMs: positive('SLACK_ACK_DEADLINE_MS', SLACK_DEFAULTS.ackDeadlineMs, ACK_CEILING_MS),
    requestTimeoutMs: positive('SLACK_REQUEST_TIMEOUT_MS', SLACK_DEFAULTS.requestTimeoutMs, 120_000),
    warnings,
  };
}

/** Why the channel is off, or null when it can run (HTTP: bot token + signing secret; Socket Mode: bot + app token). */
export function slackDisabledReason(config: SlackConfig): string | null {
  if (!config.botToken) return 'SLACK_BOT_TOKEN is not set';
  if (config.appToken) return null;
  if (!config.signingSecret) return 'SLACK_SIGNING_SECRET is not set (or set SLACK_APP_TOKEN for Socket Mode)';
  return null;
}
