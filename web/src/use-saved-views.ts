/** The signed-in agent's saved views; a gateway without them (404) hides the feature. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from './api-client.ts';
import type { SavedView, SavedViewFilters } from './types.ts';

export interface SavedViews {
  items: SavedView[];
  supported: boolean;
  /** the last load or delete that failed */
  error: string | null;
  /** throws the gateway's refusal (a taken name) for the form to show */
  save(name: string, filters: SavedViewFilters): Promise<SavedView>;
  remove(view: SavedView): Promise<void>;
}

export function useSavedViews(): SavedViews {
  const [items, setItems] = useState<SavedView[]>([]);
  const [supported, setSupported] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.savedViews().then(
      (r) => setItems(r.items),
      (e: unknown) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setSupported(false);
        else setError(errorMessage(e));
      },
    );
  }, []);

  const save = useCallback(async (name: string, filters: SavedViewFilters) => {
    const view = await api.createSavedView(name, filters);
    setItems((list) => [...list.filter((v) => v.id !== view.id), view]);
    setError(null);
    return view;
  }, []);

  const remove = useCallback(async (view: SavedView) => {
    try {
      await api.deleteSavedView(view.id);
      setItems((list) => list.filter((v) => v.id !== view.id));
      setError(null);
    } catch (e) {
      // already gone elsewhere: the list only catches up
      if (e instanceof ApiError && e.status === 404) setItems((list) => list.filter((v) => v.id !== view.id));
      else setError(errorMessage(e));
    }
  }, []);

  return { items, supported, error, save, remove };
}
