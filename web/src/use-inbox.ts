/** The case list of the chosen view and filters: loaded page by page, kept current by the stream. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { compareCases, matchesAll, serverParams, type Filters, type ViewId } from './inbox-views.ts';
import type { CaseView } from './types.ts';

/** rows wanted before we stop reading further pages for views the API cannot select exactly */
const FILL_TO = 30;
const MAX_PAGES_PER_LOAD = 5;

export interface Inbox {
  items: CaseView[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  reload(): void;
  loadMore(): void;
  apply(c: CaseView): void;
}

export function useInbox(view: ViewId, filters: Filters, meId: string, keepNumber: string | null): Inbox {
  const [byNumber, setByNumber] = useState<Map<string, CaseView>>(new Map());
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const latest = useRef({ view, filters, meId, cursor });
  latest.current = { view, filters, meId, cursor };

  const load = useCallback(async (append: boolean) => {
    const gen = append ? generation.current : ++generation.current;
    const { view: v, filters: f, meId: me } = latest.current;
    let next = append ? latest.current.cursor : null;
    setLoading(true);
    setError(null);
    try {
      const found: CaseView[] = [];
      for (let page = 0; page < MAX_PAGES_PER_LOAD; page++) {
        const res = await api.listCases({ ...serverParams(v, f), cursor: next });
        if (gen !== generation.current) return;
        found.push(...res.items.filter((c) => matchesAll(c, v, f, me)));
        next = res.nextCursor;
        if (!next || found.length >= FILL_TO) break;
      }
      setByNumber((prev) => {
        const m = append ? new Map(prev) : new Map<string, CaseView>();
        for (const c of found) m.set(c.number, c);
        return m;
      });
      setCursor(next);
    } catch (e) {
      if (gen === generation.current) setError(errorMessage(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, []);

  const { state, queue, channel, priority, search, sort } = filters;
  // a new view or filter: read from the start (the search waits for typing to pause)
  useEffect(() => {
    const t = setTimeout(() => void load(false), search ? 250 : 0);
    return () => clearTimeout(t);
  }, [load, view, state, queue, channel, priority, search, sort === 'due', meId]);

  const keep = useRef(keepNumber);
  keep.current = keepNumber;

  const apply = useCallback((c: CaseView) => {
    const { view: v, filters: f, meId: me } = latest.current;
    const fits = matchesAll(c, v, f, me);
    setByNumber((prev) => {
      const had = prev.has(c.number);
      if (!had && !fits) return prev;
      const m = new Map(prev);
      // a row the agent has open stays until they leave it, even when it no longer fits the view
      if (fits || c.number === keep.current) m.set(c.number, c);
      else m.delete(c.number);
      return m;
    });
  }, []);

  const items = useMemo(() => [...byNumber.values()].sort(compareCases(sort)), [byNumber, sort]);

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    reload: useCallback(() => void load(false), [load]),
    loadMore: useCallback(() => void load(true), [load]),
    apply,
  };
}
