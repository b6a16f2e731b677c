/**
 * The admin workspace at #/admin/<section>: a bar with the way back to the inbox, the sections the caller's
 * role opens, and the section itself. Agents are told they may not be here (the API refuses them too).
 */
import type { ComponentType } from 'preact';
import type { Session } from '../types.ts';
import { ADMIN_SECTIONS, mayOpen } from './admin-sections.ts';
import { SECTION_PAGES } from './section-pages.ts';

export interface SectionProps {
  session: Session;
  /** supervisors see some sections without the controls that change things */
  readOnly: boolean;
  go(hash: string): void;
}

interface Props {
  session: Session;
  section: string;
  go(hash: string): void;
  onSignOut(everywhere: boolean): void;
}

export function AdminApp({ session, section, go, onSignOut }: Props) {
  const open = ADMIN_SECTIONS.filter((s) => mayOpen(session.role, s));
  const current = open.find((s) => s.id === section) ?? (section === '' ? open[0] : undefined);
  const Page: ComponentType<SectionProps> | undefined = current ? SECTION_PAGES[current.id] : undefined;
  return (
    <div class="admin">
      <header class="topbar">
        <span class="brand">Switchboard</span>
        <span class="admin-title">Administration</span>
        <span class="spacer" />
        <a class="btn ghost" href="#/">Back to the inbox</a>
        <span class="who">
          <span class="who-name">{session.agent.name}</span>
          <span class="who-role">{session.role === 'admin' ? 'Admin' : session.role === 'supervisor' ? 'Supervisor' : 'Agent'}</span>
        </span>
        <button type="button" class="btn ghost" onClick={() => onSignOut(false)}>Sign out</button>
      </header>
      {open.length === 0 ? (
        <main class="admin-main">
          <h1>Administration</h1>
          <p role="alert">Only supervisors and admins open these pages. Ask an admin if you need a change.</p>
        </main>
      ) : (
        <div class="admin-body">
          <nav class="admin-nav" aria-label="Administration">
            <ul>
              {open.map((s) => (
                <li key={s.id}>
                  <a href={`#/admin/${s.id}`} aria-current={s.id === current?.id ? 'page' : undefined}>{s.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <main class="admin-main">
            {current && Page ? (
              <Page session={session} readOnly={session.role !== 'admin'} go={go} />
            ) : (
              <>
                <h1>Administration</h1>
                <p role="alert">{current ? `${current.label} is not ready yet.` : 'This page is for admins only, or does not exist.'}</p>
              </>
            )}
          </main>
        </div>
      )}
    </div>
  );
}
