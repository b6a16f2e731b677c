/** The open case's facts and what can be done with it: claim, release, resolve, reopen, wait, close, priority, queue, assignee. */
import { Field } from './field.tsx';
import { useState } from 'preact/hooks';
import { api, errorMessage, type CasePatch } from './api-client.ts';
import { channelLabel, contactOf, PRIORITY_LABELS, stateLabel } from './format.ts';
import { CaseTags } from './case-tags.tsx';
import { SlaBadge } from './sla-badge.tsx';
import type { Directory } from './use-directory.ts';
import type { CaseView, Role } from './types.ts';

interface Props {
  kase: CaseView;
  meId: string;
  role: Role;
  directory: Directory;
  onCase(c: CaseView): void;
  onError(message: string | null): void;
}

export function CaseHeader({ kase: c, meId, role, directory, onCase, onError }: Props) {
  const [busy, setBusy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const closed = c.state === 'closed';
  const supervisor = role === 'supervisor' || role === 'admin';
  const mine = c.assignee === meId;

  async function run(action: () => Promise<CaseView>) {
    setBusy(true);
    try {
      onCase(await action());
      onError(null);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
      setConfirmClose(false);
    }
  }
  const patch = (p: CasePatch) => run(() => api.patchCase(c.number, p));

  const contactDetails = [c.contact.name, c.contact.email, c.contact.phone].filter(Boolean).join(' · ');
  const queueNames = directory.queues.map((q) => q.name);
  if (c.queue && !queueNames.includes(c.queue)) queueNames.unshift(c.queue);

  return (
    <header class="case-header">
      <div class="case-title-row">
        <h2 class="case-title">
          <span class="num">{c.number}</span> <span class="case-subject">{c.subject || '(no subject)'}</span>
        </h2>
      </div>
      <dl class="facts">
        <div><dt>State</dt><dd><span class={`badge state state-${c.state}`}>{stateLabel(c.state)}</span></dd></div>
        <div><dt>Priority</dt><dd><span class={`badge prio p${c.priority}`}>P{c.priority} {PRIORITY_LABELS[c.priority]}</span></dd></div>
        <div><dt>Queue</dt><dd>{c.queue ?? '—'}</dd></div>
        <div><dt>Assignee</dt><dd>{mine ? `${directory.agentName(c.assignee)} (you)` : directory.agentName(c.assignee)}</dd></div>
        {c.offeredTo && <div><dt>Offered to</dt><dd>{c.offeredTo === meId ? 'You' : directory.agentName(c.offeredTo)}</dd></div>}
        <div><dt>Channel</dt><dd>{channelLabel(c.channel)}</dd></div>
        <div><dt>Contact</dt><dd title={contactDetails}>{contactDetails || contactOf(c)}</dd></div>
        <div><dt>Sentiment</dt><dd>{c.sentiment.toFixed(2)}{c.frustrated ? ' (frustrated)' : ''}</dd></div>
        {c.category && <div><dt>Category</dt><dd>{c.category}</dd></div>}
        {c.linkedCase && <div><dt>Follows</dt><dd><a href={`#/case/${c.linkedCase}`}>{c.linkedCase}</a></dd></div>}
        {c.sla && <div><dt>SLA</dt><dd><span class="sla-policy">{c.sla.policy}</span> <SlaBadge kase={c} long /></dd></div>}
      </dl>
      <CaseTags kase={c} disabled={closed} onCase={onCase} />
      <div class="actions" role="group" aria-label="Case actions">
        {!closed && !mine && <button type="button" class="btn primary" data-claim disabled={busy} onClick={() => void run(() => api.claim(c.number))}>Claim</button>}
        {!closed && mine && <button type="button" class="btn" disabled={busy} onClick={() => void patch({ assignee: null })}>Release</button>}
        {!closed && c.state !== 'resolved' && <button type="button" class="btn" disabled={busy} onClick={() => void patch({ state: 'resolved' })}>Resolve</button>}
        {c.state === 'resolved' && <button type="button" class="btn" disabled={busy} onClick={() => void patch({ state: 'open' })}>Reopen</button>}
        {(c.state === 'new' || c.state === 'open') && (
          <button type="button" class="btn" disabled={busy} onClick={() => void patch({ state: 'awaiting_customer' })}>Awaiting customer</button>
        )}
        {!closed && !confirmClose && <button type="button" class="btn ghost" disabled={busy} onClick={() => setConfirmClose(true)}>Close…</button>}
        {!closed && confirmClose && (
          <span class="confirm" role="group" aria-label="Confirm closing">
            <span>A closed case is final.</span>
            <button type="button" class="btn danger" disabled={busy} onClick={() => void patch({ state: 'closed' })}>Close case</button>
            <button type="button" class="btn ghost" onClick={() => setConfirmClose(false)}>Keep open</button>
          </span>
        )}
        <Field class="inline" label="Priority">{(id) => (
          <select id={id} value={String(c.priority)} disabled={busy || closed} onChange={(e) => void patch({ priority: Number(e.currentTarget.value) })}>
            {[1, 2, 3, 4].map((p) => <option key={p} value={String(p)}>P{p} {PRIORITY_LABELS[p]}</option>)}
          </select>
        )}</Field>
        <Field class="inline" label="Queue">{(id) => (
          <select id={id} value={c.queue ?? ''} disabled={busy || closed} onChange={(e) => { const q = e.currentTarget.value; if (q) void patch({ queue: q }); }}>
            {!c.queue && <option value="">No queue</option>}
            {queueNames.map((q) => <option key={q} value={q}>{q}</option>)}
          </select>
        )}</Field>
        {supervisor && (
          <Field class="inline" label="Assign to">{(id) => (
            <select id={id} data-assign-control value={c.assignee ?? ''} disabled={busy || closed} onChange={(e) => void patch({ assignee: e.currentTarget.value || null })}>
              <option value="">Nobody</option>
              {directory.agents.map((a) => <option key={a.id} value={a.id}>{a.name}{a.id === meId ? ' (you)' : ''}</option>)}
            </select>
          )}</Field>
        )}
      </div>
    </header>
  );
}
