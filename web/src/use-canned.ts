/** The caller's canned responses and the shared ones; a gateway without them (404) hides the feature. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api-client.ts';
import type { CannedResponse } from './types.ts';

export interface Canned {
  /** null: not loaded, or the gateway has none */
  items: CannedResponse[] | null;
  supported: boolean;
  reload(): void;
  /** those usable on a case of this queue */
  forQueue(queue: string | null): CannedResponse[];
}

export function useCanned(): Canned {
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [supported, setSupported] = useState(true);

  const reload = useCallback(() => {
    api.cannedResponses().then(
      (r) => { setItems([...r.items].sort((a, b) => a.shortcut.localeCompare(b.shortcut))); setSupported(true); },
      (e: unknown) => { if (e instanceof ApiError && (e.status === 404 || e.status === 405)) { setSupported(false); setItems(null); } },
    );
  }, []);
  useEffect(reload, [reload]);

  const forQueue = useCallback(
    (queue: string | null) => (items ?? []).filter((c) => !c.queue || c.queue === queue),
    [items],
  );
  return { items, supported, reload, forQueue };
}
