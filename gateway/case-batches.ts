/**
 * Cases touched by changes, gathered for a moment and worked in batches: one transaction for every case
 * touched meanwhile instead of one each (with SQLite's fsync, one commit instead of many). Shared by the
 * services that follow case changes (SLA clocks, queue overflow).
 */
export class CaseBatches {
  private readonly pending = new Set<number>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly opts: { run: (ids: number[]) => Promise<void>; gatherMs?: number; batch?: number }) {}

  touch(caseId: number): void {
    this.pending.add(caseId);
    if (!this.flushing) this.flushing = new Promise((resolve) => setTimeout(resolve, this.opts.gatherMs ?? 20)).then(() => this.flush());
  }

  /** Waits until every case touched so far is worked. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const ids = [...this.pending].slice(0, this.opts.batch ?? 500);
        for (const id of ids) this.pending.delete(id);
        // `run` handles its own failures: a batch that throws here is lost to the log of its caller
        await this.opts.run(ids);
      }
    } finally {
      this.flushing = null;
    }
  }
}

/** The case a per-case timer (`<kind>:<case id>`) is for; null for a key of another shape. */
export function caseOfTimer(key: string, kind: string): number | null {
  const id = Number(key.slice(kind.length + 1));
  return key.startsWith(`${kind}:`) && Number.isInteger(id) ? id : null;
}
