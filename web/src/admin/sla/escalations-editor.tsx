/** What happens when a promise is about to break (warning) or broke (breach): raise, tag, move, assign, notify. */
import { FieldGroup, FormField } from '../team/form-field.tsx';
import { TARGETS, type Escalation, type EscalationAction } from './sla-types.ts';

const KINDS: readonly (readonly [string, string])[] = [
  ['notify:console', 'Alert the consoles'],
  ['notify:slack', 'Post to Slack'],
  ['notify:email', 'Send an email'],
  ['priority', 'Raise the priority'],
  ['tag', 'Add a tag'],
  ['queue', 'Move to a queue'],
  ['assign', 'Assign to'],
];

const kindOf = (a: EscalationAction) => (a.type === 'notify' ? `notify:${a.channel}` : a.type);

function blank(kind: string, queues: readonly string[]): EscalationAction {
  if (kind.startsWith('notify:')) return { type: 'notify', channel: kind.slice(7) as 'slack' | 'console' | 'email' };
  if (kind === 'priority') return { type: 'priority', value: 1 };
  if (kind === 'queue') return { type: 'queue', value: queues[0] ?? '' };
  if (kind === 'assign') return { type: 'assign', value: 'supervisor' };
  return { type: 'tag', value: '' };
}

function ActionValue({ a, label, queues, onChange }: { a: EscalationAction; label: string; queues: readonly string[]; onChange(a: EscalationAction): void }) {
  switch (a.type) {
    case 'priority':
      return (
        <FormField label={`${label}: priority`}>
          {(c) => <select {...c} value={a.value} onChange={(e) => onChange({ ...a, value: Number(e.currentTarget.value) })}>{[1, 2, 3, 4].map((p) => <option key={p} value={p}>{p}</option>)}</select>}
        </FormField>
      );
    case 'queue':
      return (
        <FormField label={`${label}: queue`}>
          {(c) => (
            <select {...c} value={a.value} onChange={(e) => onChange({ ...a, value: e.currentTarget.value })}>
              {!queues.includes(a.value) && <option value={a.value}>{a.value || 'Choose a queue'}</option>}
              {queues.map((q) => <option key={q} value={q}>{q}</option>)}
            </select>
          )}
        </FormField>
      );
    case 'tag':
    case 'assign':
      return (
        <FormField label={`${label}: ${a.type === 'tag' ? 'tag' : 'agent id or “supervisor”'}`}>
          {(c) => <input {...c} type="text" value={a.value} onInput={(e) => onChange({ ...a, value: e.currentTarget.value })} />}
        </FormField>
      );
    case 'notify':
      return a.channel === 'console' ? null : (
        <FormField label={`${label}: to`} hint={a.channel === 'slack' ? 'A channel or user id; empty: the queue’s channel.' : 'The address.'}>
          {(c) => <input {...c} type="text" value={a.to ?? ''} onInput={(e) => onChange(e.currentTarget.value ? { ...a, to: e.currentTarget.value } : { type: 'notify', channel: a.channel })} />}
        </FormField>
      );
  }
}

export function EscalationsEditor({ value, queues, error, onChange }: { value: Escalation[]; queues: readonly string[]; error?: string | undefined; onChange(v: Escalation[]): void }) {
  const set = (i: number, e: Escalation) => onChange(value.map((x, k) => (k === i ? e : x)));
  return (
    <FieldGroup legend="Escalations" error={error}>
      {value.length === 0 && <p class="muted small">None.</p>}
      <ol class="steps">
        {value.map((esc, i) => (
          <li key={i}>
            <fieldset class="admin-group nested">
              <legend>Escalation {i + 1}</legend>
              <div class="form-grid">
                <FormField label={`Escalation ${i + 1}: when`}>
                  {(c) => (
                    <select {...c} value={esc.when} onChange={(e) => set(i, { ...esc, when: e.currentTarget.value as Escalation['when'] })}>
                      <option value="warning">About to break (warning)</option>
                      <option value="breach">Broken (breach)</option>
                    </select>
                  )}
                </FormField>
                <FormField label={`Escalation ${i + 1}: promise`}>
                  {(c) => (
                    <select {...c} value={esc.target} onChange={(e) => set(i, { ...esc, target: e.currentTarget.value as Escalation['target'] })}>
                      <option value="any">Any promise</option>
                      {TARGETS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
                    </select>
                  )}
                </FormField>
              </div>
              {esc.actions.map((a, j) => {
                const label = `Escalation ${i + 1}, action ${j + 1}`;
                const setAction = (next: EscalationAction) => set(i, { ...esc, actions: esc.actions.map((x, k) => (k === j ? next : x)) });
                return (
                  <div key={j} class="step-action">
                    <FormField label={label}>
                      {(c) => (
                        <select {...c} value={kindOf(a)} onChange={(e) => setAction(blank(e.currentTarget.value, queues))}>
                          {KINDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                        </select>
                      )}
                    </FormField>
                    <ActionValue a={a} label={label} queues={queues} onChange={setAction} />
                    <button type="button" class="btn small ghost" onClick={() => set(i, { ...esc, actions: esc.actions.filter((_, k) => k !== j) })}>Remove {label.toLowerCase()}</button>
                  </div>
                );
              })}
              <div class="form-actions">
                <button type="button" class="btn small" onClick={() => set(i, { ...esc, actions: [...esc.actions, { type: 'notify', channel: 'console' }] })}>Add an action to escalation {i + 1}</button>
                <button type="button" class="btn small ghost" onClick={() => onChange(value.filter((_, k) => k !== i))}>Remove escalation {i + 1}</button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <button type="button" class="btn small" onClick={() => onChange([...value, { when: 'breach', target: 'any', actions: [{ type: 'notify', channel: 'console' }] }])}>Add an escalation</button>
    </FieldGroup>
  );
}
