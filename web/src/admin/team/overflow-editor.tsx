/** A queue's overflow steps: after so many seconds of waiting, do these things to the case. */
import { FieldGroup, FormField } from './form-field.tsx';
import type { OverflowAction, OverflowStep } from './team-types.ts';

const ACTIONS: readonly (readonly [OverflowAction['type'], string])[] = [
  ['relaxSkills', 'Drop its required skills'],
  ['widen', 'Let agents of other queues take it'],
  ['move', 'Move it to another queue'],
  ['priority', 'Raise its priority'],
  ['alert', 'Alert the consoles'],
];

function blankAction(type: OverflowAction['type'], queues: readonly string[]): OverflowAction {
  switch (type) {
    case 'widen': return { type, queues: [] };
    case 'move': return { type, queue: queues[0] ?? '' };
    case 'priority': return { type, value: 1 };
    default: return { type };
  }
}

interface Props {
  steps: OverflowStep[];
  /** the other queues' names */
  queues: readonly string[];
  error?: string | undefined;
  disabled?: boolean;
  onChange(steps: OverflowStep[]): void;
}

export function OverflowEditor({ steps, queues, error, disabled, onChange }: Props) {
  const setStep = (i: number, step: OverflowStep) => onChange(steps.map((s, k) => (k === i ? step : s)));
  const setAction = (i: number, j: number, action: OverflowAction) => setStep(i, { ...steps[i]!, actions: steps[i]!.actions.map((a, k) => (k === j ? action : a)) });
  return (
    <FieldGroup legend="Overflow steps" error={error} hint="What happens to a case that waits too long, step by step.">
      {steps.length === 0 && <p class="muted small">No steps: a case waits in this queue until someone takes it.</p>}
      <ol class="steps">
        {steps.map((step, i) => (
          <li key={i} class="step">
            <fieldset class="admin-group nested">
              <legend>Step {i + 1}</legend>
              <FormField label={`Step ${i + 1}: after (seconds of waiting)`}>
                {(c) => (
                  <input {...c} type="number" min={1} value={Number.isNaN(step.afterSeconds) ? '' : step.afterSeconds} disabled={disabled}
                    onInput={(e) => setStep(i, { ...step, afterSeconds: e.currentTarget.value === '' ? Number.NaN : Number(e.currentTarget.value) })} />
                )}
              </FormField>
              {step.actions.map((a, j) => (
                <div key={j} class="step-action">
                  <FormField label={`Step ${i + 1}, action ${j + 1}`}>
                    {(c) => (
                      <select {...c} value={a.type} disabled={disabled} onChange={(e) => setAction(i, j, blankAction(e.currentTarget.value as OverflowAction['type'], queues))}>
                        {ACTIONS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
                      </select>
                    )}
                  </FormField>
                  {a.type === 'move' && (
                    <FormField label={`Step ${i + 1}, action ${j + 1}: to queue`}>
                      {(c) => (
                        <select {...c} value={a.queue} disabled={disabled} onChange={(e) => setAction(i, j, { type: 'move', queue: e.currentTarget.value })}>
                          {!queues.includes(a.queue) && <option value={a.queue}>{a.queue || 'Choose a queue'}</option>}
                          {queues.map((q) => <option key={q} value={q}>{q}</option>)}
                        </select>
                      )}
                    </FormField>
                  )}
                  {a.type === 'priority' && (
                    <FormField label={`Step ${i + 1}, action ${j + 1}: to priority`}>
                      {(c) => (
                        <select {...c} value={a.value} disabled={disabled} onChange={(e) => setAction(i, j, { type: 'priority', value: Number(e.currentTarget.value) })}>
                          {[1, 2, 3, 4].map((p) => <option key={p} value={p}>{p}{p === 1 ? ' (highest)' : ''}</option>)}
                        </select>
                      )}
                    </FormField>
                  )}
                  {a.type === 'widen' && (
                    <fieldset class="admin-group nested checks">
                      <legend>Step {i + 1}, action {j + 1}: agents of</legend>
                      {queues.map((q) => (
                        <label key={q} class="choice">
                          <input type="checkbox" checked={a.queues.includes(q)} disabled={disabled}
                            onChange={(e) => setAction(i, j, { type: 'widen', queues: e.currentTarget.checked ? [...a.queues, q] : a.queues.filter((x) => x !== q) })} />
                          {q}
                        </label>
                      ))}
                    </fieldset>
                  )}
                  {!disabled && (
                    <button type="button" class="btn small ghost" onClick={() => setStep(i, { ...step, actions: step.actions.filter((_, k) => k !== j) })}>
                      Remove action {j + 1} of step {i + 1}
                    </button>
                  )}
                </div>
              ))}
              {!disabled && (
                <div class="form-actions">
                  <button type="button" class="btn small" onClick={() => setStep(i, { ...step, actions: [...step.actions, { type: 'alert' }] })}>Add an action to step {i + 1}</button>
                  <button type="button" class="btn small ghost" onClick={() => onChange(steps.filter((_, k) => k !== i))}>Remove step {i + 1}</button>
                </div>
              )}
            </fieldset>
          </li>
        ))}
      </ol>
      {!disabled && (
        <button type="button" class="btn small" onClick={() => onChange([...steps, { afterSeconds: (steps.at(-1)?.afterSeconds ?? 0) + 300, actions: [{ type: 'alert' }] }])}>
          Add a step
        </button>
      )}
    </FieldGroup>
  );
}
