/** The logger interface of Slack's libraries, writing to the gateway's log. */
import type { FastifyBaseLogger } from 'fastify';
import { LogLevel, type Logger } from '@slack/bolt';

export type BoltLogger = Logger;

export function boltLogger(log: FastifyBaseLogger): BoltLogger {
  let level = LogLevel.INFO;
  let name = 'slack';
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    // Slack's libraries say a lot at debug and info; both go to debug so the gateway's log stays readable
    debug: (...msg) => log.debug({ lib: name }, line(msg)),
    info: (...msg) => log.debug({ lib: name }, line(msg)),
    warn: (...msg) => log.warn({ lib: name }, line(msg)),
    error: (...msg) => log.error({ lib: name }, line(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
