/**
 * The open case: its header and actions, the conversation, who else is on it, and the composer (none on a
 * closed case); beside it the customer (below a "Customer" toggle on narrow screens).
 */
import { useState } from 'preact/hooks';
import { AlsoHere } from './also-here.tsx';
import { api } from './api-client.ts';
import { CaseHeader } from './case-header.tsx';
import { Composer, type ComposerControl } from './composer.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { revealInteraction, Timeline } from './timeline.tsx';
import { RoutingTrace } from './routing-trace.tsx';
import type { Canned } from './use-canned.ts';
import type { CaseWatch } from './use-case-watch.ts';
import type { Directory } from './use-directory.ts';
import type { OpenCase } from './use-open-case.ts';
import type { CaseView as CaseViewShape, Role } from './types.ts';

interface Props {
  number: string;
  open: OpenCase;
  meId: string;
  meName: string;
  role: Role;
  directory: Directory;
  canned: Canned;
  watch: CaseWatch;
  composer: { current: ComposerControl | null };
  onBack(): void;
  onCase(c: CaseViewShape): void;
  onError(message: string | null): void;
}

export function CaseView({ number, open, meId, meName, role, directory, canned, watch, composer, onBack, onCase, onError }: Props) {
  const d = open.detail && open.detail.number === number ? open.detail : null;
  const [showCustomer, setShowCustomer] = useState(false);
  const sideId = `customer-${number}`;
  return (
    <section class="case" aria-label={`Case ${number}`}>
      <div class="case-nav">
        <button type="button" class="btn ghost back" onClick={onBack}>← Back to inbox</button>
      </div>
      {!d && open.error && (
        <div class="list-error" role="alert">
          {open.error} <button type="button" class="btn link" onClick={open.reload}>Try again</button>
        </div>
      )}
      {!d && !open.error && <p class="loading" role="status">Loading {number}…</p>}
      {d && (
        <div class="case-body">
          <div class="case-main">
            <CaseHeader kase={d} meId={meId} role={role} directory={directory} onCase={onCase} onError={onError} />
            <div class="customer-toggle-bar">
              <button type="button" class="btn small" aria-expanded={showCustomer} aria-controls={sideId} onClick={() => setShowCustomer((s) => !s)}>
                Customer
              </button>
            </div>
            <RoutingTrace routing={d.routing} />
            <Timeline
              kase={d}
              interactions={d.interactions}
              agentName={directory.agentName}
              onResend={(id) => api.resend(d.number, id).then(() => open.reload(), (e: unknown) => onError(e instanceof Error ? e.message : String(e)))}
            />
            <AlsoHere viewers={watch.viewers} />
            {d.state === 'closed' ? (
              <p class="closed-note">This case is closed. A closed case is final: new messages from the customer open a new case.</p>
            ) : (
              <Composer
                kase={d}
                meId={meId}
                meName={meName}
                agentName={directory.agentName}
                agents={directory.agents}
                canned={canned.supported ? canned.forQueue(d.queue) : null}
                control={composer}
                onSent={open.reload}
                onTyping={watch.typing}
                onReview={revealInteraction}
              />
            )}
          </div>
          <CustomerPanel kase={d} open={showCustomer} id={sideId} />
        </div>
      )}
    </section>
  );
}
