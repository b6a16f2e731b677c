/**
 * The admin area, loaded the first time someone opens it: its pages are most of the app's code and
 * agents never need them, so the inbox's first load leaves them out.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentProps } from 'preact';
import type { AdminApp as AdminAppComponent } from './admin/admin-app.tsx';

type Props = ComponentProps<typeof AdminAppComponent>;

let loaded: typeof AdminAppComponent | null = null;

export function AdminLoader(props: Props) {
  const [Admin, setAdmin] = useState<typeof AdminAppComponent | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Admin) return;
    import('./admin/admin-app.tsx').then(
      (m) => {
        loaded = m.AdminApp;
        setAdmin(() => m.AdminApp);
      },
      () => setFailed(true),
    );
  }, [Admin]);
  if (Admin) return <Admin {...props} />;
  return (
    <main class="auth-page">
      <p class="auth-card" role={failed ? 'alert' : 'status'}>
        {failed ? 'The administration pages could not be loaded. Reload the page to try again.' : 'Loading administration…'}
      </p>
    </main>
  );
}
