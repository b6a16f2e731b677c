/**
 * Watches the server's SQLite file read-only (WAL lets a reader look while the server writes) to tell
 * when the pipeline has processed everything acknowledged, and how long each message waited for it.
 * It reads the store the server commits to, so it sees exactly what is durable.
 */
import Database from 'better-sqlite3';
import { sleep } from './stats.ts';

export interface Completion {
  /**
   * When the pipeline took the last message (its processedAt, stamped by the server as it starts that
   * message's transaction): the end of the work, independent of how often the probe looks.
   */
  doneAt: number;
  /** messages received since `since` and processed */
  processed: number;
  /** received → taken by the pipeline, per message, ms (from createdAt and processedAt) */
  waitMs: number[];
  cases: number;
}

export class PipelineProbe {
  private readonly db: Database.Database;
  // prepared once: the probe polls every few milliseconds on the machine it measures
  private readonly countInbound: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.countInbound = this.db.prepare(
      `SELECT count(*) AS stored, coalesce(sum(status = 'received'), 0) AS waiting FROM Interaction WHERE direction = 'inbound'`,
    );
  }

  /** Inbound interactions stored so far, and how many of them still wait for the pipeline. */
  counts(): { stored: number; waiting: number } {
    return this.countInbound.get() as { stored: number; waiting: number };
  }

  /** Polls until at least `expected` inbound messages are stored and none waits; fails after `timeoutMs`. */
  async waitProcessed(expected: number, timeoutMs: number, since = Date.now()): Promise<Completion> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stored, waiting } = this.counts();
      if (stored >= expected && waiting === 0) return this.timings(since);
      if (Date.now() > deadline) throw new Error(`the pipeline left ${waiting} of ${stored} messages unprocessed after ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  private timings(since: number): Completion {
    const rows = this.db
      .prepare(`SELECT createdAt AS c, processedAt AS p FROM Interaction WHERE direction = 'inbound' AND processedAt IS NOT NULL`)
      .all() as Array<{ c: string; p: string }>;
    const waitMs: number[] = [];
    let doneAt = since;
    for (const r of rows) {
      const created = Date.parse(r.c);
      if (created < since) continue;
      const processed = Date.parse(r.p);
      waitMs.push(processed - created);
      if (processed > doneAt) doneAt = processed;
    }
    const cases = (this.db.prepare(`SELECT count(*) AS n FROM "Case"`).get() as { n: number }).n;
    return { doneAt, processed: waitMs.length, waitMs, cases };
  }

  caseIds(): number[] {
    return (this.db.prepare(`SELECT id FROM "Case" ORDER BY id`).all() as Array<{ id: number }>).map((r) => r.id);
  }

  /** The case each chat conversation was threaded into. */
  casesByConversation(): Map<string, number> {
    const rows = this.db
      .prepare(`SELECT conversationKey AS k, max(caseId) AS c FROM Interaction WHERE channel = 'chat' AND caseId IS NOT NULL GROUP BY conversationKey`)
      .all() as Array<{ k: string; c: number }>;
    return new Map(rows.map((r) => [r.k, r.c]));
  }

  /** Cases with an agent offer or assignment: the assignment step ran for them. */
  offeredOrAssigned(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM "Case" WHERE offeredToId IS NOT NULL OR assigneeId IS NOT NULL`).get() as { n: number }).n;
  }

  /** The SLA entries written on timelines. */
  slaEvents(): Array<{ text: string; createdAt: string }> {
    return this.db.prepare(`SELECT text, createdAt FROM Interaction WHERE direction = 'event' AND text LIKE 'SLA %'`).all() as Array<{ text: string; createdAt: string }>;
  }

  close(): void {
    this.db.close();
  }
}
