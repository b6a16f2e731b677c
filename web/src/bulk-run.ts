/** Runs one request per case, at most `limit` at a time, and tells which succeeded and which failed (and why). */
export interface BulkResult<T> {
  done: T[];
  failed: { number: string; message: string }[];
}

export async function runBulk<T>(numbers: string[], task: (number: string) => Promise<T>, limit = 5): Promise<BulkResult<T>> {
  const result: BulkResult<T> = { done: [], failed: [] };
  let next = 0;
  async function worker() {
    while (next < numbers.length) {
      const number = numbers[next++]!;
      try {
        result.done.push(await task(number));
      } catch (e) {
        result.failed.push({ number, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, numbers.length) }, worker));
  return result;
}

export function describeBulk(result: BulkResult<unknown>, what: (n: number) => string): string {
  const ok = result.done.length;
  const parts: string[] = [];
  if (ok) parts.push(`${ok} ${ok === 1 ? 'case' : 'cases'} ${what(ok)}`);
  if (result.failed.length) {
    const byMessage = new Map<string, string[]>();
    for (const f of result.failed) byMessage.set(f.message, [...(byMessage.get(f.message) ?? []), f.number]);
    parts.push(`Failed: ${[...byMessage].map(([m, ns]) => `${ns.join(', ')} (${m})`).join('; ')}`);
  }
  return parts.join('. ') + '.';
}
