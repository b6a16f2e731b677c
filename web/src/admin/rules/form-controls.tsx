/** Labelled controls for the rule editor, each with the problems the checks name for it (read with the control). */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function Problems({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <p id={id} class="field-problem">
      {messages.join('; ')}
    </p>
  );
}

interface Base {
  label: string;
  problems?: readonly string[];
  hint?: string;
  class?: string;
}

function useIds(problems: readonly string[] | undefined, hint: string | undefined) {
  const id = useId();
  const described = [problems?.length ? `${id}-problem` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return { id, described, invalid: problems?.length ? true : undefined };
}

function Wrap({ id, label, hint, problems, class: cls, children }: Base & { id: string; children: ComponentChildren }) {
  return (
    <div class={`field${cls ? ` ${cls}` : ''}`}>
      <label for={id} class="field-label">{label}</label>
      {children}
      {hint && <span id={`${id}-hint`} class="field-hint">{hint}</span>}
      <Problems id={`${id}-problem`} messages={problems} />
    </div>
  );
}

export function TextControl({ value, onInput, readOnly, multiline, type = 'text', ...base }: Base & {
  value: string;
  onInput(v: string): void;
  readOnly?: boolean;
  multiline?: boolean;
  type?: 'text' | 'number';
}) {
  const { id, described, invalid } = useIds(base.problems, base.hint);
  return (
    <Wrap id={id} {...base}>
      {multiline ? (
        <textarea id={id} rows={3} value={value} readOnly={readOnly} aria-invalid={invalid} aria-describedby={described}
          onInput={(e) => onInput(e.currentTarget.value)} />
      ) : type === 'number' ? (
        <input id={id} type="number" step="any" value={value} readOnly={readOnly} aria-invalid={invalid}
          aria-describedby={described} onInput={(e) => onInput(e.currentTarget.value)} />
      ) : (
        <input id={id} type="text" value={value} readOnly={readOnly} aria-invalid={invalid}
          aria-describedby={described} onInput={(e) => onInput(e.currentTarget.value)} />
      )}
    </Wrap>
  );
}

export function SelectControl({ value, onChange, options, ...base }: Base & {
  value: string;
  onChange(v: string): void;
  options: readonly (readonly [string, string])[];
}) {
  const { id, described, invalid } = useIds(base.problems, base.hint);
  return (
    <Wrap id={id} {...base}>
      <select id={id} value={value} aria-invalid={invalid} aria-describedby={described} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </Wrap>
  );
}

/** several choices of which any may hold (channels, categories, states), as one named group */
export function CheckGroup({ legend, values, options, onChange, problems }: {
  legend: string;
  values: readonly string[];
  options: readonly (readonly [string, string])[];
  onChange(v: string[]): void;
  problems?: readonly string[];
}) {
  const id = useId();
  return (
    <fieldset class="check-group" aria-describedby={problems?.length ? `${id}-problem` : undefined}>
      <legend>{legend}</legend>
      <div class="check-options">
        {options.map(([v, text]) => (
          <label key={v} class="choice">
            <input type="checkbox" checked={values.includes(v)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...values, v] : values.filter((x) => x !== v))} />
            {text}
          </label>
        ))}
        {options.length === 0 && <span class="muted">None to choose from.</span>}
      </div>
      <Problems id={`${id}-problem`} messages={problems} />
    </fieldset>
  );
}

export const TRI_OPTIONS = [['', 'Either'], ['yes', 'Yes'], ['no', 'No']] as const;

/** a problem with a whole group (the conditions, the actions) rather than one control */
export function GroupProblem({ messages }: { messages: readonly string[] }) {
  return messages.length ? <p class="field-problem">{messages.join('; ')}</p> : null;
}
