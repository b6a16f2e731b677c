/** Signed in: header, offers, the inbox and the open case side by side (one column on a phone), all kept live. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CaseView } from './case-view.tsx';
import { InboxList } from './inbox-list.tsx';
import { EMPTY_FILTERS, type Filters, type ViewId, VIEWS } from './inbox-views.ts';
import { OfferPanel } from './offer-card.tsx';
import { useCaseIndex } from './use-case-index.ts';
import { useDirectory } from './use-directory.ts';
import { useInbox } from './use-inbox.ts';
import { useOffers } from './use-offers.ts';
import { useOpenCase } from './use-open-case.ts';
import { useStream } from './use-stream.ts';
import { WorkspaceHeader } from './workspace-header.tsx';
import { isCaseFrame, type Agent, type CaseView as CaseViewShape, type Session, type StreamFrame } from './types.ts';

const PREFS = 'switchboard.inbox';

function loadPrefs(): { view: ViewId; filters: Filters } {
  try {
    const p = JSON.parse(sessionStorage.getItem(PREFS) ?? 'null') as { view?: ViewId; filters?: Partial<Filters> } | null;
    const view = VIEWS.some((v) => v.id === p?.view) ? p!.view! : 'mine';
    return { view, filters: { ...EMPTY_FILTERS, ...(p?.filters ?? {}) } };
  } catch {
    return { view: 'mine', filters: EMPTY_FILTERS };
  }
}

interface Props {
  session: Session;
  caseNumber: string | null;
  go(hash: string): void;
  onAgent(a: Agent): void;
  onSignOut(everywhere: boolean): void;
  onSignedOut(): void;
}

export function Workspace({ session, caseNumber, go, onAgent, onSignOut, onSignedOut }: Props) {
  const meId = session.agent.id;
  const [view, setView] = useState<ViewId>(() => loadPrefs().view);
  const [filters, setFilters] = useState<Filters>(() => loadPrefs().filters);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    try { sessionStorage.setItem(PREFS, JSON.stringify({ view, filters })); } catch { /* ignore */ }
  }, [view, filters]);

  const directory = useDirectory();
  const index = useCaseIndex(meId);
  const inbox = useInbox(view, filters, meId, caseNumber);
  const open = useOpenCase(caseNumber);
  const offers = useOffers(index.offers);

  const applyCase = useCallback((c: CaseViewShape) => {
    index.apply(c);
    inbox.apply(c);
    open.update(c);
  }, [index.apply, inbox.apply, open.update]);

  const onFrame = useCallback((f: StreamFrame) => {
    if (!isCaseFrame(f)) return;
    index.apply(f.case);
    inbox.apply(f.case);
    open.applyFrame(f);
    if (f.type === 'sla.alert' && f.alert && (f.case.assignee === meId || !f.case.assignee)) {
      setNotice(`${f.case.number}: ${f.alert.target.replace(/([A-Z])/g, ' $1').toLowerCase()} ${f.alert.when === 'breach' ? 'is overdue' : 'is due soon'}`);
    } else if (f.type === 'assignment.alert') {
      setNotice(`${f.case.number}: ${f.reason ?? 'nobody has taken this case'}`);
    }
  }, [index.apply, inbox.apply, open.applyFrame, meId]);

  const onResync = useCallback(() => {
    inbox.reload();
    index.reload();
    open.reload();
    directory.reload();
  }, [inbox.reload, index.reload, open.reload, directory.reload]);

  const stream = useStream(true, { onFrame, onResync, onSignedOut });

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 15_000);
    return () => clearTimeout(t);
  }, [notice]);

  // keep the header's presence in step with changes made elsewhere (the gateway sets away after missed offers)
  const me = directory.agents.find((a) => a.id === meId);
  const lastPresence = useRef<string | null>(null);
  useEffect(() => {
    if (me && me.presence !== lastPresence.current) {
      lastPresence.current = me.presence;
      if (me.presence !== session.agent.presence) onAgent({ ...session.agent, presence: me.presence, presenceReason: me.presenceReason });
    }
  }, [me, session.agent, onAgent]);

  const openCase = (number: string) => go(`#/case/${number}`);
  const back = () => {
    go('');
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.case-list a[aria-current="true"], .tab.selected')?.focus());
  };

  return (
    <div class={`workspace${caseNumber ? ' has-case' : ''}`}>
      <WorkspaceHeader agent={session.agent} role={session.role} stream={stream} onAgent={onAgent} onSignOut={onSignOut} onError={setError} />
      {error && (
        <div class="banner error" role="alert">
          <span>{error}</span>
          <button type="button" class="btn link" onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
      <div class="banner notice" role="status" aria-live="polite" hidden={!notice}>{notice}</div>
      <OfferPanel
        offers={offers}
        queues={directory.queues}
        onAccepted={(c) => { applyCase(c); setError(null); openCase(c.number); }}
        onDeclined={(c) => applyCase(c)}
      />
      <main class="panes">
        <InboxList
          inbox={inbox}
          view={view}
          filters={filters}
          counts={index.counts}
          queues={directory.queues}
          meId={meId}
          openNumber={caseNumber}
          agentName={directory.agentName}
          onView={setView}
          onFilters={setFilters}
        />
        {caseNumber ? (
          <CaseView number={caseNumber} open={open} meId={meId} role={session.role} directory={directory} onBack={back} onCase={applyCase} onError={setError} />
        ) : (
          <section class="case placeholder" aria-label="Case">
            <p>Pick a case from the list{offers.length ? ', or accept an offer' : ''}.</p>
          </section>
        )}
      </main>
    </div>
  );
}
