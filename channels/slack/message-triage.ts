/**
 * What a Slack `message` event is to us, decided from the event alone: a person's message (which may
 * become an agent reply or a customer message once the thread and the sender are looked up), an edit,
 * a deletion, or something ignored — with the reason, so every ignored event can be logged. Pure.
 */

export interface SlackFile {
  name: string;
  contentType: string;
  size: number;
  url?: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  /** the thread this message replies in; absent for a top-level message */
  threadTs?: string;
  user: string;
  /** Slack's text, entities and escapes still in */
  text: string;
  files: SlackFile[];
  /** a DM to the app, a configured customer (Slack Connect) channel, or anything else */
  conversation: 'im' | 'customer_channel' | 'other';
  /** a thread reply also sent to the channel */
  broadcast: boolean;
  team?: string;
  /** who wrote the message this one replies to (Slack's parent_user_id) */
  parentUser?: string;
}

export type Triage =
  | { kind: 'message'; msg: SlackMessage }
  | { kind: 'edit'; channel: string; ts: string; threadTs?: string; user?: string }
  | { kind: 'delete'; channel: string; ts: string }
  | { kind: 'ignore'; reason: string };

export interface TriageContext {
  customerChannels: ReadonlySet<string>;
  /** our own bot user, when known */
  botUserId?: string;
}

/** Subtypes that carry something a person wrote; every other subtype is a notice (join, topic, pin…). */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Any bot, ours included: a bot_id, the bot_message subtype, Slackbot, or our own user. */
function fromBot(m: Record<string, unknown>, ctx: TriageContext): boolean {
  return Boolean(m.bot_id) || m.subtype === 'bot_message' || m.user === 'USLACKBOT' || (ctx.botUserId !== undefined && m.user === ctx.botUserId);
}

export function triageMessage(event: unknown, ctx: TriageContext): Triage {
  if (!isRecord(event) || event.type !== 'message') return { kind: 'ignore', reason: 'not a message event' };
  const subtype = str(event.subtype);
  const channel = str(event.channel);
  if (!channel) return { kind: 'ignore', reason: 'message without a channel' };

  if (subtype === 'message_changed') {
    const inner = isRecord(event.message) ? event.message : {};
    if (fromBot(inner, ctx)) return { kind: 'ignore', reason: 'edit of a bot message (our card updates land here)' };
    const ts = str(inner.ts);
    if (!ts) return { kind: 'ignore', reason: 'edit without the edited message' };
    return { kind: 'edit', channel, ts, threadTs: str(inner.thread_ts), user: str(inner.user) ?? str(isRecord(inner.edited) ? inner.edited.user : undefined) };
  }
  if (subtype === 'message_deleted') {
    const ts = str(event.deleted_ts) ?? str(isRecord(event.previous_message) ? event.previous_message.ts : undefined);
    return ts ? { kind: 'delete', channel, ts } : { kind: 'ignore', reason: 'deletion without the deleted ts' };
  }
  if (fromBot(event, ctx)) return { kind: 'ignore', reason: 'message from a bot (no loops)' };
  if (!PERSON_SUBTYPES.has(subtype)) return { kind: 'ignore', reason: `message subtype ${subtype}` };

  const user = str(event.user);
  const ts = str(event.ts);
  if (!user || !ts) return { kind: 'ignore', reason: 'message without user or ts' };
  const text = typeof event.text === 'string' ? event.text : '';
  const files = Array.isArray(event.files) ? event.files.filter(isRecord).map(fileOf) : [];
  if (!text.trim() && files.length === 0) return { kind: 'ignore', reason: 'empty message' };

  const threadTs = str(event.thread_ts);
  const channelType = str(event.channel_type);
  const conversation = channelType === 'im' || (!channelType && channel.startsWith('D')) ? 'im' : ctx.customerChannels.has(channel) ? 'customer_channel' : 'other';
  return {
    kind: 'message',
    msg: {
      channel,
      ts,
      ...(threadTs && threadTs !== ts ? { threadTs } : {}),
      user,
      text,
      files,
      conversation,
      broadcast: subtype === 'thread_broadcast',
      team: str(event.team) ?? str(event.user_team),
      ...(threadTs && threadTs !== ts && str(event.parent_user_id) ? { parentUser: str(event.parent_user_id) } : {}),
    },
  };
}

function fileOf(f: Record<string, unknown>): SlackFile {
  return {
    name: str(f.name) ?? str(f.title) ?? str(f.id) ?? 'file',
    contentType: str(f.mimetype) ?? 'application/octet-stream',
    size: typeof f.size === 'number' && f.size >= 0 ? f.size : 0,
    url: str(f.url_private),
  };
}
