/** #/invite/<token>: a new agent chooses a password and is signed in. */
import { Field } from './field.tsx';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from './api-client.ts';
import type { Session } from './types.ts';

const MIN_LENGTH = 10;

export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn(s: Session): void }) {
  const [invite, setInvite] = useState<{ name: string; email: string } | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.invitation(token).then(setInvite, (e: unknown) => {
      setInvalid(e instanceof ApiError && e.status === 404 ? 'This invitation link is not valid any more. Ask your administrator for a new one.' : errorMessage(e));
    });
  }, [token]);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    // the length rule is the server's: its message is shown as it says it
    if (password !== confirm) { setError('The two passwords are not the same.'); return; }
    setBusy(true);
    try {
      onSignedIn(await api.acceptInvitation(token, password));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setInvalid('This invitation link is not valid any more. Ask your administrator for a new one.');
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth-page">
      <div class="auth-card">
        <h1 class="auth-brand">Switchboard</h1>
        {invalid ? (
          <>
            <p class="form-error" role="alert">{invalid}</p>
            <a class="btn wide" href="#">Go to sign in</a>
          </>
        ) : !invite ? (
          <p role="status">Checking your invitation…</p>
        ) : (
          <form onSubmit={submit} aria-labelledby="invite-title" class="auth-form">
            <h2 id="invite-title" class="auth-title">Welcome, {invite.name}</h2>
            <p class="auth-sub">Choose a password for {invite.email}. It needs at least {MIN_LENGTH} characters.</p>
            {error && <p class="form-error" role="alert">{error}</p>}
            <Field label="Password">{(id) => (
              <input id={id} type="password" autocomplete="new-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            )}</Field>
            <Field label="Confirm password">{(id) => (
              <input id={id} type="password" autocomplete="new-password" required value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
            )}</Field>
            <button type="submit" class="btn primary wide" disabled={busy}>{busy ? 'Setting password…' : 'Set password'}</button>
          </form>
        )}
      </div>
    </main>
  );
}
