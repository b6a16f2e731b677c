/** Rebuilds the URL Twilio signed: our public origin (or the proxy's, when trusted) + the path as received. */
export interface WebhookUrlInput {
  publicUrl: string;
  trustProxy: boolean;
  headers: Record<string, string | string[] | undefined>;
  /** path and query string exactly as received (Fastify's request.url) */
  rawUrl: string;
}

export interface WebhookUrl {
  url: string;
  reason: string;
}

const HOST = /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export function signedWebhookUrl(input: WebhookUrlInput): WebhookUrl {
  const base = new URL(input.publicUrl);
  // a PUBLIC_URL with a path (https://example.com/switchboard) means a proxy strips that prefix
  const prefix = base.pathname.replace(/\/+$/, '');
  let origin = `${base.protocol}//${base.host}`;
  let reason = 'PUBLIC_URL origin';
  if (input.trustProxy) {
    const proto = firstValue(input.headers['x-forwarded-proto'])?.toLowerCase();
    const host = firstValue(input.headers['x-forwarded-host']);
    const protoOk = proto === 'http' || proto === 'https';
    const hostOk = host !== undefined && HOST.test(host);
    if (protoOk || hostOk) {
      origin = `${protoOk ? `${proto}:` : base.protocol}//${hostOk ? host : base.host}`;
      reason = `origin from trusted proxy headers${protoOk && hostOk ? '' : ' (partly PUBLIC_URL)'}`;
    } else {
      reason = 'PUBLIC_URL origin (no usable proxy headers)';
    }
  }
  return { url: `${origin}${prefix}${input.rawUrl}`, reason };
}

/** "https, http" from a chain of proxies: the first is the one the client spoke to. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first ? first : undefined;
}
