/** The case the agent has open, with its timeline; stream frames for it are applied as they come. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import type { CaseDetail, CaseFrame, CaseView, Interaction } from './types.ts';

export interface OpenCase {
  detail: CaseDetail | null;
  loading: boolean;
  error: string | null;
  reload(): void;
  /** a case view an action answered with */
  update(c: CaseView): void;
  applyFrame(f: CaseFrame): void;
}

function upsert(list: Interaction[], i: Interaction): Interaction[] {
  const at = list.findIndex((x) => x.id === i.id);
  if (at === -1) return [...list, i].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const copy = list.slice();
  copy[at] = { ...list[at], ...i };
  return copy;
}

export function useOpenCase(number: string | null): OpenCase {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(number);
  current.current = number;
  // frames that arrive while a read is under way: the read may predate them, so they are applied on top of it
  const sinceRead = useRef<CaseFrame[]>([]);
  const reading = useRef(0);

  const load = useCallback((n: string | null, quiet: boolean) => {
    if (!n) { setDetail(null); setError(null); return; }
    if (!quiet) setLoading(true);
    if (reading.current === 0) sinceRead.current = [];
    reading.current++;
    api.getCase(n).then(
      (d) => {
        if (current.current !== n) return;
        let merged = d;
        for (const f of sinceRead.current) {
          if (f.case.number !== n) continue;
          if (f.case.updatedAt > merged.updatedAt) merged = { ...merged, ...f.case };
          if (f.interaction) merged = { ...merged, interactions: upsert(merged.interactions, f.interaction) };
        }
        setDetail(merged);
        setError(null);
      },
      (e: unknown) => { if (current.current === n) setError(errorMessage(e)); },
    ).finally(() => {
      reading.current--;
      if (reading.current === 0) sinceRead.current = [];
      if (current.current === n) setLoading(false);
    });
  }, []);

  useEffect(() => {
    setDetail((d) => (d && d.number === number ? d : null));
    load(number, false);
  }, [number, load]);

  const update = useCallback((c: CaseView) => {
    setDetail((d) => (d && d.number === c.number ? { ...d, ...c } : d));
  }, []);

  const applyFrame = useCallback((f: CaseFrame) => {
    if (reading.current > 0 && f.case.number === current.current) sinceRead.current.push(f);
    setDetail((d) => {
      if (!d || d.number !== f.case.number) return d;
      const next: CaseDetail = { ...d, ...f.case };
      if (f.interaction) next.interactions = upsert(d.interactions, f.interaction);
      return next;
    });
  }, []);

  return { detail, loading, error, reload: useCallback(() => load(current.current, true), [load]), update, applyFrame };
}
