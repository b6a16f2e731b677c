/** The open case's contact with its account and other cases (`GET /api/v1/contacts/:id`). */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import type { ContactDetail } from './types.ts';

export interface ContactState {
  contact: ContactDetail | null;
  error: string | null;
  loading: boolean;
  reload(): void;
  replace(c: Omit<ContactDetail, 'cases'>): void;
}

export function useContact(id: string | null | undefined): ContactState {
  const [contact, setContact] = useState<ContactDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const current = useRef(id);
  current.current = id;

  const load = useCallback((want: string | null | undefined) => {
    if (!want) { setContact(null); setError(null); return; }
    setLoading(true);
    api.contact(want).then(
      (c) => { if (current.current === want) { setContact(c); setError(null); } },
      (e: unknown) => { if (current.current === want) setError(errorMessage(e)); },
    ).finally(() => { if (current.current === want) setLoading(false); });
  }, []);

  useEffect(() => {
    setContact((c) => (c && c.id === id ? c : null));
    load(id);
  }, [id, load]);

  const replace = useCallback((c: Omit<ContactDetail, 'cases'>) => {
    setContact((old) => (old && old.id === c.id ? { ...old, ...c } : old));
  }, []);

  return { contact, error, loading, reload: useCallback(() => load(current.current), [load]), replace };
}
