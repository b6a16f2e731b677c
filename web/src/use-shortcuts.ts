/**
 * The workspace's keys. Ignored while typing in a field, except Escape, Ctrl/⌘+K and Ctrl/⌘+Enter (which the
 * composer handles itself), and while a modal dialog is open (it handles its own keys).
 */
import { useEffect, useRef } from 'preact/hooks';

export interface ShortcutHandlers {
  move(step: 1 | -1): void;
  open(): void;
  reply(internal: boolean): void;
  resolve(): void;
  assign(): void;
  search(): void;
  palette(): void;
  help(): void;
  escape(): void;
}

function typingIn(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
  return false;
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.defaultPrevented || e.isComposing) return;
      const h = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        if (!document.querySelector('dialog[open]')) h.palette();
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      if (e.key === 'Escape') { h.escape(); return; }
      if (mod || e.altKey || typingIn(e.target)) return;
      switch (e.key) {
        case 'j': h.move(1); break;
        case 'k': h.move(-1); break;
        case 'Enter': {
          // a link or button does its own thing with Enter
          const t = e.target as HTMLElement | null;
          if (t && t.closest('a, button, summary, [role="tab"], [role="option"]')) return;
          h.open();
          break;
        }
        case 'r': h.reply(false); break;
        case 'n': h.reply(true); break;
        case 'e': h.resolve(); break;
        case 'a': h.assign(); break;
        case '/': h.search(); break;
        case '?': h.help(); break;
        default: return;
      }
      e.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
