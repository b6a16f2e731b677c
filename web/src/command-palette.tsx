/** Ctrl/⌘+K: a command box that filters what the workspace can do, and opens a case typed by number. */
import { useMemo, useState } from 'preact/hooks';
import { Modal } from './modal.tsx';

export interface Command {
  id: string;
  label: string;
  run(): void;
}

interface Props {
  commands: Command[];
  openCase(number: string): void;
  onClose(): void;
}

/** CS0001001, cs1001 or 1001 */
export function caseNumberFrom(text: string): string | null {
  const m = /^\s*(?:cs)?\s*(\d{1,12})\s*$/i.exec(text);
  return m?.[1] ? `CS${m[1].padStart(7, '0')}` : null;
}

export function CommandPalette({ commands, openCase, onClose }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const words = q.split(/\s+/).filter(Boolean);
    const list = commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
    const number = caseNumberFrom(query);
    if (number) list.unshift({ id: `open-${number}`, label: `Open case ${number}`, run: () => openCase(number) });
    return list;
  }, [commands, query, openCase]);

  const at = Math.min(active, Math.max(0, shown.length - 1));
  const run = (c: Command | undefined) => { if (!c) return; onClose(); c.run(); };

  function onKeyDown(e: KeyboardEvent) {
    const n = shown.length;
    if (e.key === 'ArrowDown' && n) { e.preventDefault(); setActive((at + 1) % n); }
    else if (e.key === 'ArrowUp' && n) { e.preventDefault(); setActive((at - 1 + n) % n); }
    else if (e.key === 'Home' && e.ctrlKey) { e.preventDefault(); setActive(0); }
    else if (e.key === 'Enter') { e.preventDefault(); run(shown[at]); }
  }

  return (
    <Modal title="Command palette" hideTitle class="palette" onClose={onClose}>
      <label for="palette-input" class="visually-hidden">Command</label>
      <input
        id="palette-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={shown.length ? `palette-opt-${at}` : undefined}
        autoComplete="off"
        placeholder="Type a command or a case number…"
        value={query}
        data-autofocus
        onInput={(e) => { setQuery(e.currentTarget.value); setActive(0); }}
        onKeyDown={onKeyDown}
      />
      <ul id="palette-list" class="palette-list" role="listbox" aria-label="Commands">
        {shown.map((c, i) => (
          <li
            key={c.id}
            id={`palette-opt-${i}`}
            role="option"
            aria-selected={i === at}
            class={`palette-option${i === at ? ' active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(c)}
            onMouseMove={() => { if (i !== at) setActive(i); }}
          >
            {c.label}
          </li>
        ))}
        {shown.length === 0 && <li class="palette-none" role="option" aria-selected="false" aria-disabled="true">No command matches</li>}
      </ul>
    </Modal>
  );
}
