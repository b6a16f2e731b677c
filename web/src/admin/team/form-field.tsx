/** A labelled control with a hint and, after a refusal, the server's message tied to it (aria-describedby). */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

interface Props {
  label: string;
  hint?: string;
  error?: string | undefined;
  class?: string;
  children(control: ControlProps): ComponentChildren;
}

export function FormField({ label, hint, error, class: cls, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={`field admin-field${error ? ' has-error' : ''}${cls ? ` ${cls}` : ''}`}>
      <label for={id} class="field-label">{label}</label>
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': 'true' as const } : {}) })}
      {hint && <p id={hintId} class="field-hint">{hint}</p>}
      {error && <p id={errorId} class="field-error" role="alert">{error}</p>}
    </div>
  );
}

/** A group of checkboxes or rows under one name (a fieldset), with its error. */
export function FieldGroup({ legend, error, hint, children, class: cls }: { legend: string; error?: string | undefined; hint?: string; class?: string; children: ComponentChildren }) {
  return (
    <fieldset class={`admin-group${error ? ' has-error' : ''}${cls ? ` ${cls}` : ''}`}>
      <legend>{legend}</legend>
      {hint && <p class="field-hint">{hint}</p>}
      {children}
      {error && <p class="field-error" role="alert">{error}</p>}
    </fieldset>
  );
}
