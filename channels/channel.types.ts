/**
 * The channel-neutral shapes every adapter speaks. Nothing provider-specific may appear here:
 * adapters translate their provider's payloads into these and back.
 */
import type { FastifyInstance, FastifyBaseLogger } from 'fastify';

export const CHANNEL_NAMES = ['chat', 'email', 'sms', 'slack'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** What kind of inbound this is; anything but `message` never opens a case or gets an automatic answer. */
export type InboundKind =
  | 'message'
  | 'auto_reply' // vacation notices, Auto-Submitted, other bots
  | 'bounce' // DSNs, mailer-daemon
  | 'opt_out' // SMS STOP family
  | 'opt_in' // SMS START / UNSTOP
  | 'help'; // SMS HELP

export interface AttachmentMeta {
  name: string;
  contentType: string;
  size: number;
  sha256?: string;
  /** where the content can be fetched (provider URL) or where we stored it (path under DATA_DIR) */
  url?: string;
  storedPath?: string;
}

export interface Sender {
  /** the channel address replies go to: email address, E.164 number, chat session id, Slack user id */
  address: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** Hints the adapter extracted for threading; routing/thread decides what they mean. */
export interface ThreadHints {
  /** a case number proven to be ours: plus address, one of our Message-IDs. Trusted. */
  trustedCaseNumber?: string;
  /** a case number merely written by the sender (subject token). Trusted only for the case's contact or account. */
  claimedCaseNumber?: string;
  /** ids of earlier messages this one answers (In-Reply-To, References), newest last */
  references?: string[];
  /** an exact conversation this message belongs to: a chat session, a Slack thread */
  conversationKey?: string;
  /** thread this channel's follow-ups by contact (SMS does: a number has no other thread) */
  byContact?: boolean;
}

export interface InboundMessage {
  channel: ChannelName;
  /** the provider's id; (channel, externalId) is stored once, which makes provider retries harmless */
  externalId: string;
  kind: InboundKind;
  from: Sender;
  to?: string;
  subject?: string;
  /** the new text: quoted history and signatures stripped */
  text: string;
  /** the whole body, when `text` is only part of it */
  fullText?: string;
  html?: string;
  attachments?: AttachmentMeta[];
  /** this message's own RFC 5322 Message-ID (email), so later replies can refer to it */
  messageId?: string;
  thread: ThreadHints;
  receivedAt?: Date;
  /** channel-specific details kept on the interaction as JSON (never interpreted outside the adapter) */
  meta?: Record<string, unknown>;
  /** for bounces: the message id / provider id of the outbound message that failed, and why */
  failedOutbound?: { messageId?: string; externalId?: string; reason: string };
}

export interface IngestResult {
  interactionId: string;
  duplicate: boolean;
}

/** A file an agent sent with an answer. */
export interface OutboundAttachment {
  name: string;
  contentType: string;
  size: number;
  /** the stored content, for channels that carry the file itself (email, Slack) */
  path: string;
  /** a link anyone holding it can open until it lapses, for channels that carry links (chat, SMS/MMS) */
  url: string;
}

/** An answer on its way to a customer, built by the outbox from the case and its history. */
export interface OutboundMessage {
  interactionId: string;
  channel: ChannelName;
  caseNumber: string;
  to: Sender;
  subject: string;
  text: string;
  /** Message-IDs of the case's messages on this channel, oldest first (email threading) */
  references: string[];
  /** the newest inbound message on this channel, to answer (email In-Reply-To) */
  inReplyTo?: string;
  conversationKey?: string;
  /** meta of the newest inbound interaction on this channel (adapter's own data, e.g. Slack channel/thread) */
  replyContext?: Record<string, unknown>;
  attempt: number;
  agentName?: string;
  /**
   * `auto_reply` for an automatic acknowledgement (no person wrote it), so adapters can mark it as such;
   * `notice` for an internal notice about a case to a team address (email only): no part of the customer's thread
   */
  kind?: 'message' | 'auto_reply' | 'notice';
  /** files sent with the answer, in the order the agent added them */
  attachments?: OutboundAttachment[];
  /**
   * The outbox's last check: the adapter calls it at the last moment before handing the message to the
   * provider, after any wait of its own (pacing), and lets what it throws propagate. It throws when the
   * message must not leave now: the recipient opted out meanwhile, the outbox is stopping, or another
   * worker took the entry over.
   */
  confirmSend?: () => Promise<void>;
  /**
   * Set when an earlier attempt may have reached the provider without its answer being recorded (the worker
   * sending it died): an adapter whose provider can be asked looks for the message sent since this moment
   * and reports it instead of sending it again.
   */
  mayBeSentSince?: Date;
  /** With `mayBeSentSince`: whether a provider id found there is recorded on another answer already (so it is not this one's). */
  recordedElsewhere?: (externalId: string) => Promise<boolean>;
}

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

export interface SendResult {
  status: Extract<DeliveryStatus, 'sent' | 'delivered' | 'queued'>;
  /** the provider's id for this send, for status callbacks and bounce matching */
  externalId?: string;
  /** the RFC 5322 Message-ID we gave the message (email) */
  messageId?: string;
}

/**
 * The send-error code the gateway itself acts on: the provider says the recipient opted out (e.g. a STOP
 * sent to the carrier), so nothing more is sent to that address on that channel.
 */
export const RECIPIENT_OPTED_OUT = 'RECIPIENT_OPTED_OUT';

/** Thrown by `send`: `retryable` errors go back to the outbox with backoff, others fail at once. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** What the gateway lends a channel. Channels never touch the store or the case logic directly. */
export interface ChannelContext {
  log: FastifyBaseLogger;
  /** store the message durably (once per externalId), queue it for processing, and return */
  ingest(msg: InboundMessage): Promise<IngestResult>;
  /** a provider's report on one of our sends (status callback, bounce) */
  updateDelivery(update: DeliveryUpdate): Promise<boolean>;
  /** true once for a given provider event id; false for retries of one already seen */
  firstSeen(eventId: string): Promise<boolean>;
  /** the gateway's clock: every time a channel stamps comes from it */
  now(): Date;
  /** the other gateway instances on the same database, if any */
  peers: ChannelPeers;
}

/**
 * For a channel whose customers hold a connection to one instance (web chat): an answer sent by an
 * instance without that connection is handed to the instance that has it.
 */
export interface ChannelPeers {
  /** asks the other instances to hand the answer over; false when this instance is alone */
  relayAnswer(channel: ChannelName, conversationKey: string, interactionId: string): boolean;
  /** answers the other instances could not hand over themselves */
  onRelayedAnswer(channel: ChannelName, listener: (conversationKey: string, interactionId: string) => void): () => void;
  /** turns to send, booked where every instance sees them (provider limits are per account, not per process); null when alone */
  turns: SendTurns | null;
}

export interface SendTurns {
  /**
   * Books a send: the first moment (epoch ms, the gateway's clock; now at the earliest) at which every slot's
   * sender is free, each slot's next turn then `gapMs` later.
   */
  take(slots: ReadonlyArray<{ key: string; gapMs: number }>): Promise<number>;
}

export interface DeliveryUpdate {
  channel: ChannelName;
  /** our own id of the message, when the provider echoes it back (it may report before its send call returned) */
  interactionId?: string;
  externalId?: string;
  messageId?: string;
  status: DeliveryStatus;
  error?: string;
}

export interface ChannelPlugin {
  name: ChannelName;
  /** false when credentials are missing; `disabledReason` is logged once at start */
  enabled: boolean;
  disabledReason?: string;
  /** register webhook routes on the gateway's Fastify instance */
  routes?(app: FastifyInstance): Promise<void> | void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  send(msg: OutboundMessage): Promise<SendResult>;
  /**
   * The pace a channel that rate-limits itself sends at. The outbox then keeps only a few of its sends in
   * hand (see `sendsInHand`), so its queue stays in the outbox and a send waiting for the limiter does not
   * hold the slots other channels need.
   */
  sendsPerSecond?: number;
  /** customers' open connections to this channel (chat sockets), for the metrics */
  connections?(): number;
  /** the listener the channel keeps open (SMTP, Slack's Socket Mode), for the readiness check; absent or undefined when it keeps none */
  readiness?(): ChannelReadiness | undefined;
}

export interface ChannelReadiness {
  /** the check's name in the readiness report, e.g. `smtp` */
  check: string;
  ready: boolean;
  /** why not, in a few fixed words (no addresses, no secrets) */
  reason?: string;
}

/** What an admin needs to set a channel up: settings still missing, the URLs to give the provider, what it serves. */
export interface ChannelSetup {
  /** settings (environment variables) the channel still needs */
  missing: string[];
  /** URLs to paste into the provider's console, each with where it goes */
  webhooks: Array<{ label: string; url: string }>;
  /** the addresses, numbers or channels it serves */
  addresses: string[];
  /** anything else worth knowing about how it runs */
  notes: string[];
  /** where a test message through the channel may go, and how it is addressed; absent: the channel has no address to test */
  test?: ChannelTestTarget;
}

/** A test message's recipient, as one channel takes it. */
export interface ChannelTestTarget {
  /** what `to` must be, for people ("an email address") */
  what: string;
  pattern: RegExp;
  /** the recipient and the channel's own addressing of a test to `to` */
  address(to: string): Pick<OutboundMessage, 'to' | 'kind' | 'replyContext'>;
}
