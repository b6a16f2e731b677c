/** A batch could not be worked: `retried` of its cases are tried again a second later, the rest wait for their next change. */
export type BatchFailure = (err: unknown, ids: number[], retried: number) => void;

/** Tries per case after a failed batch: a lost commit or a busy database passes, a case that always fails does not loop. */
const MAX_RETRIES = 5;
const RETRY_MS = 1000;

/**
 * Cases touched by changes, gathered for a moment and worked in batches: one transaction for every case
 * touched meanwhile instead of one each (with SQLite's fsync, one commit instead of many). A batch that
 * fails is tried again a second later, a few times: until it is worked its cases' timers may be wrong.
 * Shared by the services that follow case changes (SLA clocks, queue overflow).
 */
export class CaseBatches {
  private readonly pending = new Set<number>();
  private flushing: Promise<void> | null = null;
  private readonly failures = new Map<number, number>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly opts: { run: (ids: number[]) => Promise<void>; onFailure: BatchFailure; gatherMs?: number; batch?: number; retryMs?: number }) {}

  touch(caseId: number): void {
    this.pending.add(caseId);
    if (!this.flushing) this.flushing = new Promise((resolve) => setTimeout(resolve, this.opts.gatherMs ?? 20)).then(() => this.flush());
  }

  /** Waits until every case touched so far is worked (or has failed). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** No more retries; waits for the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    await this.settled();
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const ids = [...this.pending].slice(0, this.opts.batch ?? 500);
        for (const id of ids) this.pending.delete(id);
        try {
          await this.opts.run(ids);
          for (const id of ids) this.failures.delete(id);
        } catch (err) {
          this.retryLater(ids, err);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private retryLater(ids: number[], err: unknown): void {
    const again = ids.filter((id) => {
      const n = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, n);
      return n <= MAX_RETRIES;
    });
    for (const id of ids) if (!again.includes(id)) this.failures.delete(id);
    const retried = this.stopped ? 0 : again.length;
    this.opts.onFailure(err, ids, retried);
    if (retried === 0) return;
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      for (const id of again) this.touch(id);
    }, this.opts.retryMs ?? RETRY_MS);
    timer.unref();
    this.retries.add(timer);
  }
}

/** The case a per-case timer (`<kind>:<case id>`) is for; null for a key of another shape. */
export function caseOfTimer(key: string, kind: string): number | null {
  const id = Number(key.slice(kind.length + 1));
  return key.startsWith(`${kind}:`) && Number.isInteger(id) ? id : null;
}
