/** Changes for the selected cases: assign (supervisors and admins), move, set the state, add a tag; one PATCH per case. */
import { useState } from 'preact/hooks';
import { api, type CasePatch } from './api-client.ts';
import { describeBulk, runBulk } from './bulk-run.ts';
import { canEditTags, MAX_TAG_LENGTH } from './case-tags.tsx';
import { Field } from './field.tsx';
import { stateLabel } from './format.ts';
import type { Directory } from './use-directory.ts';
import { CASE_STATES, type CaseView, type Role } from './types.ts';

interface Props {
  selected: CaseView[];
  role: Role;
  directory: Directory;
  onCase(c: CaseView): void;
  onClear(): void;
  /** what happened, for the status line the list keeps (the toolbar goes when the selection empties) */
  onReport(text: string | null): void;
}

export function BulkToolbar({ selected, role, directory, onCase, onClear, onReport }: Props) {
  const [assignee, setAssignee] = useState('');
  const [queue, setQueue] = useState('');
  const [state, setState] = useState('');
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const supervisor = role === 'supervisor' || role === 'admin';

  async function apply(patchOf: (c: CaseView) => CasePatch | null, what: (n: number) => string) {
    const patches = new Map<string, CasePatch>();
    for (const c of selected) {
      const p = patchOf(c);
      if (p) patches.set(c.number, p);
    }
    setBusy(true);
    const n = patches.size;
    onReport(`Working on ${n} ${n === 1 ? 'case' : 'cases'}…`);
    const result = await runBulk([...patches.keys()], async (number) => {
      const updated = await api.patchCase(number, patches.get(number)!);
      onCase(updated);
      return updated;
    });
    setBusy(false);
    onReport(n ? describeBulk(result, what) : 'Nothing to change.');
  }

  const count = selected.length;
  const stop = (e: Event) => e.preventDefault();
  return (
    <div class="bulk" role="toolbar" aria-label="Bulk actions">
      <span class="bulk-count">{count} selected</span>
      {supervisor && (
        <form class="bulk-group" onSubmit={(e) => { stop(e); if (assignee) void apply(() => ({ assignee }), () => `assigned to ${directory.agentName(assignee)}`); }}>
          <Field class="inline" label="Assign to">{(id) => (
            <select id={id} value={assignee} disabled={busy} onChange={(e) => setAssignee(e.currentTarget.value)}>
              <option value="">Choose…</option>
              {directory.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          )}</Field>
          <button type="submit" class="btn small" disabled={busy || !assignee}>Assign</button>
        </form>
      )}
      <form class="bulk-group" onSubmit={(e) => { stop(e); if (queue) void apply(() => ({ queue }), () => `moved to ${queue}`); }}>
        <Field class="inline" label="Move to queue">{(id) => (
          <select id={id} value={queue} disabled={busy} onChange={(e) => setQueue(e.currentTarget.value)}>
            <option value="">Choose…</option>
            {directory.queues.map((q) => <option key={q.id} value={q.name}>{q.name}</option>)}
          </select>
        )}</Field>
        <button type="submit" class="btn small" disabled={busy || !queue}>Move</button>
      </form>
      <form class="bulk-group" onSubmit={(e) => { stop(e); if (state) void apply(() => ({ state }), () => `set to ${stateLabel(state).toLowerCase()}`); }}>
        <Field class="inline" label="Set state">{(id) => (
          <select id={id} value={state} disabled={busy} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">Choose…</option>
            {CASE_STATES.map((s) => <option key={s} value={s}>{stateLabel(s)}</option>)}
          </select>
        )}</Field>
        <button type="submit" class="btn small" disabled={busy || !state}>Apply</button>
      </form>
      {canEditTags() && <form
        class="bulk-group"
        onSubmit={(e) => {
          stop(e);
          const t = tag.trim();
          if (t) void apply((c) => (c.tags.includes(t) ? null : { tags: [...c.tags, t] }), () => `tagged ${t}`).then(() => setTag(''));
        }}
      >
        <Field class="inline" label="Add tag">{(id) => (
          <input id={id} type="text" maxLength={MAX_TAG_LENGTH} value={tag} disabled={busy} onInput={(e) => setTag(e.currentTarget.value)} />
        )}</Field>
        <button type="submit" class="btn small" disabled={busy || !tag.trim()}>Tag</button>
      </form>}
      <button type="button" class="btn small ghost" onClick={onClear}>Clear selection</button>
    </div>
  );
}
