/**
 * A stand-in for Slack on 127.0.0.1: the Web API methods Switchboard calls (auth.test, chat.postMessage,
 * chat.update, chat.postEphemeral, users.info, conversations.info, apps.connections.open, the two steps of a
 * file upload and the upload URL between them), a Socket Mode
 * WebSocket, and response_url endpoints. Records every call; can delay or fail chosen methods.
 * Point the app at it with SLACK_API_URL = api.apiUrl. Also signs requests for POST /slack/events.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { json, readBody } from './fake-http.ts';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppOverrides } from '../../gateway/app.ts';
import { eventually, startApp, type TestApp } from './test-app.ts';

export interface SlackCall {
  method: string;
  /** form fields and JSON bodies alike; `blocks` and other JSON-encoded fields are decoded */
  params: Record<string, any>;
  token?: string;
  at: number;
}

export interface FakeSlackUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface FakeSlackPost {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: any[];
  /** set by chat.update: every version of the message, oldest first */
  versions: Array<{ text: string; blocks?: any[] }>;
  /** files shared with it (files.completeUploadExternal), with the bytes uploaded for each */
  files?: Array<{ id: string; name: string; bytes: Buffer }>;
}

export interface SocketEnvelope {
  type: 'events_api' | 'slash_commands' | 'interactive';
  payload: unknown;
  retryAttempt?: number;
}

export interface FakeSlackApi {
  url: string;
  /** the Web API base for SLACK_API_URL */
  apiUrl: string;
  botToken: string;
  bot: { userId: string; botId: string; teamId: string };
  calls: SlackCall[];
  users: Map<string, FakeSlackUser>;
  /** messages posted with chat.postMessage, updated in place by chat.update */
  posts: FakeSlackPost[];
  /** bodies POSTed to response_url endpoints (`responseUrl(id)`) */
  responses: Array<{ id: string; body: any }>;
  callsOf(method: string): SlackCall[];
  /** posts in a thread (not the root), oldest first */
  threadOf(channel: string, ts: string): FakeSlackPost[];
  /** resolves once `pred` holds (checked after every call), rejects after `ms` */
  waitFor<T>(pred: () => T | undefined | null | false, ms?: number, what?: string): Promise<T>;
  /** answer the next `count` calls of `method` with `{ok:false, error}` (or HTTP 429 for 'ratelimited') */
  failNext(method: string, error: string, count?: number): void;
  /** delay every answer of `method` by `ms` */
  delay(method: string, ms: number): void;
  responseUrl(id: string): string;
  socket: {
    /** envelope acks received, by envelope id */
    acks: Map<string, unknown>;
    connected(): boolean;
    waitConnected(ms?: number): Promise<void>;
    /** sends an envelope; resolves with its id */
    push(envelope: SocketEnvelope): string;
  };
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const users = new Map<string, FakeSlackUser>();
  const posts: FakeSlackPost[] = [];
  const uploads = new Map<string, { name: string; length: number; bytes?: Buffer }>();
  let fileCounter = 0;
  const responses: Array<{ id: string; body: any }> = [];
  const failures = new Map<string, string[]>();
  const delays = new Map<string, number>();
  const waiters = new Set<() => void>();
  const bot = { userId: 'UBOTSWITCH', botId: 'BBOTSWITCH', teamId: 'TFAKETEAM' };
  const botToken = 'xoxb-fake-token';
  let tsCounter = 0;
  let envelopeCounter = 0;
  const acks = new Map<string, unknown>();
  let socket: WebSocket | null = null;
  const notify = () => [...waiters].forEach((w) => w());

  const nextTs = () => {
    tsCounter += 1;
    return `${1_700_000_000 + tsCounter}.${String(tsCounter).padStart(6, '0')}`;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, sock, head) => {
    if (!req.url?.startsWith('/socket')) return sock.destroy();
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        try {
          const msg = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id) acks.set(msg.envelope_id, msg.payload ?? {});
        } catch {
          // not an ack
        }
        notify();
      });
      ws.on('close', () => {
        if (socket === ws) socket = null;
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'AFAKEAPP' }, debug_info: { host: 'fake' } }));
      notify();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    // a file's bytes, sent to the upload_url files.getUploadURLExternal gave
    if (url.pathname.startsWith('/upload/')) {
      const upload = uploads.get(url.pathname.slice('/upload/'.length));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (!upload) return json(res, 404, { ok: false });
      const raw = Buffer.concat(chunks);
      // the Web API client posts the bytes as a multipart form (one file field); the raw body is taken too
      const isForm = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
      const field = isForm ? [...(await new Request('http://fake/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: raw }).formData()).values()][0] : null;
      upload.bytes = field instanceof Blob ? Buffer.from(await field.arrayBuffer()) : raw;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK - ' + upload.bytes.length);
      return notify();
    }
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      responses.push({ id: url.pathname.slice('/response/'.length), body: safeJson(raw) });
      notify();
      return json(res, 200, { ok: true });
    }
    const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!m) return json(res, 404, { ok: false, error: 'unknown_method' });
    const method = m[1]!;
    const params = decodeParams(req.headers['content-type'], raw);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (params.token as string | undefined);
    const call: SlackCall = { method, params, token, at: Date.now() };
    calls.push(call);
    const wait = delays.get(method);
    if (wait) await new Promise((r) => setTimeout(r, wait));
    const failure = failures.get(method)?.shift();
    if (failure === 'ratelimited') {
      res.setHeader('retry-after', '1');
      json(res, 429, { ok: false, error: 'ratelimited' });
      return notify();
    }
    if (failure) {
      json(res, 200, { ok: false, error: failure });
      return notify();
    }
    json(res, 200, answer(method, params, token));
    notify();
  }

  function answer(method: string, p: Record<string, any>, token: string | undefined): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (!token?.startsWith('xapp-')) return { ok: false, error: 'invalid_auth' };
      const { port } = server.address() as AddressInfo;
      return { ok: true, url: `ws://127.0.0.1:${port}/socket?ticket=fake` };
    }
    if (token !== botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'switchboard', team_id: bot.teamId, user_id: bot.userId, bot_id: bot.botId };
      case 'chat.postMessage': {
        if (!p.channel) return { ok: false, error: 'channel_not_found' };
        if (!p.text && !p.blocks) return { ok: false, error: 'no_text' };
        const ts = nextTs();
        posts.push({ channel: p.channel, ts, threadTs: p.thread_ts, text: p.text ?? '', blocks: p.blocks, versions: [{ text: p.text ?? '', blocks: p.blocks }] });
        return { ok: true, channel: p.channel, ts, message: { text: p.text, ts, bot_id: bot.botId, user: bot.userId } };
      }
      case 'files.getUploadURLExternal': {
        if (!p.filename || !(Number(p.length) > 0)) return { ok: false, error: 'invalid_arguments' };
        fileCounter += 1;
        const id = `F${String(fileCounter).padStart(8, '0')}`;
        uploads.set(id, { name: p.filename, length: Number(p.length) });
        const { port } = server.address() as AddressInfo;
        return { ok: true, upload_url: `http://127.0.0.1:${port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = (Array.isArray(p.files) ? p.files : []) as Array<{ id: string; title?: string }>;
        const done = list.map((f) => ({ f, upload: uploads.get(f.id) }));
        if (!list.length || done.some((d) => !d.upload?.bytes)) return { ok: false, error: 'file_not_found' };
        if (p.channel_id) {
          const ts = nextTs();
          const text = p.initial_comment ?? '';
          posts.push({ channel: p.channel_id, ts, threadTs: p.thread_ts, text, versions: [{ text }], files: done.map((d) => ({ id: d.f.id, name: d.upload!.name, bytes: d.upload!.bytes! })) });
        }
        return { ok: true, files: done.map((d) => ({ id: d.f.id, title: d.f.title ?? d.upload!.name })) };
      }
      case 'chat.update': {
        const post = posts.find((x) => x.channel === p.channel && x.ts === p.ts);
        if (!post) return { ok: false, error: 'message_not_found' };
        post.text = p.text ?? post.text;
        post.blocks = p.blocks ?? post.blocks;
        post.versions.push({ text: post.text, blocks: post.blocks });
        return { ok: true, channel: p.channel, ts: p.ts, text: post.text };
      }
      case 'chat.postEphemeral':
        if (!p.channel || !p.user) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: nextTs() };
      case 'users.info': {
        const u = users.get(p.user);
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: u.id,
            name: u.name ?? u.id.toLowerCase(),
            real_name: u.realName,
            deleted: u.deleted ?? false,
            is_bot: u.isBot ?? false,
            profile: { real_name: u.realName, display_name: u.name, email: u.email },
          },
        };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: p.channel, name: String(p.channel).toLowerCase(), is_im: String(p.channel).startsWith('D'), is_ext_shared: false } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    apiUrl: `${base}/api/`,
    botToken,
    bot,
    calls,
    users,
    posts,
    responses,
    callsOf: (method) => calls.filter((c) => c.method === method),
    threadOf: (channel, ts) => posts.filter((p) => p.channel === channel && p.threadTs === ts),
    waitFor<T>(pred: () => T | undefined | null | false, ms = 10_000, what = 'condition'): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const v = pred();
          if (v) {
            waiters.delete(check);
            clearTimeout(timer);
            clearInterval(poll);
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          clearInterval(poll);
          reject(new Error(`fake slack: timed out waiting for ${what}; calls: ${calls.map((c) => c.method).join(', ')}`));
        }, ms);
        // also poll: the condition may depend on state outside this fake (the database)
        const poll = setInterval(check, 25);
        waiters.add(check);
        check();
      });
    },
    failNext(method, error, count = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < count; i++) list.push(error);
      failures.set(method, list);
    },
    delay(method, ms) {
      delays.set(method, ms);
    },
    responseUrl: (id) => `${base}/response/${id}`,
    socket: {
      acks,
      connected: () => socket !== null,
      async waitConnected(ms = 10_000) {
        const deadline = Date.now() + ms;
        while (!socket) {
          if (Date.now() > deadline) throw new Error('fake slack: no Socket Mode connection');
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      push(envelope) {
        if (!socket) throw new Error('fake slack: no Socket Mode connection');
        envelopeCounter += 1;
        const id = `env-${envelopeCounter}`;
        socket.send(
          JSON.stringify({
            envelope_id: id,
            type: envelope.type,
            payload: envelope.payload,
            accepts_response_payload: envelope.type !== 'events_api',
            ...(envelope.retryAttempt ? { retry_attempt: envelope.retryAttempt, retry_reason: 'timeout' } : {}),
          }),
        );
        return id;
      },
    },
    reset() {
      calls.length = 0;
      posts.length = 0;
      uploads.clear();
      responses.length = 0;
      failures.clear();
      delays.clear();
      acks.clear();
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function decodeParams(contentType: string | undefined, raw: string): Record<string, any> {
  if ((contentType ?? '').includes('application/json')) return (safeJson(raw) as Record<string, any>) ?? {};
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // the Web API client JSON-encodes arrays and objects inside form posts
    out[k] = /^[[{]/.test(v) ? (safeJson(v) ?? v) : v;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}



/** X-Slack-Signature for a body at a timestamp (seconds), as Slack computes it. */
export function slackSignature(secret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** seconds; default now */
  timestamp?: number;
  retryNum?: number;
  /** override the computed signature */
  signature?: string;
  contentType?: string;
}

/** Posts to /slack/events the way Slack does: events as JSON, commands and interactions as forms, all signed. */
export function slackEventsClient(appUrl: string, secret: string) {
  async function post(body: string, contentType: string, o: SignedPostOptions = {}) {
    const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': o.contentType ?? contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': o.signature ?? slackSignature(secret, ts, body),
    };
    if (o.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(o.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const started = Date.now();
    const res = await fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, text, json, ms: Date.now() - started };
  }
  return {
    post,
    event: (envelope: unknown, o?: SignedPostOptions) => post(JSON.stringify(envelope), 'application/json', o),
    command: (fields: Record<string, string>, o?: SignedPostOptions) => post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', o),
    interaction: (payload: unknown, o?: SignedPostOptions) =>
      post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', o),
  };
}

let eventCounter = 0;

/** An event_callback envelope around a message event, with a fresh event_id unless given. */
export function messageEnvelope(event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'ignored',
    team_id: 'TFAKETEAM',
    api_app_id: 'AFAKEAPP',
    event: { type: 'message', event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'TFAKETEAM', user_id: 'UBOTSWITCH', is_bot: true, is_enterprise_install: false }],
  };
}

let slackTsCounter = 0;
/** a fresh Slack-style message ts */
export function newTs(): string {
  slackTsCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(500_000 + slackTsCounter).padStart(6, '0')}`;
}

export const SLACK_TEST_SECRET = 'test-signing-secret';

export interface SlackTestApp {
  t: TestApp;
  fake: FakeSlackApi;
  slack: ReturnType<typeof slackEventsClient>;
  close(): Promise<void>;
}

/** The real gateway with its Slack channel pointed at a fresh fake Slack, signing with SLACK_TEST_SECRET. */
export async function startAppWithSlack(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<SlackTestApp> {
  const fake = await startFakeSlackApi();
  const t = await startApp({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SLACK_TEST_SECRET, SLACK_API_URL: fake.apiUrl, ...env }, overrides);
  return {
    t,
    fake,
    slack: slackEventsClient(t.url, SLACK_TEST_SECRET),
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/**
 * A customer mail through POST /webhooks/email (the app needs EMAIL_WEBHOOK_TOKEN = `token`); resolves
 * with the case it opened and the card the fake Slack received for it.
 */
export async function mailCaseWithCard(s: SlackTestApp, token: string, mail: { from: string; name?: string; subject: string; text: string }) {
  const mime = `From: ${mail.name ?? 'Customer'} <${mail.from}>\r\nTo: support@switchboard.local\r\nSubject: ${mail.subject}\r\nMessage-ID: <${randomUUID()}@customer.test>\r\n\r\n${mail.text}\r\n`;
  const res = await fetch(`${s.t.url}/webhooks/email`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: mime });
  if (res.status !== 202) throw new Error(`email webhook answered ${res.status}`);
  const kase = await eventually(async () => (await s.t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(mail.from)}`)).body.items[0], 10_000, 'the case');
  const card = await s.fake.waitFor(() => s.fake.posts.find((p) => !p.threadTs && p.text.startsWith(kase.number)), 10_000, 'the card');
  return { kase, card };
}
