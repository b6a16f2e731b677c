/** The cases offered to the caller (`offeredTo=me`), kept current by the stream: the source of the offer cards. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import { isOpen } from './inbox-views.ts';
import type { CaseView } from './types.ts';

export interface OfferList {
  offers: CaseView[];
  reload(): void;
  apply(c: CaseView): void;
}

export function useOfferList(meId: string): OfferList {
  const [cases, setCases] = useState<Map<string, CaseView>>(new Map());
  const generation = useRef(0);

  const reload = useCallback(() => {
    const gen = ++generation.current;
    api.listCases({ offeredTo: 'me', limit: 100 }).then(
      (p) => { if (gen === generation.current) setCases(new Map(p.items.map((c) => [c.number, c]))); },
      () => undefined, // the list shows errors
    );
  }, []);
  useEffect(reload, [reload]);

  // A chat case offered to several agents at once names one of them in `offeredTo`: a case offered to
  // someone else may be offered to me too, so the list is read again (at most once a second) instead.
  const later = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = useCallback(() => {
    later.current ??= setTimeout(() => {
      later.current = null;
      reload();
    }, 1000);
  }, [reload]);
  useEffect(() => () => { if (later.current) clearTimeout(later.current); }, []);

  const apply = useCallback((c: CaseView) => {
    const elsewhere = c.channel === 'chat' && c.offeredTo !== null && c.offeredTo !== meId && !c.assignee && isOpen(c);
    if (elsewhere) reloadSoon();
    setCases((prev) => {
      const old = prev.get(c.number);
      if (old && old.updatedAt > c.updatedAt) return prev;
      const offered = c.offeredTo === meId && isOpen(c);
      if (!old && !offered) return prev;
      // offered to someone else and to me as well, perhaps: the next read decides
      if (!offered && elsewhere) return prev;
      const m = new Map(prev);
      if (offered) m.set(c.number, c);
      else m.delete(c.number);
      return m;
    });
  }, [meId, reloadSoon]);

  const offers = useMemo(
    () => [...cases.values()].sort((a, b) => a.priority - b.priority || a.updatedAt.localeCompare(b.updatedAt)),
    [cases],
  );
  return { offers, reload, apply };
}
