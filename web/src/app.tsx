/** The page: an invitation, the sign-in form, or the workspace, depending on the hash and the session. */
import { useCallback } from 'preact/hooks';
import { InvitePage } from './invite-page.tsx';
import { SignInForm } from './sign-in-form.tsx';
import { useHashRoute } from './use-hash-route.ts';
import { useSession } from './use-session.ts';
import { Workspace } from './workspace.tsx';
import { AdminLoader } from './admin-loader.tsx';
import type { Session } from './types.ts';

export function App() {
  const [route, go] = useHashRoute();
  const s = useSession();

  const signedInFromInvite = useCallback((session: Session) => {
    s.adopt(session);
    go('', true);
  }, [s.adopt, go]);

  if (route.page === 'invite') return <InvitePage token={route.token} onSignedIn={signedInFromInvite} />;

  switch (s.state.status) {
    case 'loading':
      return <main class="auth-page"><p class="auth-card" role="status">Loading Switchboard…</p></main>;
    case 'unreachable':
      return (
        <main class="auth-page">
          <div class="auth-card">
            <h1 class="auth-brand">Switchboard</h1>
            <p class="form-error" role="alert">{s.state.message}</p>
            <button type="button" class="btn primary wide" onClick={s.retry}>Try again</button>
          </div>
        </main>
      );
    case 'signed-out':
      return <SignInForm notice={s.state.notice} onSignedIn={s.adopt} />;
    case 'signed-in':
      if (route.page === 'admin') return <AdminLoader session={s.state.session} section={route.section} go={go} onSignOut={(everywhere) => void s.signOut(everywhere)} />;
      return (
        <Workspace
          key={s.state.session.agent.id}
          session={s.state.session}
          caseNumber={route.page === 'inbox' ? route.caseNumber : null}
          go={go}
          onAgent={s.updateAgent}
          onSignOut={(everywhere) => void s.signOut(everywhere)}
          onSignedOut={() => s.expire('Your session has ended. Sign in again to continue.')}
        />
      );
  }
}
