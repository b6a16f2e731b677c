/** The live rules document, the queues rules may name, and how often each rule matched (when the gateway counts it). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api-client.ts';
import { rulesApi } from './rules-api.ts';
import type { RuleDocument, RuleHit } from './rules-types.ts';

export type Hits = { state: 'loading' } | { state: 'unavailable'; reason: string } | { state: 'ready'; byRule: Map<string, RuleHit> };

export function useRulesDocument() {
  const [doc, setDoc] = useState<RuleDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [queues, setQueues] = useState<string[]>([]);
  const [hits, setHits] = useState<Hits>({ state: 'loading' });

  const loadHits = useCallback(() => {
    rulesApi.hits().then(
      (h) => setHits({ state: 'ready', byRule: new Map(h.items.map((i) => [i.ruleId, i])) }),
      (e: unknown) => setHits({ state: 'unavailable', reason: e instanceof ApiError && e.status === 404 ? 'this gateway does not count rule matches' : errorMessage(e) }),
    );
  }, []);

  const reload = useCallback(async (): Promise<RuleDocument | null> => {
    try {
      const d = await rulesApi.document();
      setDoc(d);
      setError(null);
      loadHits();
      return d;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    }
  }, [loadHits]);

  useEffect(() => {
    void reload();
    rulesApi.queues().then((q) => setQueues(q.items.map((x) => x.name)), () => setQueues([]));
  }, [reload]);

  return { doc, error, queues, hits, reload, adopt: setDoc };
}
