/** Who is signed in: asks /auth/session once, follows sign-in, sign-out and any 401 from the API. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { clearAllDrafts } from './draft-store.ts';
import { api, errorMessage, onUnauthorized, setCsrfToken } from './api-client.ts';
import type { Agent, Session } from './types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'unreachable'; message: string }
  | { status: 'signed-in'; session: Session };

export interface SessionControls {
  state: SessionState;
  /** take a session the server just answered with (sign-in, an accepted invitation) */
  adopt(session: Session): void;
  signOut(everywhere: boolean): Promise<void>;
  retry(): void;
  updateAgent(agent: Agent): void;
  /** the session ended elsewhere (the stream closed with 4401) */
  expire(notice?: string): void;
}

export function useSession(): SessionControls {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', session });
  }, []);

  const ended = useCallback((notice?: string) => {
    setCsrfToken(null);
    setState({ status: 'signed-out', notice });
  }, []);

  const probe = useCallback(() => {
    setState({ status: 'loading' });
    api.session().then(adopt, (e: unknown) => {
      if ((e as { status?: number }).status === 401) ended();
      else setState({ status: 'unreachable', message: errorMessage(e) });
    });
  }, [adopt, ended]);

  useEffect(probe, [probe]);
  useEffect(() => onUnauthorized(() => ended('Your session has ended. Sign in again to continue.')), [ended]);

  // When the session is due to expire, ask again: the server may have extended it, else we show the sign-in form.
  const expiresAt = state.status === 'signed-in' ? state.session.expiresAt : null;
  useEffect(() => {
    if (!expiresAt) return;
    const wait = Date.parse(expiresAt) - Date.now() + 1000;
    if (!Number.isFinite(wait) || wait > 2 ** 31 - 1) return;
    const t = setTimeout(() => {
      api.session().then(adopt, (e: unknown) => {
        if ((e as { status?: number }).status === 401) ended('Your session has expired. Sign in again to continue.');
      });
    }, Math.max(wait, 1000));
    return () => clearTimeout(t);
  }, [expiresAt, adopt, ended]);

  const signOut = useCallback(
    async (everywhere: boolean) => {
      try {
        await (everywhere ? api.signOutEverywhere() : api.signOut());
      } finally {
        clearAllDrafts();
        ended(everywhere ? 'You have been signed out on every device.' : 'You have been signed out.');
      }
    },
    [ended],
  );

  const updateAgent = useCallback((agent: Agent) => {
    setState((s) => (s.status === 'signed-in' ? { status: 'signed-in', session: { ...s.session, agent: { ...s.session.agent, ...agent } } } : s));
  }, []);

  return { state, adopt, signOut, retry: probe, updateAgent, expire: ended };
}
