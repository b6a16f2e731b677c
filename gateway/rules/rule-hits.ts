/**
 * How often each routing rule matches, for the admin's rule list: counted in memory as messages are
 * routed and added to hourly rows every few seconds, one small write for many messages instead of one
 * per message in the pipeline's transactions. A count is a statistic: what a crash loses between two
 * writes (seconds of counts) is not worth a write per message.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import { addRuleHits, pruneRuleHits, ruleHitTotals, type RuleHitCount } from '../../store/rule-hit.repository.ts';
import type { TraceEntry } from '../../routing/evaluate-rules.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KEEP = 8 * DAY;

export interface RuleHitTotals {
  ruleId: string;
  last24h: number;
  last7d: number;
  lastMatchAt: string | null;
}

export class RuleHits {
  private pending = new Map<string, RuleHitCount>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { db: Db; now: () => Date; log: FastifyBaseLogger; flushMs: number }) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.deps.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** The rules a routed message matched (from its trace), at the moment it was routed. */
  record(trace: readonly TraceEntry[], at: Date): void {
    const hour = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
    for (const e of trace) if (e.kind === 'rule' && e.matched) this.add({ ruleId: e.ruleId, hour, count: 1, lastAt: at });
  }

  private add(h: RuleHitCount): void {
    const key = `${h.ruleId}\u0000${h.hour.getTime()}`;
    const held = this.pending.get(key);
    if (!held) this.pending.set(key, { ...h });
    else {
      held.count += h.count;
      if (h.lastAt > held.lastAt) held.lastAt = h.lastAt;
    }
  }

  /** Writes what was counted since the last write; a failed write keeps the counts for the next. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.pending.size === 0) return;
      const hits = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.deps.db.transaction(async (tx) => {
          await addRuleHits(tx, hits);
          await pruneRuleHits(tx, new Date(this.deps.now().getTime() - KEEP));
        });
      } catch (err) {
        for (const h of hits) this.add(h);
        this.deps.log.warn({ err }, 'rule match counts could not be written; they are kept for the next write');
      }
    });
    return this.writing;
  }

  /** Per rule, matches in the last 24 hours and 7 days (what this instance counted is written first). */
  async totals(): Promise<RuleHitTotals[]> {
    await this.flush();
    const now = this.deps.now().getTime();
    const rows = await ruleHitTotals(this.deps.db.read, new Date(now - DAY), new Date(now - 7 * DAY));
    return rows.map((r) => ({ ...r, lastMatchAt: r.lastMatchAt ? new Date(r.lastMatchAt).toISOString() : null }));
  }
}
