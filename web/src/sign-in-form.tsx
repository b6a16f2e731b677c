/** Signed out: email and password. Errors (wrong password, too many attempts) are read out in an alert. */
import { Field } from './field.tsx';
import { useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import type { Session } from './types.ts';

export function SignInForm({ notice, onSignedIn }: { notice?: string | undefined; onSignedIn(s: Session): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(email.trim(), password));
    } catch (err) {
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth-page">
      <form class="auth-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" class="auth-brand">Switchboard</h1>
        <p class="auth-sub">Sign in to the agent workspace</p>
        {notice && !error && <p class="auth-notice" role="status">{notice}</p>}
        {error && <p class="form-error" role="alert">{error}</p>}
        <Field label="Email">{(id) => (
          <input id={id} type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        )}</Field>
        <Field label="Password">{(id) => (
          <input id={id} type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        )}</Field>
        <button type="submit" class="btn primary wide" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
