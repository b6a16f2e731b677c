/** A labelled control: the label holds only its text (so select options never leak into the control's name). */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface Props {
  label: string;
  class?: string;
  hideLabel?: boolean;
  children(id: string): ComponentChildren;
}

export function Field({ label, class: cls, hideLabel, children }: Props) {
  const id = useId();
  return (
    <div class={`field${cls ? ` ${cls}` : ''}`}>
      <label for={id} class={hideLabel ? 'visually-hidden' : 'field-label'}>{label}</label>
      {children(id)}
    </div>
  );
}
