/** The inbox's views as a tab list, each with its count; arrow keys move between them. */
import { useRef } from 'preact/hooks';
import { VIEWS, type ViewId } from './inbox-views.ts';
import type { Count } from './use-case-index.ts';

interface Props {
  view: ViewId;
  counts: Record<ViewId, Count>;
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
        const c = counts[v.id];
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
            class={`tab${selected ? ' selected' : ''}${v.id === 'offered' && c.n > 0 ? ' attention' : ''}`}
            onClick={() => onView(v.id)}
          >
            <span class="tab-label">{v.label}</span>{' '}
            <span class="count">{c.n}{c.more ? '+' : ''}</span>
          </button>
        );
      })}
    </div>
  );
}
