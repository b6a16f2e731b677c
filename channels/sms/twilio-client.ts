/** The Twilio REST client, optionally pointed at another API base (tests, egress proxies). */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';


/** Twilio's `edge`/`region` options can only rename hosts under twilio.com; this moves the whole base. */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: URL,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, keepAlive: true });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rebase(opts.uri, this.base) });
  }
}

/** https://api.twilio.com/2010-04-01/X → <base>/2010-04-01/X (a base path is kept as a prefix). */
function rebase(uri: string, base: URL): string {
  const target = new URL(uri);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.protocol}//${base.host}${prefix}${target.pathname}${target.search}`;
}

export interface TwilioClientConfig {
  accountSid: string;
  authToken: string;
  apiUrl?: string;
  requestTimeoutMs: number;
}

export type TwilioClient = twilio.Twilio;

export function createTwilioClient(config: TwilioClientConfig): TwilioClient {
  const httpClient = config.apiUrl
    ? new RebasedRequestClient(new URL(config.apiUrl), config.requestTimeoutMs)
    : new twilio.RequestClient({ timeout: config.requestTimeoutMs, keepAlive: true });
  // no autoRetry: a 429 goes back to the outbox, which owns retries and backoff
  return twilio(config.accountSid, config.authToken, { httpClient });
}
