/** A newest-first list read a page at a time ("Older …" loads the next); reloads from the top when `key` changes. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import type { Page } from './rules-types.ts';

export function usePaged<T>(load: (cursor: number | null) => Promise<Page<T>>, key: unknown) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    load(null).then(
      (p) => { if (live) { setItems(p.items); setNext(p.nextCursor); setError(null); setLoading(false); } },
      (e: unknown) => { if (live) { setError(errorMessage(e)); setLoading(false); } },
    );
    return () => { live = false; };
  }, [key]);

  const more = useCallback(async () => {
    if (next === null) return;
    setLoading(true);
    try {
      const p = await load(next);
      setItems((xs) => [...xs, ...p.items]);
      setNext(p.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [load, next]);

  return { items, hasMore: next !== null, more, error, loading };
}
