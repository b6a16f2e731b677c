/** The list pane: views, filters and the cases of the chosen view. */
import { CaseRow } from './case-row.tsx';
import { InboxFilters } from './inbox-filters.tsx';
import { InboxTabs } from './inbox-tabs.tsx';
import { viewDef, type Filters, type ViewId } from './inbox-views.ts';
import type { Count } from './use-case-index.ts';
import type { Inbox } from './use-inbox.ts';
import type { Queue } from './types.ts';

interface Props {
  inbox: Inbox;
  view: ViewId;
  filters: Filters;
  counts: Record<ViewId, Count>;
  queues: Queue[];
  meId: string;
  openNumber: string | null;
  agentName(id: string | null): string;
  onView(v: ViewId): void;
  onFilters(f: Filters): void;
}

export function InboxList({ inbox, view, filters, counts, queues, meId, openNumber, agentName, onView, onFilters }: Props) {
  const label = viewDef(view).label;
  return (
    <section class="inbox" aria-label="Inbox">
      <InboxTabs view={view} counts={counts} onView={onView} />
      <InboxFilters view={view} filters={filters} queues={queues} onChange={onFilters} />
      <div id="case-list" class="case-list" role="tabpanel" aria-labelledby={`tab-${view}`} aria-busy={inbox.loading}>
        {inbox.error && (
          <div class="list-error" role="alert">
            {inbox.error} <button type="button" class="btn link" onClick={inbox.reload}>Try again</button>
          </div>
        )}
        <ul aria-label={`${label} cases`}>
          {inbox.items.map((c) => (
            <CaseRow key={c.number} kase={c} current={c.number === openNumber} assigneeName={agentName(c.assignee)} offeredToMe={c.offeredTo === meId} />
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
