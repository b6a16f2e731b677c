/** Copies a text (a link, a token, a webhook URL) and says so; where the clipboard is refused, selects it for a manual copy. */
import { useState } from 'preact/hooks';

interface Props {
  text: string;
  /** what is copied, for the button's name: "Copy the invitation link" */
  label: string;
  /** said to screen readers after the label, where the visible label is short */
  context?: string;
  /** the element holding the text, selected when the clipboard is refused */
  targetId?: string;
}

export function CopyButton({ text, label, context, targetId }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const el = targetId ? document.getElementById(targetId) : null;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
      }
      setState('manual');
    }
  }
  return (
    <span class="copy">
      <button type="button" class="btn small" onClick={() => void copy()}>{label}{context && <span class="visually-hidden"> {context}</span>}</button>
      <span class="copy-state" role="status">{state === 'copied' ? 'Copied' : state === 'manual' ? 'Selected: press Ctrl+C (⌘C) to copy' : ''}</span>
    </span>
  );
}

/** A secret or link shown as text, with its copy button. */
export function CopyText({ text, label, context, id }: { text: string; label: string; context?: string; id: string }) {
  return (
    <div class="copy-text">
      <code id={id} class="copy-value">{text}</code>
      <CopyButton text={text} label={label} {...(context ? { context } : {})} targetId={id} />
    </div>
  );
}
