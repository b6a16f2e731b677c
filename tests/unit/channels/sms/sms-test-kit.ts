/** Shared test tools: a recording ChannelContext, a capturing logger, form signing, fixtures. */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import twilio from 'twilio';
import type { ChannelContext, DeliveryUpdate, InboundMessage } from '../../../../channels/channel.types.ts';

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const PUBLIC_URL = 'https://support.example.com';

export function readForm(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/twilio-forms/${name}`, import.meta.url)), 'utf8');
}

/** Twilio's own algorithm, to sign bodies as Twilio would (the product verifies with the same library). */
export function sign(url: string, body: string, token = AUTH_TOKEN): string {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return twilio.getExpectedTwilioSignature(token, url, params);
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export interface CapturedLogs {
  lines: Array<Record<string, unknown>>;
  logger: pino.Logger;
}

export function captureLogs(): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

export interface RecordingContext extends ChannelContext {
  ingested: InboundMessage[];
  ingestCalls: number;
  updates: DeliveryUpdate[];
  knownSids: Set<string>;
  failIngest: boolean;
}

export function recordingContext(logger: pino.Logger = pino({ level: 'silent' })): RecordingContext {
  const stored = new Map<string, string>();
  const seenEvents = new Set<string>();
  const ctx: RecordingContext = {
    log: logger,
    ingested: [],
    ingestCalls: 0,
    updates: [],
    knownSids: new Set(),
    failIngest: false,
    async ingest(msg) {
      ctx.ingestCalls++;
      if (ctx.failIngest) throw new Error('store unavailable');
      const key = `${msg.channel}:${msg.externalId}`;
      const existing = stored.get(key);
      if (existing) return { interactionId: existing, duplicate: true };
      const id = `int-${stored.size + 1}`;
      stored.set(key, id);
      ctx.ingested.push(msg);
      return { interactionId: id, duplicate: false };
    },
    async updateDelivery(update) {
      ctx.updates.push(update);
      return update.externalId !== undefined && ctx.knownSids.has(update.externalId);
    },
    peers: { relayAnswer: () => false, onRelayedAnswer: () => () => undefined, turns: null },
    async firstSeen(eventId) {
      if (seenEvents.has(eventId)) return false;
      seenEvents.add(eventId);
      return true;
    },
    now: () => new Date(),
  };
  return ctx;
}
