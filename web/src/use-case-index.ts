/**
 * Every open and resolved case (up to a page per state) and the caller's offers, kept current by the stream:
 * the source of the view counts and of the offer cards.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import { isOpen, type ViewId } from './inbox-views.ts';
import type { CaseView } from './types.ts';

const PER_STATE = 200;
const STATES = ['new', 'open', 'awaiting_customer', 'resolved'] as const;

export interface Count {
  n: number;
  /** more exist than were read */
  more: boolean;
}

export interface CaseIndex {
  counts: Record<ViewId, Count>;
  offers: CaseView[];
  reload(): void;
  apply(c: CaseView): void;
}

export function useCaseIndex(meId: string): CaseIndex {
  const [cases, setCases] = useState<Map<string, CaseView>>(new Map());
  const [truncated, setTruncated] = useState({ open: false, resolved: false });
  const generation = useRef(0);

  const reload = useCallback(() => {
    const gen = ++generation.current;
    const reads = [
      ...STATES.map((state) => api.listCases({ state, limit: PER_STATE })),
      api.listCases({ offeredTo: 'me', limit: PER_STATE }),
    ];
    Promise.all(reads).then(
      (pages) => {
        if (gen !== generation.current) return;
        const m = new Map<string, CaseView>();
        for (const p of pages) for (const c of p.items) m.set(c.number, c);
        setCases(m);
        setTruncated({
          open: pages.slice(0, 3).some((p) => p.nextCursor !== null),
          resolved: pages[3]?.nextCursor != null,
        });
      },
      () => undefined, // counts are a convenience; the list shows the error
    );
  }, []);

  useEffect(reload, [reload]);

  const apply = useCallback((c: CaseView) => {
    setCases((prev) => {
      const old = prev.get(c.number);
      if (old && old.updatedAt > c.updatedAt) return prev; // an older frame than the view we have
      const m = new Map(prev);
      m.set(c.number, c);
      return m;
    });
  }, []);

  const { counts, offers } = useMemo(() => {
    const n = { offered: 0, mine: 0, unassigned: 0, open: 0, resolved: 0 };
    const offers: CaseView[] = [];
    for (const c of cases.values()) {
      if (c.offeredTo === meId && isOpen(c)) { n.offered++; offers.push(c); }
      if (isOpen(c)) {
        n.open++;
        if (c.assignee === meId) n.mine++;
        if (!c.assignee) n.unassigned++;
      }
      if (c.state === 'resolved') n.resolved++;
    }
    offers.sort((a, b) => a.priority - b.priority || a.updatedAt.localeCompare(b.updatedAt));
    const counts: Record<ViewId, Count> = {
      offered: { n: n.offered, more: false },
      mine: { n: n.mine, more: truncated.open },
      unassigned: { n: n.unassigned, more: truncated.open },
      open: { n: n.open, more: truncated.open },
      resolved: { n: n.resolved, more: truncated.resolved },
    };
    return { counts, offers };
  }, [cases, truncated, meId]);

  return { counts, offers, reload, apply };
}
