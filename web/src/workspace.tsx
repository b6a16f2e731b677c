/** Signed in: header, offers, the inbox and the open case side by side (one column on a phone), all kept live. */
import { playOfferChime } from './offer-sound.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import { CannedDialog } from './canned-dialog.tsx';
import { CaseView } from './case-view.tsx';
import { CommandPalette, type Command } from './command-palette.tsx';
import type { ComposerControl } from './composer.tsx';
import { InboxList } from './inbox-list.tsx';
import { EMPTY_FILTERS, type Filters, type ViewId, VIEWS } from './inbox-views.ts';
import { OfferPanel } from './offer-card.tsx';
import { ShortcutsHelp } from './shortcuts-help.tsx';
import { useCanned } from './use-canned.ts';
import { useCaseWatch, type CaseWatch } from './use-case-watch.ts';
import { useCounts } from './use-counts.ts';
import { useDirectory } from './use-directory.ts';
import { useInbox } from './use-inbox.ts';
import { useOfferList } from './use-offer-list.ts';
import { useOffers } from './use-offers.ts';
import { useOpenCase } from './use-open-case.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { useStream } from './use-stream.ts';
import { changePresence, PRESENCE_LABELS, WorkspaceHeader } from './workspace-header.tsx';
import { isCaseFrame, isPresenceFrame, PRESENCES, type Agent, type CaseView as CaseViewShape, type Session, type StreamFrame } from './types.ts';

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

type DialogId = 'canned' | 'palette' | 'help' | null;

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
  const role = session.role;
  const supervisor = role === 'supervisor' || role === 'admin';
  const [view, setView] = useState<ViewId>(() => loadPrefs().view);
  const [filters, setFilters] = useState<Filters>(() => loadPrefs().filters);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogId>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const composer = useRef<ComposerControl | null>(null);

  useEffect(() => {
    try { sessionStorage.setItem(PREFS, JSON.stringify({ view, filters })); } catch { /* ignore */ }
  }, [view, filters]);

  const myQueues = session.agent.queues ?? [];
  const directory = useDirectory();
  const counts = useCounts();
  const offerList = useOfferList(meId);
  const inbox = useInbox(view, filters, meId, myQueues, caseNumber);
  const open = useOpenCase(caseNumber);
  const offers = useOffers(offerList.offers);
  const canned = useCanned();
  const watchRef = useRef<CaseWatch | null>(null);

  const applyCase = useCallback((c: CaseViewShape) => {
    offerList.apply(c);
    inbox.apply(c);
    open.update(c);
    counts.touch();
  }, [offerList.apply, inbox.apply, open.update, counts.touch]);

  const onFrame = useCallback((f: StreamFrame) => {
    if (isPresenceFrame(f)) { watchRef.current?.onPresence(f); return; }
    if (!isCaseFrame(f)) return;
    offerList.apply(f.case);
    inbox.apply(f.case);
    open.applyFrame(f);
    counts.touch();
    if (f.type === 'sla.alert' && f.alert && (f.case.assignee === meId || !f.case.assignee)) {
      setNotice(`${f.case.number}: ${f.alert.target.replace(/([A-Z])/g, ' $1').toLowerCase()} ${f.alert.when === 'breach' ? 'is overdue' : 'is due soon'}`);
    } else if (f.type === 'assignment.alert') {
      setNotice(`${f.case.number}: ${f.reason ?? 'nobody has taken this case'}`);
    } else if (f.type === 'note.mention' && meId && f.mentioned?.includes(meId)) {
      const by = f.interaction?.agentId ? directory.agentName(f.interaction.agentId) : 'Someone';
      setNotice(`${by} mentioned you on ${f.case.number}: ${(f.interaction?.text ?? '').slice(0, 120)}`);
      playOfferChime();
    }
  }, [offerList.apply, inbox.apply, open.applyFrame, counts.touch, meId, directory.agentName]);

  const onResync = useCallback(() => {
    inbox.reload();
    offerList.reload();
    open.reload();
    directory.reload();
    counts.reload();
  }, [inbox.reload, offerList.reload, open.reload, directory.reload, counts.reload]);

  const stream = useStream(true, { onFrame, onResync, onSignedOut, onOpen: () => watchRef.current?.resend() });
  const watch = useCaseWatch(stream.send, caseNumber, meId);
  watchRef.current = watch;

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

  const openCase = useCallback((number: string) => go(`#/case/${number}`), [go]);
  const back = () => {
    go('');
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.case-list a[aria-current="true"], .tab.selected')?.focus());
  };

  const openDetail = open.detail && open.detail.number === caseNumber ? open.detail : null;

  const resolveOpen = useCallback(() => {
    const d = openDetail;
    if (!d || d.state === 'resolved' || d.state === 'closed') return;
    api.patchCase(d.number, { state: 'resolved' }).then(
      (c) => { applyCase(c); setNotice(`${c.number} resolved.`); },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [openDetail, applyCase]);

  const claimOpen = useCallback(() => {
    const d = openDetail;
    if (!d || d.state === 'closed' || d.assignee === meId) return;
    api.claim(d.number).then(
      (c) => { applyCase(c); setNotice(`You claimed ${c.number}.`); },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [openDetail, applyCase, meId]);

  const applyView = useCallback((v: ViewId, f: Filters) => { setView(v); setFilters(f); }, []);

  const chooseView = useCallback((v: ViewId) => {
    setView(v);
    requestAnimationFrame(() => document.getElementById(`tab-${v}`)?.focus());
  }, []);

  useShortcuts({
    move(step) {
      const items = inbox.items;
      if (!items.length) return;
      const from = items.findIndex((c) => c.number === (cursor ?? caseNumber));
      const at = from < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, from + step));
      const number = items[at]!.number;
      setCursor(number);
      const link = document.getElementById(`row-${number}`);
      link?.focus();
      link?.scrollIntoView({ block: 'nearest' });
    },
    open() { if (cursor) openCase(cursor); },
    reply(internal) { composer.current?.focus(internal); },
    resolve: resolveOpen,
    assign() {
      if (!openDetail) return;
      const select = document.querySelector<HTMLSelectElement>('[data-assign-control]');
      if (supervisor && select) { select.focus(); try { select.showPicker(); } catch { /* focus is enough */ } }
      else claimOpen();
    },
    search() { document.querySelector<HTMLInputElement>('.filters input[type="search"]')?.focus(); },
    palette() { setDialog('palette'); },
    help() { setDialog('help'); },
    escape() { setCursor(null); },
  });

  const commands = useMemo<Command[]>(() => {
    const list: Command[] = VIEWS.map((v) => ({ id: `view-${v.id}`, label: `Go to ${v.label}`, run: () => { if (caseNumber) go(''); chooseView(v.id); } }));
    if (openDetail && openDetail.state !== 'resolved' && openDetail.state !== 'closed') list.push({ id: 'resolve', label: `Resolve ${openDetail.number}`, run: resolveOpen });
    if (openDetail && openDetail.state !== 'closed' && openDetail.assignee !== meId) list.push({ id: 'claim', label: `Claim ${openDetail.number}`, run: claimOpen });
    for (const p of PRESENCES) {
      list.push({ id: `presence-${p}`, label: `Set presence: ${PRESENCE_LABELS[p]}`, run: () => void changePresence(session.agent, p, onAgent, setError) });
    }
    if (canned.supported) list.push({ id: 'canned', label: 'Open canned responses', run: () => setDialog('canned') });
    list.push({ id: 'help', label: 'Show keyboard shortcuts', run: () => setDialog('help') });
    list.push({ id: 'sign-out', label: 'Sign out', run: () => onSignOut(false) });
    return list;
  }, [caseNumber, openDetail, meId, canned.supported, session.agent, onAgent, onSignOut, resolveOpen, claimOpen, chooseView, go]);

  const closeDialog = useCallback(() => setDialog(null), []);

  return (
    <div class={`workspace${caseNumber ? ' has-case' : ''}`}>
      <WorkspaceHeader
        agent={session.agent}
        role={role}
        stream={stream.status}
        onAgent={onAgent}
        onSignOut={onSignOut}
        onError={setError}
        onCanned={canned.supported ? () => setDialog('canned') : null}
        onHelp={() => setDialog('help')}
      />
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
          counts={counts.counts}
          directory={directory}
          meId={meId}
          role={role}
          openNumber={caseNumber}
          cursorNumber={cursor}
          onView={setView}
          onFilters={setFilters}
          onApplyView={applyView}
          onCase={applyCase}
        />
        {caseNumber ? (
          <CaseView
            number={caseNumber}
            open={open}
            meId={meId}
            meName={session.agent.name}
            role={role}
            directory={directory}
            canned={canned}
            watch={watch}
            composer={composer}
            onBack={back}
            onCase={applyCase}
            onError={setError}
          />
        ) : (
          <section class="case placeholder" aria-label="Case">
            <p>Pick a case from the list{offers.length ? ', or accept an offer' : ''}. Press <kbd>?</kbd> for keyboard shortcuts.</p>
          </section>
        )}
      </main>
      {dialog === 'canned' && <CannedDialog canned={canned} queues={directory.queues} meId={meId} role={role} onClose={closeDialog} />}
      {dialog === 'palette' && <CommandPalette commands={commands} openCase={openCase} onClose={closeDialog} />}
      {dialog === 'help' && <ShortcutsHelp onClose={closeDialog} />}
    </div>
  );
}
