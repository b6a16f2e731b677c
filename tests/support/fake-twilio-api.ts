/**
 * A stand-in for Twilio's Messages API on 127.0.0.1: records every request with its time and can be told
 * to fail the next N requests (an error answer, or a dropped connection). Point the SMS channel at it with
 * TWILIO_API_URL = api.url.
 */
import { inStore } from './store-rows.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { json, readBody } from './fake-http.ts';
import twilio from 'twilio';
// type only: the fake itself must not load the gateway (unit tests use it without an app)
import type { TestApp } from './test-app.ts';

export interface FakeTwilioRequest {
  /** Date.now() when the request arrived */
  at: number;
  accountSid: string;
  params: Record<string, string>;
  authorization?: string;
  /** what the fake answered: an HTTP status, or 'dropped' */
  outcome: number | 'dropped';
  /** the sid of the created message, when one was created */
  sid?: string;
  /** Date.now() when the answer was written (the client may have gone by then) */
  answeredAt?: number;
}

export interface FakeTwilioFailure {
  status: number;
  /** Twilio's error code, e.g. 21610 */
  code?: number;
  message?: string;
}

export interface FakeTwilioApi {
  url: string;
  /** every request to the Messages endpoint, in arrival order */
  requests: FakeTwilioRequest[];
  /** how many times the list of messages was asked for (a sender checking for an unrecorded attempt) */
  readonly lookups: number;
  /** the requests that created a message */
  readonly sends: FakeTwilioRequest[];
  /** answer the next `count` message requests with this error, or close their connection without an answer */
  failNext(count: number, failure: FakeTwilioFailure | 'drop'): void;
  /** run once, after the next message is created and before the API answers (a status callback that beats the answer) */
  beforeNextAnswer(hook: (created: FakeTwilioRequest) => Promise<void>): void;
  /** a slow provider: every message created from now on is answered `ms` after it arrived */
  answerAfter(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** when set, requests must carry Basic auth with this token (any account sid); others get 401 / 20003 */
  authToken?: string;
  /** the status a created message reports (Twilio answers 'queued', or 'accepted' with a messaging service) */
  messageStatus?: string;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

export async function startFakeTwilioApi(options: FakeTwilioOptions = {}): Promise<FakeTwilioApi> {
  const requests: FakeTwilioRequest[] = [];
  let lists = 0;
  const failures: Array<FakeTwilioFailure | 'drop'> = [];
  let beforeAnswer: ((created: FakeTwilioRequest) => Promise<void>) | null = null;
  let answerDelayMs = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const match = MESSAGES.exec(path);
    if (req.method === 'GET' && match) {
      if (options.authToken && !authorized(req.headers.authorization, options.authToken)) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      return json(res, 200, messageList(decodeURIComponent(match[1]!), url.searchParams));
    }
    if (req.method !== 'POST' || !match) {
      return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const record: FakeTwilioRequest = {
      at,
      accountSid: decodeURIComponent(match[1]!),
      params,
      authorization: req.headers.authorization,
      outcome: 0,
    };
    requests.push(record);

    const failure = failures.shift();
    if (failure === 'drop') {
      record.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (failure) {
      record.outcome = failure.status;
      return json(res, failure.status, {
        code: failure.code,
        message: failure.message ?? `fake failure ${failure.status}`,
        more_info: failure.code ? `https://www.twilio.com/docs/errors/${failure.code}` : undefined,
        status: failure.status,
      });
    }
    if (options.authToken && !authorized(req.headers.authorization, options.authToken)) {
      record.outcome = 401;
      return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (!params.To || !params.Body || !(params.From || params.MessagingServiceSid)) {
      record.outcome = 400;
      return json(res, 400, { code: 21604, message: 'A required parameter is missing', status: 400 });
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    record.outcome = 201;
    record.sid = sid;
    const hook = beforeAnswer;
    beforeAnswer = null;
    if (hook) await hook(record);
    if (answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
    record.answeredAt = Date.now();
    return json(res, 201, messageResource(record));
  }

  /** A created message as Twilio's API shows it. */
  function messageResource(record: FakeTwilioRequest) {
    return {
      sid: record.sid,
      account_sid: record.accountSid,
      to: record.params.To,
      from: record.params.From ?? null,
      body: record.params.Body,
      status: options.messageStatus ?? 'queued',
      num_segments: '1',
      num_media: '0',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: new Date(record.at).toUTCString(),
      date_updated: new Date(record.at).toUTCString(),
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      uri: `/2010-04-01/Accounts/${record.accountSid}/Messages/${record.sid}.json`,
    };
  }

  /** GET Messages.json: the messages created, newest first, filtered by To and From, one page. */
  function messageList(accountSid: string, query: URLSearchParams) {
    const to = query.get('To');
    const from = query.get('From');
    const size = Number(query.get('PageSize') ?? 50);
    const messages = requests
      .filter((r) => r.sid && r.accountSid === accountSid && (!to || r.params.To === to) && (!from || r.params.From === from))
      .reverse()
      .slice(0, size)
      .map(messageResource);
    lists++;
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    return { messages, page: 0, page_size: size, first_page_uri: uri, next_page_uri: null, previous_page_uri: null, uri, start: 0, end: messages.length };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get sends() {
      return requests.filter((r) => r.sid !== undefined);
    },
    get lookups() {
      return lists;
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    beforeNextAnswer(hook) {
      beforeAnswer = hook;
    },
    answerAfter(ms) {
      answerDelayMs = ms;
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      beforeAnswer = null;
      answerDelayMs = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function authorized(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === token;
}



/** Twilio's own signing algorithm, so tests sign webhooks exactly as Twilio does. */
export function signTwilioWebhook(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface TwilioWebhookTarget {
  /** where the app listens */
  appUrl: string;
  /** the PUBLIC_URL the app was started with: Twilio signs that URL, not the one it connects to */
  publicUrl: string;
  authToken: string;
}

/** Posts a form to the app as Twilio would: form-encoded and signed over PUBLIC_URL + path. */
export async function postTwilioWebhook(
  target: TwilioWebhookTarget,
  path: string,
  fields: Record<string, string>,
  options: { signature?: string; body?: string | Uint8Array } = {},
): Promise<{ status: number; text: string; json: () => any }> {
  const body = options.body ?? new URLSearchParams(fields).toString();
  const signature = options.signature ?? signTwilioWebhook(target.authToken, `${target.publicUrl}${path}`, fields);
  const res = await fetch(`${target.appUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

let sidCounter = 0;
/** A fresh, well-formed message sid ("SM" + 32 hex digits). */
export function newMessageSid(prefix: 'SM' | 'MM' = 'SM'): string {
  sidCounter += 1;
  return `${prefix}${randomBytes(12).toString('hex')}${sidCounter.toString(16).padStart(8, '0')}`;
}

/** The fields Twilio posts for an inbound SMS/MMS (same names and order as its webhooks). */
export function inboundSmsFields(o: {
  sid?: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media?: Array<{ url: string; contentType: string }>;
}): Record<string, string> {
  const sid = o.sid ?? newMessageSid(o.media?.length ? 'MM' : 'SM');
  const fields: Record<string, string> = {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: String(o.media?.length ?? 0),
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: o.body,
    FromCountry: 'GB',
    To: o.to,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: o.accountSid,
    From: o.from,
    ApiVersion: '2010-04-01',
  };
  o.media?.forEach((m, i) => {
    fields[`MediaContentType${i}`] = m.contentType;
    fields[`MediaUrl${i}`] = m.url;
  });
  return fields;
}

/** The fields of a status callback for one of our sends. */
export function statusCallbackFields(o: {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  status: string;
  errorCode?: number;
}): Record<string, string> {
  return {
    ...(o.errorCode !== undefined ? { ErrorCode: String(o.errorCode) } : {}),
    SmsSid: o.sid,
    SmsStatus: o.status,
    MessageStatus: o.status,
    To: o.to,
    MessageSid: o.sid,
    AccountSid: o.accountSid,
    From: o.from,
    ApiVersion: '2010-04-01',
  };
}

/** Test credentials for an app whose SMS channel talks to `api`. */
export const TEST_TWILIO = {
  accountSid: 'AC0000000000000000000000000000a001',
  authToken: 'test-twilio-auth-token-0123456789',
  from: '+15017122661',
  publicUrl: 'https://support.example.test',
} as const;

/** The environment that turns the SMS channel on against the fake API (merge your own settings over it). */
export function smsTestEnv(api: Pick<FakeTwilioApi, 'url'>): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_FROM: TEST_TWILIO.from,
    TWILIO_API_URL: api.url,
    PUBLIC_URL: TEST_TWILIO.publicUrl,
  };
}

/**
 * A customer texts the app the way Twilio delivers it (signed form post to /webhooks/twilio/sms, with the
 * TEST_TWILIO credentials) and, once the webhook answered 200, waits until the pipeline has taken it.
 */
export async function textTheApp(
  t: TestApp,
  from: string,
  body: string,
  extra: Partial<Parameters<typeof inboundSmsFields>[0]> = {},
): Promise<{ status: number; text: string; sid: string }> {
  const fields = inboundSmsFields({ accountSid: TEST_TWILIO.accountSid, from, to: TEST_TWILIO.from, body, ...extra });
  const res = await postTwilioWebhook({ appUrl: t.url, publicUrl: TEST_TWILIO.publicUrl, authToken: TEST_TWILIO.authToken }, '/webhooks/twilio/sms', fields);
  const sid = fields.MessageSid!;
  if (res.status === 200) {
    for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 25))) {
      const row = await inStore(t.app.switchboard.db).interaction.findFirst({ where: { channel: 'sms', externalId: sid } });
      if (row && row.status !== 'received') break;
      if (Date.now() > deadline) throw new Error(`SMS ${sid} was stored but not processed within 10 s`);
    }
  }
  return { status: res.status, text: res.text, sid };
}
