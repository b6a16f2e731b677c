/**
 * A modal dialog on the native <dialog> (showModal makes the rest of the page inert): named by its title,
 * Tab kept inside, Escape closes, the focus goes back where it was.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface Props {
  title: string;
  /** the title is for screen readers only */
  hideTitle?: boolean;
  class?: string;
  onClose(): void;
  children: ComponentChildren;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal({ title, hideTitle, class: cls, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].find((el) => !el.classList.contains('modal-close')) ??
      dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onCancel = (e: Event) => { e.preventDefault(); close.current(); };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close.current(); return; }
    if (e.key !== 'Tab') return;
    const all = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (!all.length) return;
    const first = all[0]!;
    const last = all[all.length - 1]!;
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  }

  return (
    <dialog ref={ref} class={`modal${cls ? ` ${cls}` : ''}`} aria-labelledby={titleId} aria-modal="true" onKeyDown={onKeyDown}>
      <div class="modal-head">
        <h2 id={titleId} class={hideTitle ? 'visually-hidden' : 'modal-title'}>{title}</h2>
        <button type="button" class="btn ghost small modal-close" aria-label="Close" onClick={() => close.current()}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {children}
    </dialog>
  );
}
