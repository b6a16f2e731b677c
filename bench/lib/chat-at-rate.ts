/**
 * Chat messages offered at a fixed overall rate over a set of visitors' WebSockets, open loop: message k
 * leaves at its due time whether or not the earlier ones were acknowledged, and its ack latency counts
 * from that due time, so a server that stalls cannot hide it by slowing the visitors down.
 */
import type { ChatVisitor } from './chat-visitor.ts';
import { paceAtRate } from './open-loop.ts';
import { until } from './stats.ts';

export interface ChatAtRateOptions {
  rate: number;
  amount: number;
  /** the text of a visitor's nth message in the run */
  text: (visitor: number, nth: number) => string;
  /** how long to wait for the last acks once everything is sent */
  ackTimeoutMs?: number;
}

export interface ChatLoad {
  sent: number;
  acked: number;
  /** refused (an error frame) or lost with its socket */
  failed: number;
  /** due time → ack, per acknowledged message, ms */
  ackMs: number[];
  /** performance.now() at which each text was due, to time what the server does with it later */
  dueAt: Map<string, number>;
  /** first due time → last ack, seconds */
  seconds: number;
  /** Date.now() at the first due time, for the store's timestamps */
  startedAt: number;
}

export async function chatAtRate(visitors: ChatVisitor[], o: ChatAtRateOptions): Promise<ChatLoad> {
  const ackMs: number[] = [];
  const dueAt = new Map<string, number>();
  let acked = 0;
  let failed = 0;
  let lastAck = 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  await paceAtRate(
    o.rate,
    o.amount,
    (k, due) => {
      // round-robin: a visitor's next message comes after every other visitor's previous one
      const text = o.text(k % visitors.length, Math.floor(k / visitors.length));
      dueAt.set(text, due);
      visitors[k % visitors.length]!.send(text).then(
        () => {
          lastAck = performance.now();
          ackMs.push(lastAck - due);
          acked++;
        },
        () => failed++,
      );
    },
    t0,
  );
  await until(() => acked + failed >= o.amount, `acks of ${o.amount} chat messages`, o.ackTimeoutMs ?? 120_000);
  return { sent: o.amount, acked, failed, ackMs, dueAt, seconds: (lastAck - t0) / 1000, startedAt };
}
