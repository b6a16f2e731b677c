import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * Every header that authenticates a request. Request logs carry no headers at all; these paths also
 * cover an object that code logs on purpose (an error with its request, a provider's answer).
 */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-twilio-signature"]',
  'headers["x-slack-signature"]',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

/**
 * A URL as it may be logged: the path, and the names of its query parameters without their values.
 * Query strings carry chat and stream tokens (WebSocket upgrades cannot send a header), so no value
 * is ever written.
 */
export function redactUrl(url: string): string {
  // an invitation's token is a path segment: it would set the agent's password
  url = url.replace(/^(\/auth\/invitations\/)[^/?#]+/u, '$1~');
  // a sent file's link carries its secret as a path segment too
  url = url.replace(/^(\/media\/[^/?#]+\/[^/?#]+\/)[^/?#]+/u, '$1~');
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=~`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

/** What a log line says of a request: never its headers or body. */
function serializeRequest(req: FastifyRequest) {
  return { method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined, remoteAddress: req.ip };
}

export type LogFormat = 'json' | 'pretty';

/**
 * The logger of the gateway: JSON lines, or readable lines through pino-pretty when asked; secrets
 * never reach a line. `base` lets a caller add its own destination or level (tests capture lines).
 */
export function loggerOptions(level: string, format: LogFormat, base: Record<string, unknown> = {}): FastifyServerOptions['logger'] {
  return {
    level,
    ...(format === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
    ...base,
    serializers: { req: serializeRequest },
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
  };
}
