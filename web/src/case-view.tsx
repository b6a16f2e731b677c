/** The open case: its header and actions, the conversation, and the composer (none on a closed case). */
import { CaseHeader } from './case-header.tsx';
import { Composer } from './composer.tsx';
import { Timeline } from './timeline.tsx';
import type { Directory } from './use-directory.ts';
import type { OpenCase } from './use-open-case.ts';
import type { CaseView as CaseViewShape, Role } from './types.ts';

interface Props {
  number: string;
  open: OpenCase;
  meId: string;
  role: Role;
  directory: Directory;
  onBack(): void;
  onCase(c: CaseViewShape): void;
  onError(message: string | null): void;
}

export function CaseView({ number, open, meId, role, directory, onBack, onCase, onError }: Props) {
  const d = open.detail && open.detail.number === number ? open.detail : null;
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
        <>
          <CaseHeader kase={d} meId={meId} role={role} directory={directory} onCase={onCase} onError={onError} />
          <Timeline kase={d} interactions={d.interactions} agentName={directory.agentName} />
          {d.state === 'closed' ? (
            <p class="closed-note">This case is closed. A closed case is final: new messages from the customer open a new case.</p>
          ) : (
            <Composer caseNumber={d.number} onSent={open.reload} />
          )}
        </>
      )}
    </section>
  );
}
