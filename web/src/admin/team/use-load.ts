/** Something the page loads from the API, with its refusal and a way to load it again after a change. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let current = true;
    setLoading(true);
    loader.current().then(
      (d) => { if (current) { setData(d); setError(null); setLoading(false); } },
      (e: unknown) => { if (current) { setError(errorMessage(e)); setLoading(false); } },
    );
    return () => { current = false; };
  }, [round, ...deps]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}
