/**
 * The case list of the chosen view and filters: the server selects, sorts and pages (50 a page, "Load more"
 * reads the next); the stream keeps the loaded rows current. Only loaded rows exist in the page.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { compareCases, matchesAll, serverParams, type Filters, type ViewId } from './inbox-views.ts';
import type { CaseView } from './types.ts';

export interface Inbox {
  items: CaseView[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  reload(): void;
  loadMore(): void;
  apply(c: CaseView): void;
}

export function useInbox(view: ViewId, filters: Filters, meId: string, myQueues: string[], keepNumber: string | null): Inbox {
  const [byNumber, setByNumber] = useState<Map<string, CaseView>>(new Map());
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const latest = useRef({ view, filters, meId, myQueues, cursor });
  latest.current = { view, filters, meId, myQueues, cursor };

  const load = useCallback(async (append: boolean) => {
    const gen = append ? generation.current : ++generation.current;
    const { view: v, filters: f } = latest.current;
    setLoading(true);
    setError(null);
    try {
      const res = await api.listCases({ ...serverParams(v, f), cursor: append ? latest.current.cursor : null });
      if (gen !== generation.current) return;
      setByNumber((prev) => {
        const m = append ? new Map(prev) : new Map<string, CaseView>();
        for (const c of res.items) m.set(c.number, c);
        return m;
      });
      setCursor(res.nextCursor);
    } catch (e) {
      if (gen === generation.current) setError(errorMessage(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, []);

  const { state, queue, channel, priority, assignee, tag, search, sort } = filters;
  // a new view or filter: read from the start (what is typed, search or tag, waits for typing to pause)
  useEffect(() => {
    const t = setTimeout(() => void load(false), search || tag ? 250 : 0);
    return () => clearTimeout(t);
  }, [load, view, state, queue, channel, priority, assignee, tag, search, sort, meId]);

  const keep = useRef(keepNumber);
  keep.current = keepNumber;

  const apply = useCallback((c: CaseView) => {
    const { view: v, filters: f, meId: me, myQueues, cursor: more } = latest.current;
    const fits = matchesAll(c, v, f, me, myQueues);
    setByNumber((prev) => {
      const had = prev.get(c.number);
      if (had && had.updatedAt > c.updatedAt) return prev; // an older frame than the row we have
      if (!had && fits !== true) return prev;
      if (!had && more !== null) {
        // with pages still unread, a row that sorts after the last loaded one belongs to a later page
        const cmp = compareCases(v, f.sort);
        let last: CaseView | undefined;
        for (const x of prev.values()) if (!last || cmp(x, last) > 0) last = x;
        if (last && cmp(c, last) > 0) return prev;
      }
      const m = new Map(prev);
      // a row the agent has open stays until they leave it, even when it no longer fits the view
      if (fits !== false || c.number === keep.current) m.set(c.number, c);
      else m.delete(c.number);
      return m;
    });
  }, []);

  const items = useMemo(() => [...byNumber.values()].sort(compareCases(view, sort)), [byNumber, view, sort]);

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
