/** The inbox's views as a tab list, each with the server's count; arrow keys move between them. */
import { useRef } from 'preact/hooks';
import { VIEWS, type ViewId } from './inbox-views.ts';
import type { ViewCounts } from './types.ts';

interface Props {
  view: ViewId;
  /** null: the gateway does not count (the tabs show no numbers) */
  counts: ViewCounts | null;
  onView(v: ViewId): void;
}

export function InboxTabs({ view, counts, onView }: Props) {
  const list = useRef<HTMLDivElement>(null);

  function onKeyDown(e: KeyboardEvent) {
    const at = VIEWS.findIndex((v) => v.id === view);
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    let next = step ? (at + step + VIEWS.length) % VIEWS.length : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    const v = VIEWS[next]!;
    onView(v.id);
    list.current?.querySelector<HTMLButtonElement>(`#tab-${v.id}`)?.focus();
  }

  return (
    <div class="tabs" role="tablist" aria-label="Inbox views" ref={list} onKeyDown={onKeyDown}>
      {VIEWS.map((v) => {
        const n = counts ? counts[v.count] : null;
        const selected = v.id === view;
        return (
          <button
            key={v.id}
            id={`tab-${v.id}`}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls="case-list"
            tabIndex={selected ? 0 : -1}
            class={`tab${selected ? ' selected' : ''}${(v.id === 'offered' || v.id === 'breaching') && n ? ' attention' : ''}`}
            onClick={() => onView(v.id)}
          >
            <span class="tab-label">{v.label}</span>
            {typeof n === 'number' && <>{' '}<span class="count">{n}</span></>}
          </button>
        );
      })}
    </div>
  );
}
