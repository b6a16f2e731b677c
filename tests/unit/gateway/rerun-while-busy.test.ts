import { describe, expect, it } from 'vitest';
import { rerunWhileBusy } from '../../../gateway/rerun-while-busy.ts';

describe('rerunWhileBusy', () => {
  it('a call made while a run is under way causes one more run after it, however many such calls', async () => {
    const seen: number[] = [];
    let version = 1;
    let release!: () => void;
    const run = rerunWhileBusy(async () => {
      const read = version;
      if (seen.length === 0) await new Promise<void>((r) => (release = r));
      seen.push(read);
    }, () => undefined);
    const first = run();
    // a newer version is told while the first read (of version 1) is still out
    version = 2;
    void run();
    void run();
    release();
    await first;
    expect(seen).toEqual([1, 2]);
  });

  it('a failing run is reported and does not stop the next', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const run = rerunWhileBusy(async () => {
      n++;
      if (n === 1) throw new Error('store away');
    }, (err) => errors.push(err));
    await run();
    await run();
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
