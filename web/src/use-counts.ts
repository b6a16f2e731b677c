/**
 * The six tabs' counts, as the server counts them (`GET /api/v1/cases/counts`). Asked again after stream
 * frames, at most every 2 s. A gateway without the endpoint (404) leaves the tabs without numbers.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api-client.ts';
import type { ViewCounts } from './types.ts';

const EVERY_MS = 2000;

export interface Counts {
  counts: ViewCounts | null;
  /** something changed: count again soon */
  touch(): void;
  reload(): void;
}

export function useCounts(): Counts {
  const [counts, setCounts] = useState<ViewCounts | null>(null);
  const unsupported = useRef(false);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);

  const fetchNow = useCallback(() => {
    if (unsupported.current || inFlight.current) return;
    inFlight.current = true;
    last.current = Date.now();
    api.caseCounts().then(
      (c) => setCounts(c),
      (e: unknown) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) { unsupported.current = true; setCounts(null); }
      },
    ).finally(() => { inFlight.current = false; });
  }, []);

  const touch = useCallback(() => {
    if (unsupported.current || timer.current) return;
    const wait = Math.max(0, last.current + EVERY_MS - Date.now());
    timer.current = setTimeout(() => { timer.current = null; fetchNow(); }, Math.max(wait, 300));
  }, [fetchNow]);

  useEffect(() => {
    fetchNow();
    return () => { if (timer.current) clearTimeout(timer.current); };
  }, [fetchNow]);

  return { counts, touch, reload: fetchNow };
}
