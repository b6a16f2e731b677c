/** The list pane: views, saved views, filters, bulk actions and the cases of the chosen view (only the loaded pages). */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { BulkToolbar } from './bulk-toolbar.tsx';
import { CaseRow } from './case-row.tsx';
import { InboxFilters } from './inbox-filters.tsx';
import { InboxTabs } from './inbox-tabs.tsx';
import { viewDef, type Filters, type ViewId } from './inbox-views.ts';
import { SavedViews } from './saved-views.tsx';
import type { Directory } from './use-directory.ts';
import type { Inbox } from './use-inbox.ts';
import type { CaseView, Role, ViewCounts } from './types.ts';

interface Props {
  inbox: Inbox;
  view: ViewId;
  filters: Filters;
  counts: ViewCounts | null;
  directory: Directory;
  meId: string;
  role: Role;
  openNumber: string | null;
  /** the row the j/k keys reached */
  cursorNumber: string | null;
  onView(v: ViewId): void;
  onFilters(f: Filters): void;
  /** a saved view chosen: its tab and filters */
  onApplyView(view: ViewId, filters: Filters): void;
  onCase(c: CaseView): void;
}

export function InboxList({ inbox, view, filters, counts, directory, meId, role, openNumber, cursorNumber, onView, onFilters, onApplyView, onCase }: Props) {
  const label = viewDef(view).label;
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [report, setReport] = useState<string | null>(null);

  // a new view or filter starts a new selection
  useEffect(() => setChecked(new Set()), [view, filters]);

  const onCheck = useCallback((number: string, on: boolean) => {
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(number);
      else next.delete(number);
      return next;
    });
  }, []);

  // only rows still loaded count as selected
  const selected = useMemo(() => inbox.items.filter((c) => checked.has(c.number)), [inbox.items, checked]);
  const all = inbox.items.length > 0 && selected.length === inbox.items.length;
  const some = selected.length > 0 && !all;

  return (
    <section class="inbox" aria-label="Inbox">
      <InboxTabs view={view} counts={counts} onView={onView} />
      <SavedViews view={view} filters={filters} onApply={onApplyView} />
      <InboxFilters view={view} filters={filters} queues={directory.queues} agents={directory.agents} onChange={onFilters} />
      <div class="select-bar">
        <label class="toggle select-all">
          <input
            type="checkbox"
            checked={all}
            ref={(el) => { if (el) el.indeterminate = some; }}
            disabled={!inbox.items.length}
            onChange={(e) => setChecked(e.currentTarget.checked ? new Set(inbox.items.map((c) => c.number)) : new Set())}
          />
          <span>Select all</span>
        </label>
        <span class="loaded muted">{inbox.items.length} loaded{inbox.hasMore ? ', more to load' : ''}</span>
      </div>
      {selected.length > 0 && (
        <BulkToolbar selected={selected} role={role} directory={directory} onCase={onCase} onClear={() => setChecked(new Set())} onReport={setReport} />
      )}
      <p class={`bulk-report${report ? '' : ' empty'}`} role="status">{report}</p>
      <div id="case-list" class="case-list" role="tabpanel" aria-labelledby={`tab-${view}`} aria-busy={inbox.loading}>
        {inbox.error && (
          <div class="list-error" role="alert">
            {inbox.error} <button type="button" class="btn link" onClick={inbox.reload}>Try again</button>
          </div>
        )}
        <ul aria-label={`${label} cases`}>
          {inbox.items.map((c) => (
            <CaseRow
              key={c.number}
              kase={c}
              current={c.number === openNumber}
              cursor={c.number === cursorNumber}
              checked={checked.has(c.number)}
              assigneeName={directory.agentName(c.assignee)}
              offeredToMe={c.offeredTo === meId}
              onCheck={onCheck}
            />
          ))}
        </ul>
        {!inbox.loading && !inbox.error && inbox.items.length === 0 && <p class="empty">No cases here.</p>}
        {inbox.loading && <p class="loading" role="status">Loading cases…</p>}
        {inbox.hasMore && !inbox.loading && (
          <button type="button" class="btn ghost more" onClick={inbox.loadMore}>Load more</button>
        )}
      </div>
    </section>
  );
}
