/**
 * The Slack Web API calls Switchboard makes, behind a narrow interface, and how their failures map to
 * SendError (retryable or not). SLACK_API_URL points the client elsewhere (a local server in tests).
 */
import { webApi } from '@slack/bolt';
import { SendError } from '../channel.types.ts';
import type { BoltLogger } from './bolt-logger.ts';

export interface SlackIdentity {
  userId: string;
  botId?: string;
  teamId?: string;
}

export interface SlackProfile {
  id: string;
  name?: string;
  email?: string;
  isBot: boolean;
  deleted: boolean;
}

export interface PostArgs {
  channel: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** a thread reply also shown in the channel (reply_broadcast) */
  replyBroadcast?: boolean;
}

export interface SlackApi {
  authTest(): Promise<SlackIdentity>;
  postMessage(args: PostArgs): Promise<{ channel: string; ts: string }>;
  update(args: { channel: string; ts: string; text: string; blocks?: unknown[] }): Promise<void>;
  postEphemeral(args: { channel: string; user: string; text: string; threadTs?: string }): Promise<void>;
  userInfo(userId: string): Promise<SlackProfile>;
  /** shares files in a conversation (in a thread), `text` as the message they come with; answers the files' ids */
  uploadFiles(args: { channel: string; threadTs?: string; text: string; files: Array<{ name: string; data: Buffer }> }): Promise<string[]>;
}

export interface SlackApiOptions {
  botToken: string;
  apiUrl?: string;
  timeoutMs: number;
  logger: BoltLogger;
}

/** The Web API client options shared by our client, bolt's and the Socket Mode client. */
export function webClientOptions(o: Pick<SlackApiOptions, 'apiUrl' | 'timeoutMs' | 'logger'>) {
  return {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    timeout: o.timeoutMs,
    logger: o.logger,
    // the outbox retries sends with its own backoff; a short retry here only smooths over blips
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 200 },
    rejectRateLimitedCalls: true,
  };
}

export function createSlackApi(o: SlackApiOptions): SlackApi {
  const client = new webApi.WebClient(o.botToken, webClientOptions(o));
  return {
    async authTest() {
      const r = await client.auth.test();
      if (!r.user_id) throw new Error('auth.test returned no user_id');
      return { userId: r.user_id, botId: r.bot_id, teamId: r.team_id };
    },
    async postMessage(a) {
      const r = await client.chat.postMessage({
        channel: a.channel,
        text: a.text,
        ...(a.blocks ? { blocks: a.blocks as never } : {}),
        ...(a.threadTs ? { thread_ts: a.threadTs } : {}),
        ...(a.threadTs && a.replyBroadcast ? { reply_broadcast: true } : {}),
        unfurl_links: false,
        unfurl_media: false,
        // the client's argument type is a union of exclusive shapes that a spread of optional parts does not narrow to
      } as Parameters<typeof client.chat.postMessage>[0]);
      if (!r.ts) throw new Error('chat.postMessage returned no ts');
      return { channel: r.channel ?? a.channel, ts: r.ts };
    },
    async update(a) {
      await client.chat.update({ channel: a.channel, ts: a.ts, text: a.text, ...(a.blocks ? { blocks: a.blocks as never } : {}) });
    },
    async postEphemeral(a) {
      await client.chat.postEphemeral({ channel: a.channel, user: a.user, text: a.text, ...(a.threadTs ? { thread_ts: a.threadTs } : {}) });
    },
    async uploadFiles(a) {
      // Slack's three steps (an upload URL per file, the bytes, one completion sharing them all with the text)
      const r = await client.filesUploadV2({
        channel_id: a.channel,
        ...(a.threadTs ? { thread_ts: a.threadTs } : {}),
        ...(a.text ? { initial_comment: a.text } : {}),
        file_uploads: a.files.map((f) => ({ file: f.data, filename: f.name })),
      } as Parameters<typeof client.filesUploadV2>[0]);
      return (r.files as Array<{ files?: Array<{ id?: string }> }>).flatMap((c) => c.files ?? []).map((f) => f.id ?? '');
    },
    async userInfo(userId) {
      const r = await client.users.info({ user: userId });
      const u = r.user;
      if (!u?.id) throw new Error('users.info returned no user');
      return {
        id: u.id,
        name: u.profile?.real_name || u.real_name || u.profile?.display_name || u.name || undefined,
        email: u.profile?.email || undefined,
        isBot: Boolean(u.is_bot) || u.id === 'USLACKBOT',
        deleted: Boolean(u.deleted),
      };
    },
  };
}

/** Platform errors that a later attempt can fix; every other `{ok:false}` answer is final. */
const RETRYABLE_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** A Web API failure as a SendError: network trouble, 5xx and rate limits are retried; Slack's refusals are not. */
export function toSendError(err: unknown): SendError {
  // already sorted (a file that is gone, say): kept as it is
  if (err instanceof SendError) return err;
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number; original?: Error; message?: string };
  switch (e.code) {
    case webApi.ErrorCode.PlatformError: {
      const reason = e.data?.error ?? 'unknown_error';
      return new SendError(`Slack refused: ${reason}`, RETRYABLE_PLATFORM_ERRORS.has(reason), `SLACK_${reason.toUpperCase()}`);
    }
    case webApi.ErrorCode.RateLimitedError:
      return new SendError(`Slack rate limit, retry after ${e.retryAfter ?? '?'} s`, true, 'SLACK_RATELIMITED');
    case webApi.ErrorCode.HTTPError:
      return new SendError(`Slack answered HTTP ${e.statusCode}`, (e.statusCode ?? 500) >= 500 || e.statusCode === 429, `SLACK_HTTP_${e.statusCode}`);
    case webApi.ErrorCode.RequestError:
      return new SendError(`Slack unreachable: ${e.original?.message ?? e.message}`, true, 'SLACK_UNREACHABLE');
    default:
      return new SendError(e.message ?? String(err), true, 'SLACK_ERROR');
  }
}

/** One line naming a Web API failure, for logs. */
export function describeSlackError(err: unknown): string {
  const s = toSendError(err);
  return `${s.code}: ${s.message}`;
}
